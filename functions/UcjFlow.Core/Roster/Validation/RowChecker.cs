using System.Globalization;
using UcjFlow.Core.Regions;
using UcjFlow.Core.Roster.Values;

namespace UcjFlow.Core.Roster.Validation;

/// <summary>One data row after the local checks: its issues so far and, when the NIK is valid, the person it describes.</summary>
internal sealed class RowResult(int row)
{
    public int Row { get; } = row;
    public List<RosterIssue>? Issues { get; private set; }
    public bool HasError { get; private set; }
    public string? Nik { get; set; }
    public Enrollee? Enrollee { get; set; }

    /// <summary>The person's name as the row gives it; stamped on each of the row's issues when settled.</summary>
    public string? Name { get; set; }

    /// <summary>Set for a renewal roster's row marked Tidak: not a person to enrol, counted as a removal (<see cref="RenewalCheck"/>).</summary>
    public RosterRemoval? Removal { get; set; }

    public void Add(RosterIssue issue)
    {
        (Issues ??= new List<RosterIssue>(2)).Add(issue);
        if (issue.IsError) HasError = true;
    }
}

/// <summary>
/// The row rules of roster.md that need nothing but the row, the header and the settings (and the NIKs seen on
/// earlier rows). Conflicts with the registry and other batches are added later, per chunk.
/// </summary>
internal sealed class RowChecker
{

    private readonly RosterHeader _header;
    private readonly ValidationSettings _settings;
    private readonly RegionCodes _regions;
    private readonly SegmentMatcher _segments;
    private readonly VillageMatcher? _village;
    private readonly Region? _regency;
    private readonly string _regencyDigits;
    // First row of each valid NIK: a NIK is 16 digits, so a long holds it in 8 bytes instead of a 56-byte string.
    private readonly Dictionary<long, int> _firstRowOfNik = new();

    private readonly int _nik, _name, _kk, _sex, _birthPlace, _birthDate, _ttl, _address, _rt, _rw, _rtRw,
        _villageColumn, _occupation, _segment, _phone, _source;

    public RowChecker(RosterHeader header, ValidationSettings settings)
    {
        _header = header;
        _settings = settings;
        _regions = settings.Regions;
        _segments = new SegmentMatcher(settings.Segments);
        var village = _regions.Village(settings.VillageCode);
        _village = village is null ? null : new VillageMatcher(village);
        _regency = _regions.Regency(settings.RegencyCode);
        _regencyDigits = (RegionCodes.Normalize(settings.RegencyCode) ?? settings.RegencyCode).Replace(".", "", StringComparison.Ordinal);

        _nik = header.IndexOf(RosterField.Nik);
        _name = header.IndexOf(RosterField.Name);
        _kk = header.IndexOf(RosterField.Kk);
        _sex = header.IndexOf(RosterField.Sex);
        _birthPlace = header.IndexOf(RosterField.BirthPlace);
        _birthDate = header.IndexOf(RosterField.BirthDate);
        _ttl = header.IndexOf(RosterField.PlaceAndDateOfBirth);
        _address = header.IndexOf(RosterField.Address);
        _rt = header.IndexOf(RosterField.Rt);
        _rw = header.IndexOf(RosterField.Rw);
        _rtRw = header.IndexOf(RosterField.RtRw);
        _villageColumn = header.IndexOf(RosterField.Village);
        _occupation = header.IndexOf(RosterField.Occupation);
        _segment = header.IndexOf(RosterField.Segment);
        _phone = header.IndexOf(RosterField.Phone);
        _source = header.IndexOf(RosterField.Source);
    }

    /// <summary>How this file's open-order dates are read (05/12/1980); set once the file's <see cref="DateOrderVote"/> has decided.</summary>
    public DateOrder DateOrder { get; set; } = DateOrder.DayFirst;

    /// <summary>Title of the column the birth dates come from: the birth date column, else the place-and-date column; null when there is neither.</summary>
    public string? DateColumnTitle =>
        _birthDate >= 0 ? Title(RosterField.BirthDate) : _ttl >= 0 ? Title(RosterField.PlaceAndDateOfBirth) : null;

    /// <summary>Gives <paramref name="vote"/> this row's birth date text and the birth date in its NIK.</summary>
    public void Observe(SheetRow row, DateOrderVote vote)
    {
        var text = GivenDate(row).Text;
        if (text is null) return;
        var nik = NikReader.Read(Cell(row, _nik), _settings.CoverageStart, _regions);
        vote.Observe(text, nik.IsValid ? nik.BirthDate : null);
    }

    /// <summary>
    /// Where the row's birth date is written: its own column, else the date part of the place-and-date cell. Title is
    /// null when none is given; Text is the date as text (null for a date cell or a number in the date column).
    /// </summary>
    private (string? Title, string? Shown, string? Text, string? Place) GivenDate(SheetRow row)
    {
        if (Given(row, _birthDate))
        {
            var cell = Cell(row, _birthDate);
            return (Title(RosterField.BirthDate), cell.Text, cell.Kind == CellKind.Text ? cell.Text : null, null);
        }
        if (!Given(row, _ttl)) return (null, null, null, null);
        var (place, dateText) = PlaceAndDateValues.Split(TextOf(Cell(row, _ttl))!);
        return dateText is null ? (null, null, null, place) : (Title(RosterField.PlaceAndDateOfBirth), dateText, dateText, place);
    }

    public RowResult Check(SheetRow row)
    {
        var result = new RowResult(row.Row);
        var nikTitle = _header.TitleOf(RosterField.Nik);

        // NIK checks, in roster.md's order, stopping at the first error.
        var nik = NikReader.Read(Cell(row, _nik), _settings.CoverageStart, _regions);
        if (!nik.IsValid)
            result.Add(Error(row.Row, nikTitle, nik.Error!, NikErrorMessage(nik)));

        // Name.
        var nameCell = Cell(row, _name);
        var name = TextOf(nameCell) is { } rawName ? NameValues.Normalise(rawName) : "";
        if (name.Length == 0)
            result.Add(Error(row.Row, Title(RosterField.Name), RuleCodes.NameMissing, "nama kosong. Isi nama lengkap sesuai KTP."));
        else
            result.Name = name;

        // Birth date: its own column, else the place-and-date cell.
        var given = GivenDate(row);
        var birthPlace = Given(row, _birthPlace) ? TextValues.Collapse(TextOf(Cell(row, _birthPlace))!) : null;
        birthPlace ??= given.Place;
        var dateGiven = given.Title is not null;
        var dateTitle = given.Title;
        var dateShown = given.Shown;
        var givenDate = default(DateOnly);
        var dateRead = dateGiven && (given.Text is { } dateText
            ? RosterDates.TryParse(dateText, _settings.CoverageStart, out givenDate, DateOrder)
            : RosterDates.TryRead(Cell(row, _birthDate), _settings.CoverageStart, out givenDate, DateOrder));
        dateTitle ??= DateColumnTitle ?? nikTitle;

        if (nik.IsValid)
        {
            result.Nik = nik.Nik;
            if (dateGiven && dateRead && givenDate != nik.BirthDate)
                result.Add(Error(row.Row, dateTitle, RuleCodes.BirthdateMismatch,
                    RosterDates.TrySwapDayAndMonth(givenDate, out var swapped) && swapped == nik.BirthDate
                        ? $"tanggal lahir {Show(givenDate)} berbeda dengan tanggal lahir dalam NIK ({Show(nik.BirthDate)}): tanggal dan bulan tertukar. " +
                          $"Tulis tanggal lebih dulu, lalu bulan dan tahun ({Show(nik.BirthDate)}), atau periksa NIK sesuai KTP."
                        : $"tanggal lahir {Show(givenDate)} berbeda dengan tanggal lahir dalam NIK ({Show(nik.BirthDate)}). Periksa NIK dan tanggal lahir sesuai KTP."));
            if (_firstRowOfNik.TryGetValue(nik.Value, out var firstRow))
                result.Add(Error(row.Row, nikTitle, RuleCodes.DuplicateInFile,
                    $"NIK {NikMask.Mask(nik.Nik)} sudah tercantum di baris {firstRow}. Hapus baris yang ganda."));
            else
                _firstRowOfNik.Add(nik.Value, row.Row);
        }

        // Segment: empty means the campaign's default.
        var segment = _segments.Default;
        if (Given(row, _segment))
        {
            var text = TextOf(Cell(row, _segment))!;
            segment = _segments.Match(text);
            if (segment is null)
                result.Add(Error(row.Row, Title(RosterField.Segment), RuleCodes.SegmentUnknown,
                    $"segmen \"{TextValues.Quote(text)}\" tidak dikenal. Pilih salah satu: {string.Join(", ", _segments.Segments.Select(s => s.Name))}."));
        }

        // Warnings that depend on a valid NIK.
        var sexColumn = Given(row, _sex) ? SexValues.Read(Cell(row, _sex)) : null;
        if (nik.IsValid)
        {
            if (nik.StoredAsNumber)
                result.Add(Warning(row.Row, nikTitle, RuleCodes.NikStoredAsNumber,
                    "NIK tersimpan sebagai angka. NIK diterima, tetapi format kolom NIK sebagai Teks agar digit terakhir tidak hilang."));
            AddRegionWarning(result, row.Row, nikTitle, nik.Nik!);
            if (sexColumn is { } s && s != nik.Sex)
                result.Add(Warning(row.Row, Title(RosterField.Sex), RuleCodes.SexMismatch,
                    $"jenis kelamin \"{TextValues.Quote(Cell(row, _sex).Text)}\" tidak sesuai dengan NIK (menurut NIK: {SexName(nik.Sex)})."));
        }

        if (dateGiven && !dateRead)
            result.Add(Warning(row.Row, dateTitle, RuleCodes.BirthdateInvalid,
                $"tanggal lahir tertulis \"{TextValues.Quote(dateShown ?? "")}\", yang tidak dapat dibaca sebagai tanggal" +
                (nik.IsValid ? $"; dipakai tanggal dari NIK ({Show(nik.BirthDate)})" : "") +
                ". Tulis tanggal-bulan-tahun seperti 12-05-1980, atau format sel sebagai Tanggal."));
        else if (!dateGiven && nik.IsValid)
            result.Add(Warning(row.Row, dateTitle, RuleCodes.BirthdateFromNik,
                $"tanggal lahir tidak diisi; dipakai tanggal dari NIK ({Show(nik.BirthDate)})."));

        // Age on the coverage start date: from the NIK when it is valid, else from a readable birth date.
        DateOnly? birthDate = nik.IsValid ? nik.BirthDate : dateRead ? givenDate : null;
        if (birthDate is { } born)
        {
            var age = Ages.On(born, _settings.CoverageStart);
            if (age < _settings.MinAge || age > _settings.MaxAge)
                result.Add(Warning(row.Row, dateGiven || !nik.IsValid ? dateTitle : nikTitle, RuleCodes.AgeOutOfRange,
                    $"umur pada {Show(_settings.CoverageStart)} adalah {age} tahun, di luar batas {_settings.MinAge}–{_settings.MaxAge} tahun."));
        }

        if (name.Length > 0 && NameValues.SuspicionOf(name) is { } suspicion)
            result.Add(Warning(row.Row, Title(RosterField.Name), RuleCodes.NameSuspicious,
                $"nama \"{TextValues.Quote(name)}\" {suspicion}. Periksa kembali sesuai KTP."));

        string? kk = null;
        if (Given(row, _kk))
        {
            var cell = Cell(row, _kk);
            kk = KkValues.Normalise(cell);
            if (kk is null)
                result.Add(Warning(row.Row, Title(RosterField.Kk), RuleCodes.KkFormat, KkMessage(cell)));
        }

        string? phone = null;
        if (Given(row, _phone))
        {
            var cell = Cell(row, _phone);
            phone = PhoneValues.Normalise(cell);
            if (phone is null)
                result.Add(Warning(row.Row, Title(RosterField.Phone), RuleCodes.PhoneInvalid,
                    $"nomor \"{TextValues.Quote(cell.Text)}\" bukan nomor HP Indonesia yang sah (08…, 10–13 digit)."));
        }

        if (_village is not null && Given(row, _villageColumn))
        {
            var text = TextOf(Cell(row, _villageColumn))!;
            if (!_village.Matches(text))
                result.Add(Warning(row.Row, Title(RosterField.Village), RuleCodes.VillageMismatch,
                    $"desa \"{TextValues.Quote(text)}\" berbeda dengan desa pengusul ({_village.Village.Kind} {_village.Village.Name})."));
        }

        if (nik.IsValid && _settings.Reference is { } reference && !reference.Contains(nik.Nik!))
            result.Add(Warning(row.Row, nikTitle, RuleCodes.NotInReference,
                $"NIK {NikMask.Mask(nik.Nik)} tidak ada dalam data rujukan (DTKS/P3KE)."));

        if (nik.IsValid && !result.HasError && segment is not null && name.Length > 0)
            result.Enrollee = new Enrollee(
                row.Row, nik.Nik!, kk, name, birthPlace, nik.BirthDate, nik.Sex, Address(row),
                _settings.VillageCode, phone, segment.Code, OptionalText(row, _occupation), OptionalText(row, _source));
        return result;
    }

    private void AddRegionWarning(RowResult result, int row, string title, string nik)
    {
        var regency = _regions.RegencyOfNik(nik);
        var district = regency is null ? null : _regions.DistrictOfNik(nik);
        if (regency is null || district is null)
        {
            var code = regency is null ? $"{nik[..2]}.{nik[2..4]}" : $"{nik[..2]}.{nik[2..4]}.{nik[4..6]}";
            result.Add(Warning(row, title, RuleCodes.NikRegionUnlisted,
                $"kode wilayah NIK {NikMask.Mask(nik)} ({code}) tidak ada dalam daftar kode wilayah Kemendagri terbaru " +
                "(kemungkinan wilayah sudah dimekarkan). Periksa kembali NIK sesuai KTP."));
        }
        else if (!nik.StartsWith(_regencyDigits, StringComparison.Ordinal))
        {
            result.Add(Warning(row, title, RuleCodes.NikOutsideRegency,
                $"NIK {NikMask.Mask(nik)} diterbitkan di {regency.Name}, bukan {_regency?.Name ?? _settings.RegencyCode}. " +
                "Pastikan peserta berdomisili di desa ini."));
        }
    }

    private static string NikErrorMessage(NikReading nik) => nik.Error switch
    {
        RuleCodes.NikMissing => "NIK kosong. Isi 16 digit NIK sesuai KTP.",
        RuleCodes.NikFormat => nik.DigitCount >= 0
            ? $"NIK harus 16 digit angka, tertulis {nik.DigitCount} digit. Periksa kembali sesuai KTP."
            : "NIK harus 16 digit angka tanpa huruf atau tanda lain. Periksa kembali sesuai KTP.",
        RuleCodes.NikPrecisionLost => nik.Form switch
        {
            NumberTextForm.Scientific =>
                "NIK tertulis dalam bentuk ilmiah (mis. 3,50301E+15) sehingga digitnya hilang. Format kolom NIK sebagai Teks, lalu ketik ulang NIK.",
            NumberTextForm.Grouped =>
                "NIK tertulis dengan pemisah ribuan (mis. 1.503.010.211.860.170): kolom NIK pernah diformat sebagai angka sehingga digit " +
                "terakhirnya hilang (Excel hanya menyimpan 15 digit). Format kolom NIK sebagai Teks, lalu ketik ulang NIK sesuai KTP.",
            _ => $"NIK {NikMask.Mask(nik.Nik)} tersimpan sebagai angka sehingga digit terakhirnya hilang (Excel hanya menyimpan 15 digit). " +
              "Format kolom NIK sebagai Teks, lalu ketik ulang NIK.",
        },
        RuleCodes.NikPlaceholder => $"NIK {NikMask.Mask(nik.Nik)} bukan NIK sebenarnya (angka berulang atau contoh). Isi NIK sesuai KTP.",
        RuleCodes.NikRegionUnknown => $"NIK {NikMask.Mask(nik.Nik)}: dua digit pertama ({nik.Nik![..2]}) bukan kode provinsi. Periksa kembali sesuai KTP.",
        RuleCodes.NikBirthdateInvalid => $"NIK {NikMask.Mask(nik.Nik)}: digit ke-7 sampai ke-12 bukan tanggal lahir yang sah. Periksa kembali sesuai KTP.",
        RuleCodes.NikSerialInvalid => $"NIK {NikMask.Mask(nik.Nik)}: empat digit terakhir tidak boleh 0000. Periksa kembali sesuai KTP.",
        _ => "NIK tidak sah.",
    };

    private static string KkMessage(Cell cell) =>
        KkValues.CameFromNumber(cell)
            ? "nomor KK tersimpan sebagai angka sehingga digitnya hilang (Excel hanya menyimpan 15 digit). Format kolom KK sebagai Teks, lalu ketik ulang."
            : "nomor KK harus 16 digit angka. Periksa kembali sesuai Kartu Keluarga.";

    private string? Address(SheetRow row)
    {
        var address = OptionalText(row, _address);
        string? rt = OptionalText(row, _rt) is { } rtText ? RtRwValues.Text(Cell(row, _rt)) ?? rtText : null;
        string? rw = OptionalText(row, _rw) is { } rwText ? RtRwValues.Text(Cell(row, _rw)) ?? rwText : null;
        if (Given(row, _rtRw) && TextOf(Cell(row, _rtRw)) is { } both)
        {
            var (r1, r2) = RtRwValues.Split(both);
            rt ??= r1;
            rw ??= r2;
        }
        var parts = new List<string>(3);
        if (address is not null) parts.Add(address);
        if (rt is not null) parts.Add($"RT {rt}");
        if (rw is not null) parts.Add($"RW {rw}");
        return parts.Count == 0 ? null : string.Join(" ", parts);
    }

    private string Title(RosterField field) => _header.TitleOf(field);

    private static Cell Cell(SheetRow row, int index) => index < 0 ? Roster.Cell.Empty : row[index];

    private static bool Given(SheetRow row, int index) => index >= 0 && !TextValues.IsBlankMark(row[index]);

    private static string? TextOf(Cell cell) => cell.IsEmpty ? null : cell.Text;

    private static string? OptionalText(SheetRow row, int index) =>
        Given(row, index) ? TextValues.Collapse(row[index].Text) is { Length: > 0 } t ? t : null : null;

    private static string Show(DateOnly date) => date.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

    private static string SexName(Sex sex) => sex == Sex.Female ? "perempuan" : "laki-laki";

    private static RosterIssue Error(int row, string column, string code, string text) =>
        new(row, column, code, IssueSeverity.Error, RosterIssue.Prefix(row, column) + text);

    private static RosterIssue Warning(int row, string column, string code, string text) =>
        new(row, column, code, IssueSeverity.Warning, RosterIssue.Prefix(row, column) + text);

    /// <summary>
    /// ALREADY_ENROLLED and DUPLICATE_IN_CAMPAIGN say which village and since when (roster.md; issue 9.2); ALREADY_ENROLLED
    /// also in which campaign (issue 13.2: the overlapping enrolment may be another programme's).
    /// </summary>
    internal static RosterIssue Conflict(int row, string column, NikConflict conflict) => conflict.Kind switch
    {
        NikConflictKind.AlreadyEnrolled => Error(row, column, RuleCodes.AlreadyEnrolled,
            $"NIK {NikMask.Mask(conflict.Nik)} sudah terdaftar sebagai peserta aktif{Since("sejak", conflict.Since)}" +
            $"{(conflict.VillageCode is null && conflict.VillageName is null ? "" : $", diusulkan oleh {VillageLabel(conflict)}")}" +
            $"{(conflict.CampaignName ?? conflict.CampaignId) switch { { } c => $" dalam kegiatan {c}", null => "" }}. " +
            "Hapus baris ini; peserta tersebut sudah terlindungi."),
        _ => Error(row, column, RuleCodes.DuplicateInCampaign,
            $"NIK {NikMask.Mask(conflict.Nik)} sudah diusulkan oleh {VillageLabel(conflict)}{Since("pada", conflict.Since)} dalam kegiatan ini. " +
            "Hapus baris ini, atau hubungi desa tersebut bila orang ini memang warga desa Anda."),
    };

    private static string Since(string word, DateOnly? day) => day is { } d ? $" {word} {Mail.IndonesianFormat.Date(d)}" : "";

    private static string VillageLabel(NikConflict conflict) => (conflict.VillageName, conflict.VillageCode) switch
    {
        ({ } name, { } code) => $"desa {name} ({code})",
        ({ } name, null) => $"desa {name}",
        (null, { } code) => $"desa {code}",
        _ => "desa lain",
    };
}
