using System.Globalization;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Roster.Template;

/// <summary>
/// The village and campaign a renewal roster is for: the village's dotted code ("15.03.01.2001") and name, the
/// campaign being renewed and the day its coverage ends (Asia/Jakarta), and the segments of the campaign the roster
/// goes to (its drop-down and the names written for the people's segment codes; default: roster.md's defaults).
/// </summary>
public sealed record RenewalRosterInput(string VillageCode, string VillageName, string CampaignName, DateOnly CoverageEnd)
{
    public IReadOnlyList<Segment>? Segments { get; init; }
}

/// <summary>
/// One person whose coverage ends, as the registry knows them: the 16-digit NIK, the KK (16 digits) when known, the
/// name, birth date and sex, the segment code (or name) and the phone when known. The optional fields fill the
/// template's other columns; <see cref="Address"/> goes into Alamat as one text ("Dusun I RT 003 RW 001").
/// </summary>
public sealed record RenewalPerson(string Nik, string? Kk, string Name, DateOnly BirthDate, Sex Sex, string? SegmentCode, string? Phone)
{
    public string? BirthPlace { get; init; }
    public string? Address { get; init; }
    public string? Occupation { get; init; }
    public string? Source { get; init; }
}

/// <summary>
/// Writes a village's renewal roster (issue 13, deliverable 5; docs/renewal-roster.md): the official template
/// (<see cref="RosterTemplateWriter"/>'s columns, formats and drop-downs) with two columns in front — "Lanjut?"
/// (drop-down Ya/Tidak, pre-filled Ya) and "Alasan berhenti" (drop-down: <see cref="RenewalReasons.Listed"/>, other
/// text allowed after a warning) — one row per person (NIK and KK as text cells, the birth date as a date), then
/// <see cref="RosterTemplateWriter.PreparedRows"/> empty prepared rows for new people, and a <c>Petunjuk</c> sheet that
/// explains both columns. The village edits it and uploads it through the ordinary intake, which reads the two columns.
/// </summary>
public static class RenewalRosterWriter
{
    /// <summary>The template's columns with "Lanjut?" and "Alasan berhenti" in front, for <paramref name="segments"/>.</summary>
    internal static IReadOnlyList<TemplateColumn> Columns(IReadOnlyList<Segment> segments, DateOnly coverageEnd) =>
    [
        new(RenewalAnswers.Column, 10, TemplateFormat.General, false,
            $"Apakah orang ini diusulkan lagi? Kepesertaannya berakhir {Day(coverageEnd)}. Pilih Ya (sudah terisi) agar diusulkan lagi, " +
            "atau Tidak bila tidak dilanjutkan. Untuk orang baru di baris kosong di bawah daftar, kolom ini boleh dikosongkan.",
            RenewalAnswers.Yes, RosterField.Renewal)
        {
            Choices = [RenewalAnswers.Yes, RenewalAnswers.No],
            ChoicesMessage = "Pilih Ya (diusulkan lagi) atau Tidak (tidak dilanjutkan).",
        },
        new(RenewalReasons.Column, 24, TemplateFormat.General, false,
            "Hanya bila Lanjut? = Tidak: pilih " + string.Join(", ", RenewalReasons.Listed.SkipLast(1)) + " atau " + RenewalReasons.Other +
            ". Untuk \"" + RenewalReasons.Other + "\" boleh ditulis alasannya sendiri. Baris Tidak tanpa alasan tetap tidak diusulkan, tetapi diberi catatan.",
            RenewalReasons.Died, RosterField.RenewalReason)
        {
            Choices = RenewalReasons.Listed,
            ChoicesMessage = "Pilih alasan dari daftar, atau tulis alasan lain.",
            ChoicesStrict = false,
        },
        .. RosterTemplateWriter.Columns(segments),
    ];

    /// <summary>
    /// The file name the village downloads: its dotted code first, so an upload of another village's roster is
    /// FILE_OTHER_VILLAGE by its name ("15.03.01.2001-perpanjangan-tambak-ratu.xlsx").
    /// </summary>
    public static string FileName(RenewalRosterInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var slug = new string(input.VillageName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        slug = slug.Trim('-');
        return $"{input.VillageCode}-perpanjangan{(slug.Length > 0 ? "-" + slug : "")}.xlsx";
    }

    /// <summary>
    /// Writes the renewal roster of <paramref name="input"/>'s village to <paramref name="output"/> (left open; a
    /// MemoryStream or FileStream: the package needs a seekable stream), one row per person of
    /// <paramref name="people"/> in the order given, each streamed into the sheet as it comes (the sheet is never
    /// built in memory; the zip package holds the written parts until it is closed). Returns how many people were written.
    /// </summary>
    /// <exception cref="ArgumentException">No segments in <paramref name="input"/>.</exception>
    public static async Task<int> WriteAsync(
        Stream output, RenewalRosterInput input, IAsyncEnumerable<RenewalPerson> people, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(people);
        var segments = input.Segments ?? ValidationSettings.DefaultSegments;
        if (segments.Count == 0) throw new ArgumentException("at least one segment", nameof(input));
        var columns = Columns(segments, input.CoverageEnd);
        var at = new Dictionary<RosterField, int>();
        for (var i = 0; i < columns.Count; i++) at.TryAdd(columns[i].Field, i);

        using var book = new TemplateWorkbook(output, columns);
        var values = new object?[columns.Count];
        await foreach (var p in people.WithCancellation(ct).ConfigureAwait(false))
        {
            Array.Clear(values);
            values[at[RosterField.Renewal]] = RenewalAnswers.Yes;
            values[at[RosterField.Nik]] = p.Nik;
            values[at[RosterField.Name]] = p.Name;
            values[at[RosterField.Kk]] = p.Kk;
            values[at[RosterField.Sex]] = p.Sex == Sex.Female ? "P" : "L";
            values[at[RosterField.BirthPlace]] = p.BirthPlace;
            values[at[RosterField.BirthDate]] = p.BirthDate;
            values[at[RosterField.Address]] = p.Address;
            values[at[RosterField.Village]] = input.VillageName;
            values[at[RosterField.Occupation]] = p.Occupation;
            values[at[RosterField.Segment]] = SegmentName(segments, p.SegmentCode);
            values[at[RosterField.Phone]] = p.Phone;
            values[at[RosterField.Source]] = p.Source;
            book.AppendRow(values);
        }
        var written = book.Rows;
        book.Finish(written + 1 + RosterTemplateWriter.PreparedRows, "Petunjuk daftar perpanjangan kepesertaan BPJS Ketenagakerjaan",
        [
            $"Desa/kelurahan: {input.VillageName} ({input.VillageCode}). Kegiatan: {input.CampaignName}, kepesertaan berakhir {Day(input.CoverageEnd)}.",
            $"Lembar \"Data\" berisi {written.ToString("N0", CultureInfo.GetCultureInfo("id-ID"))} orang yang kepesertaannya berakhir. " +
            "Periksa setiap orang dan isi kolom \"Lanjut?\": Ya bila diusulkan lagi (sudah terisi), Tidak bila tidak dilanjutkan.",
            "Bila Tidak, pilih alasannya di kolom \"Alasan berhenti\": meninggal, pindah, sudah menjadi peserta PU, atau lainnya. " +
            "Orang yang Tidak tidak akan didaftarkan lagi dan dihitung per alasan dalam hasil pemeriksaan.",
            "Orang baru ditambahkan di baris kosong di bawah daftar, satu orang per baris; kolom \"Lanjut?\" untuk orang baru boleh dikosongkan.",
            "Perbaiki data yang berubah (mis. nomor HP) langsung di barisnya. Jangan mengubah, menghapus atau memindahkan baris judul kolom.",
            "Unggah berkas ini seperti daftar biasa. Kolom bertanda \"Wajib\" harus diisi untuk setiap orang yang diusulkan.",
        ], RosterTemplateWriter.Notes);
        return written;
    }

    /// <summary>The campaign segment's name for a code (or name or alias) the registry holds; the text as given when none matches.</summary>
    private static string? SegmentName(IReadOnlyList<Segment> segments, string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        foreach (var s in segments)
            if (string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase) || string.Equals(s.Name, code, StringComparison.OrdinalIgnoreCase))
                return s.Name;
        return code;
    }

    private static string Day(DateOnly day) => Mail.IndonesianFormat.Date(day);
}
