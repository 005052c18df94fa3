using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Roster.Template;

/// <summary>
/// Writes the official village roster template (.xlsx, OpenXML SDK): a <c>Data</c> sheet with the header row, NIK,
/// KK, phone and RT/RW columns formatted as text (so Excel keeps all 16 digits and leading zeros), drop-down lists for
/// sex, segment and data source, a date format on the birth date, and a <c>Petunjuk</c> sheet explaining each column.
/// The one owner of the template's column layout: the renewal roster (<see cref="RenewalRosterWriter"/>) is this
/// layout with two columns in front.
/// </summary>
public static class RosterTemplateWriter
{
    /// <summary>Rows prepared with formats and drop-downs under the header (under the last person in a renewal roster).</summary>
    public const int PreparedRows = 1000;

    public const string DataSheet = TemplateWorkbook.DataSheet;
    public const string GuideSheet = TemplateWorkbook.GuideSheet;

    private static readonly string[] Sexes = ["L", "P"];
    private static readonly string[] Sources = ["DTKS", "P3KE", "Non-DTKS"];

    /// <summary>The template's columns, in order, for a campaign's <paramref name="segments"/> (non-empty).</summary>
    internal static IReadOnlyList<TemplateColumn> Columns(IReadOnlyList<Segment> segments)
    {
        var fallback = segments.FirstOrDefault(s => s.IsDefault) ?? segments[0];
        return
        [
            new("NIK", 20, TemplateFormat.Text, true,
                "Nomor Induk Kependudukan, 16 angka, sesuai KTP/KK. Kolom ini berformat teks: ketik atau tempel angkanya apa adanya, jangan diubah ke format angka.",
                "1503014101800001", RosterField.Nik),
            new("Nama Lengkap", 30, TemplateFormat.General, true, "Nama lengkap sesuai KTP, tanpa gelar.", "SITI AMINAH", RosterField.Name),
            new("No KK", 20, TemplateFormat.Text, false, "Nomor Kartu Keluarga, 16 angka (boleh dikosongkan).", "1503010101100001", RosterField.Kk),
            new("Jenis Kelamin", 14, TemplateFormat.General, false, "Pilih L (laki-laki) atau P (perempuan). Jika kosong, diambil dari NIK.", "P", RosterField.Sex)
            {
                Choices = Sexes, ChoicesMessage = "Pilih L (laki-laki) atau P (perempuan).",
            },
            new("Tempat Lahir", 18, TemplateFormat.General, false, "Kota/kabupaten tempat lahir.", "Sarolangun", RosterField.BirthPlace),
            new("Tanggal Lahir", 14, TemplateFormat.Date, false,
                "Tanggal lahir, hari-bulan-tahun (contoh 01-01-1980). Harus sama dengan tanggal lahir di NIK. Jika kosong, diambil dari NIK.",
                "01-01-1980", RosterField.BirthDate),
            new("Alamat", 30, TemplateFormat.General, false, "Alamat tempat tinggal (jalan, dusun).", "Dusun I", RosterField.Address),
            new("RT/RW", 10, TemplateFormat.Text, false, "Nomor RT dan RW, contoh 003/001.", "003/001", RosterField.RtRw),
            new("Desa/Kelurahan", 20, TemplateFormat.General, false, "Nama desa atau kelurahan. Harus desa pengirim berkas ini.", "Tambak Ratu", RosterField.Village),
            new("Pekerjaan", 20, TemplateFormat.General, false, "Pekerjaan sehari-hari.", "Petani", RosterField.Occupation),
            new("Segmen", 20, TemplateFormat.General, false,
                "Pilih dari daftar: " + string.Join(", ", segments.Select(s => s.Name)) + ". Jika kosong, dipakai " + fallback.Name + ".",
                fallback.Name, RosterField.Segment)
            {
                Choices = segments.Select(s => s.Name).ToArray(), ChoicesMessage = "Pilih segmen dari daftar.",
            },
            new("No HP", 16, TemplateFormat.Text, false, "Nomor HP/WhatsApp yang aktif, diawali 08.", "081234567890", RosterField.Phone),
            new("Sumber Data", 14, TemplateFormat.General, false, "Pilih DTKS, P3KE atau Non-DTKS.", "DTKS", RosterField.Source)
            {
                Choices = Sources, ChoicesMessage = "Pilih DTKS, P3KE atau Non-DTKS.",
            },
            new("Keterangan", 30, TemplateFormat.General, false, "Catatan tambahan (boleh dikosongkan).", "", RosterField.Note),
        ];
    }

    /// <summary>The <c>Catatan penting</c> of the <c>Petunjuk</c> sheet, shared with the renewal roster.</summary>
    internal static IReadOnlyList<string> Notes { get; } =
    [
        "NIK dan No KK harus diketik sebagai teks. Jika Excel mengubahnya menjadi angka (misalnya 3,50301E+15), angka terakhir hilang dan baris akan ditolak.",
        "Satu NIK hanya boleh muncul satu kali. Jangan menambahkan baris jumlah/total atau gambar di lembar Data.",
        "Simpan sebagai Buku Kerja Excel (.xlsx), tanpa kata sandi, lalu unggah berkasnya.",
    ];

    /// <summary>The template's file name, as the <c>template</c> command writes it and the web page downloads it.</summary>
    public const string FileName = "template-roster-ucj.xlsx";

    /// <summary>The header titles of the <c>Data</c> sheet, in column order.</summary>
    public static IReadOnlyList<string> HeaderTitles { get; } = Columns(ValidationSettings.DefaultSegments).Select(c => c.Title).ToArray();

    /// <summary>Writes the template to <paramref name="output"/>. <paramref name="segments"/>: the campaign's (default: roster.md's defaults).</summary>
    /// <exception cref="ArgumentException"><paramref name="segments"/> is empty.</exception>
    public static void Write(Stream output, IReadOnlyList<Segment>? segments = null)
    {
        segments ??= ValidationSettings.DefaultSegments;
        if (segments.Count == 0) throw new ArgumentException("at least one segment", nameof(segments));
        using var book = new TemplateWorkbook(output, Columns(segments));
        book.Finish(PreparedRows + 1, "Petunjuk pengisian daftar calon peserta BPJS Ketenagakerjaan",
        [
            "Isi data di lembar \"Data\", satu orang per baris, mulai baris 2. Jangan mengubah, menghapus atau memindahkan baris judul kolom.",
            "Kolom bertanda \"Wajib\" harus diisi. Kolom lain boleh dikosongkan bila datanya tidak ada.",
        ], Notes);
    }
}
