using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>The row rules besides the NIK checks, each on a real file.</summary>
public sealed class RowRuleTests
{
    [Fact]
    public async Task An_empty_name_is_NAME_MISSING_and_names_the_column_as_written()
    {
        var report = await ValidateAsync(new Person(Name: Blank));
        var issue = report.Single(FirstRow, RuleCodes.NameMissing);
        Assert.Equal(("error", "Nama Lengkap"), (issue.Severity, issue.Column));
        Assert.Contains("kolom Nama Lengkap", issue.Message);
        Assert.Equal(1, report.Rejected);
    }

    [Theory]
    [InlineData("SITI 2")]
    [InlineData("A")]
    [InlineData("-.")]
    public async Task A_name_with_digits_or_under_two_letters_is_NAME_SUSPICIOUS(string name)
    {
        var report = await ValidateAsync(new Person(Name: name));
        Assert.Equal("warning", report.Single(FirstRow, RuleCodes.NameSuspicious).Severity);
        Assert.Equal(1, report.Valid);
    }

    [Fact]
    public async Task A_birth_date_other_than_the_niks_is_BIRTHDATE_MISMATCH()
    {
        var report = await ValidateAsync(new Person(BirthDate: new DateOnly(1980, 1, 2)), new Person(Nik: XlsxRoster.Text("1503014101800002"), BirthDate: "1-1-1980"));
        var issue = report.Single(FirstRow, RuleCodes.BirthdateMismatch);
        Assert.Equal(("error", "Tanggal Lahir"), (issue.Severity, issue.Column));
        Assert.Contains("02-01-1980", issue.Message);
        Assert.Empty(report.CodesOn(FirstRow + 1));
    }

    [Fact]
    public async Task A_repeated_nik_is_DUPLICATE_IN_FILE_naming_the_first_row_which_stays_valid()
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person(), new Person(Nik: XlsxRoster.Text("1503014101800002")), new Person(Nik: 1503014101800001d)));
        Assert.Empty(report.CodesOn(FirstRow));
        var issue = report.Single(FirstRow + 2, RuleCodes.DuplicateInFile);
        Assert.Contains($"baris {FirstRow}", issue.Message);
        Assert.Equal("error", issue.Severity);
        Assert.Equal([FirstRow, FirstRow + 1], valid.Select(v => v.Row));
    }

    [Fact]
    public async Task Conflicts_come_from_one_lookup_per_chunk_and_give_DUPLICATE_IN_CAMPAIGN_and_ALREADY_ENROLLED()
    {
        var people = Enumerable.Range(1, 25).Select(i => new Person(Nik: XlsxRoster.Text($"15030141018{i:00000}"))).ToArray();
        var calls = new List<int>();
        var settings = Settings with
        {
            ConflictChunkSize = 10,
            ConflictLookup = (niks, _) =>
            {
                calls.Add(niks.Count);
                var found = new List<NikConflict>();
                if (niks.Contains("1503014101800003")) found.Add(new NikConflict("1503014101800003", NikConflictKind.AlreadyEnrolled));
                if (niks.Contains("1503014101800012"))
                {
                    found.Add(new NikConflict("1503014101800012", NikConflictKind.InOtherVillageBatch, "15.03.01.2002", "Sungai Keradak"));
                    found.Add(new NikConflict("1503014101800012", NikConflictKind.InOtherVillageBatch, "15.03.01.2003", "Muaro Air Dua"));
                    found.Add(new NikConflict("1503014101800012", NikConflictKind.AlreadyEnrolled));
                }
                return ValueTask.FromResult<IReadOnlyList<NikConflict>>(found);
            },
        };
        var (report, valid) = await ValidateCollectingAsync(Xlsx(people), settings);
        Assert.Equal([10, 10, 5], calls);
        Assert.Equal([RuleCodes.AlreadyEnrolled], report.CodesOn(FirstRow + 2));
        Assert.Equal([RuleCodes.DuplicateInCampaign, RuleCodes.AlreadyEnrolled], report.CodesOn(FirstRow + 11));
        Assert.Contains("Sungai Keradak", report.Single(FirstRow + 11, RuleCodes.DuplicateInCampaign).Message);
        Assert.Equal(1, report.ByCode[RuleCodes.DuplicateInCampaign]);
        Assert.Equal((25, 23, 2), (report.Rows, report.Valid, report.Rejected));
        Assert.Equal(23, valid.Count);
        Assert.DoesNotContain(valid, v => v.Nik is "1503014101800003" or "1503014101800012");
    }

    [Fact]
    public async Task The_lookup_gets_distinct_valid_niks_only()
    {
        IReadOnlyCollection<string>? asked = null;
        var settings = Settings with
        {
            ConflictLookup = (niks, _) =>
            {
                asked = niks.ToList();
                return ValueTask.FromResult<IReadOnlyList<NikConflict>>([]);
            },
        };
        await ValidateAsync(Xlsx(new Person(), new Person(), new Person(Nik: XlsxRoster.Text("123"))), settings: settings);
        Assert.Equal([Nik], asked);
    }

    [Theory]
    [InlineData("Tukang Sihir")]
    [InlineData("rentan sekali")]
    public async Task A_segment_matching_none_is_SEGMENT_UNKNOWN(string segment)
    {
        var report = await ValidateAsync(new Person(Segment: segment));
        var issue = report.Single(FirstRow, RuleCodes.SegmentUnknown);
        Assert.Equal(("error", "Segmen"), (issue.Severity, issue.Column));
        Assert.Contains("Pekerja Rentan", issue.Message);
    }

    [Theory]
    [InlineData("Pekerja Rentan", "rentan")]
    [InlineData("PEKERJARENTAN", "rentan")]
    [InlineData("buruh tani", "rentan")]
    [InlineData("Buruh  Tani", "rentan")]
    [InlineData("kpps", "adhoc")]
    [InlineData("Ketua RT", "rt")]
    [InlineData("Perangkat RT/RW", "rt")]
    [InlineData("Guru Ngaji", "keagamaan")]
    [InlineData("Relawan Pemadam Kebakaran", "damkar")]
    [InlineData("sawit", "sawit")]
    [InlineData("Nelayan Kecil", "nelayan")]
    public async Task Segments_match_codes_names_and_aliases_ignoring_case_and_spaces(string text, string code)
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person(Segment: text)));
        Assert.Empty(report.Issues);
        Assert.Equal(code, Assert.Single(valid).SegmentCode);
    }

    [Fact]
    public async Task An_empty_segment_is_the_default_one()
    {
        var (_, valid) = await ValidateCollectingAsync(Xlsx(new Person(Segment: Blank)));
        Assert.Equal("rentan", Assert.Single(valid).SegmentCode);
        var custom = Settings with { Segments = [new Segment("a", "Satu", []), new Segment("b", "Dua", [], IsDefault: true)] };
        var (_, validCustom) = await ValidateCollectingAsync(Xlsx(new Person(Segment: Blank)), custom);
        Assert.Equal("b", Assert.Single(validCustom).SegmentCode);
    }

    [Theory]
    [InlineData("L")]
    [InlineData("Laki-laki")]
    [InlineData("laki laki")]
    [InlineData("Pria")]
    [InlineData("LK")]
    public async Task A_sex_column_disagreeing_with_the_nik_is_SEX_MISMATCH(string sex)
    {
        var report = await ValidateAsync(new Person(Sex: sex));
        var issue = report.Single(FirstRow, RuleCodes.SexMismatch);
        Assert.Equal(("warning", "Jenis Kelamin"), (issue.Severity, issue.Column));
        Assert.Equal(1, report.Valid);
    }

    [Theory]
    [InlineData("P")]
    [InlineData("Pr")]
    [InlineData("perempuan")]
    [InlineData("WANITA")]
    [InlineData("W")]
    public async Task Female_forms_agree_with_a_female_nik(string sex)
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person(Sex: sex)));
        Assert.Empty(report.Issues);
        Assert.Equal(Sex.Female, Assert.Single(valid).Sex);
    }

    [Fact]
    public async Task An_empty_sex_is_taken_from_the_nik()
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person(Nik: XlsxRoster.Text("1503010101800001"), Sex: Blank)));
        Assert.Empty(report.Issues);
        Assert.Equal(Sex.Male, Assert.Single(valid).Sex);
    }

    [Theory]
    [InlineData("31-02-1980")]
    [InlineData("1980")]
    [InlineData("kemarin")]
    [InlineData("13/13/1980")] // neither day-first nor month-first (05/23/1980 makes a file month-first: DateOrderTests)
    public async Task An_unreadable_birth_date_is_BIRTHDATE_INVALID_and_the_niks_is_used(string text)
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person(BirthDate: text)));
        var issue = report.Single(FirstRow, RuleCodes.BirthdateInvalid);
        Assert.Equal(("warning", "Tanggal Lahir"), (issue.Severity, issue.Column));
        Assert.Equal(new DateOnly(1980, 1, 1), Assert.Single(valid).BirthDate);
        // roster.md: the message quotes what was written, names the date taken from the NIK and says how to write one.
        Assert.Contains($"\"{text}\"", issue.Message);
        Assert.Contains("dipakai tanggal dari NIK (01-01-1980)", issue.Message);
        Assert.Contains("Tulis tanggal-bulan-tahun seperti 12-05-1980, atau format sel sebagai Tanggal", issue.Message);
    }

    [Fact]
    public async Task A_year_typed_as_a_number_is_not_a_serial_date()
    {
        var report = await ValidateAsync(new Person(BirthDate: 1980));
        Assert.Equal([RuleCodes.BirthdateInvalid], report.CodesOn(FirstRow));
    }

    [Fact]
    public async Task No_birth_date_is_BIRTHDATE_FROM_NIK()
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person(BirthDate: Blank)));
        var issue = report.Single(FirstRow, RuleCodes.BirthdateFromNik);
        Assert.Equal("warning", issue.Severity);
        Assert.Contains("01-01-1980", issue.Message);
        Assert.Equal(new DateOnly(1980, 1, 1), Assert.Single(valid).BirthDate);
    }

    [Fact]
    public async Task Accepted_date_forms_all_agree_with_the_nik()
    {
        string[] forms =
        [
            "12-05-1980", "12/05/1980", "12.05.1980", "1980-05-12", "12 Mei 1980", "12 Mei 80", "12 May 1980", "12-Mei-1980",
            "12 mei 1980", "12 MEI 1980", "12 Mei, 1980", "1980-05-12 00:00:00",
        ];
        var people = forms.Select((f, i) => new Person(Nik: XlsxRoster.Text($"150301520580{i + 1:0000}"), BirthDate: f)).ToList();
        people.Add(new Person(Nik: XlsxRoster.Text("1503015205800100"), BirthDate: new DateOnly(1980, 5, 12)));
        people.Add(new Person(Nik: XlsxRoster.Text("1503015205800101"), BirthDate: XlsxRoster.Num(new DateTime(1980, 5, 12).ToOADate(), "0")));
        var report = await ValidateAsync(Xlsx([.. people]));
        Assert.Empty(report.Issues);
        Assert.Equal(people.Count, report.Valid);
    }

    [Theory]
    [InlineData(15, false)]
    [InlineData(65, false)]
    [InlineData(14, true)]
    [InlineData(66, true)]
    public async Task Age_on_the_coverage_start_outside_15_to_65_is_AGE_OUT_OF_RANGE(int age, bool flagged)
    {
        // Born on the coverage start date's day: exactly `age` years old that day; one day later would be one year less.
        var born = AsOf.AddYears(-age);
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text(NikFor(born, Sex.Female)), BirthDate: born));
        Assert.Equal(flagged, report.CodesOn(FirstRow).Contains(RuleCodes.AgeOutOfRange));
        if (flagged) Assert.Equal("warning", report.Single(FirstRow, RuleCodes.AgeOutOfRange).Severity);
    }

    [Fact]
    public async Task The_age_range_comes_from_the_settings()
    {
        var report = await ValidateAsync(Xlsx(new Person()), settings: Settings with { MinAge = 18, MaxAge = 40 });
        Assert.Equal([RuleCodes.AgeOutOfRange], report.CodesOn(FirstRow));
    }

    [Fact]
    public async Task A_bad_kk_is_KK_FORMAT()
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(
            new Person(Kk: XlsxRoster.Text("12345")),
            new Person(Nik: XlsxRoster.Text("1503014101800002"), Kk: 1503010101800010d),
            new Person(Nik: XlsxRoster.Text("1503014101800003"), Kk: 1503010101800001d),
            new Person(Nik: XlsxRoster.Text("1503014101800004"), Kk: "1503 0101 0180 0001"),
            new Person(Nik: XlsxRoster.Text("1503014101800005"), Kk: Blank)));
        Assert.Equal("warning", report.Single(FirstRow, RuleCodes.KkFormat).Severity);
        report.Single(FirstRow + 1, RuleCodes.KkFormat);
        Assert.Empty(report.CodesOn(FirstRow + 2));
        Assert.Empty(report.CodesOn(FirstRow + 3));
        Assert.Empty(report.CodesOn(FirstRow + 4));
        Assert.Equal([null, null, Kk, Kk, null], valid.Select(v => v.Kk));
    }

    [Theory]
    [InlineData("+6281234")]
    [InlineData("0812")]
    [InlineData("08123456789012345")]
    [InlineData("0741-123456")]
    [InlineData("nomor saya 0812")]
    [InlineData("+1 555 123 4567")]
    public async Task A_phone_that_is_no_indonesian_mobile_is_PHONE_INVALID(string phone)
    {
        var report = await ValidateAsync(new Person(Phone: phone));
        Assert.Equal("warning", report.Single(FirstRow, RuleCodes.PhoneInvalid).Severity);
    }

    [Fact]
    public async Task Phones_are_normalised_to_08()
    {
        object[] phones = ["+62 812-3456-7890", "6281234567890", "0812 3456 7890", "812-3456-7890", 81234567890d, "'081234567890"];
        var people = phones.Select((p, i) => new Person(Nik: XlsxRoster.Text($"15030141018{i + 1:00000}"), Phone: p)).ToArray();
        var (report, valid) = await ValidateCollectingAsync(Xlsx(people));
        Assert.Empty(report.Issues);
        Assert.All(valid, v => Assert.Equal("081234567890", v.Phone));
    }

    [Theory]
    [InlineData("Sungai Keradak")]
    [InlineData("Desa Sungai Keradak")]
    [InlineData("Tambak")]
    public async Task Another_village_is_VILLAGE_MISMATCH(string village)
    {
        // Most rows name the batch's village: one row naming another is a warning, not FILE_OTHER_VILLAGE.
        var report = await ValidateAsync(new Person(VillageName: village),
            new Person(Nik: XlsxRoster.Text("1503014101800002")), new Person(Nik: XlsxRoster.Text("1503014101800003")));
        var issue = report.Single(FirstRow, RuleCodes.VillageMismatch);
        Assert.Equal(("warning", "Desa"), (issue.Severity, issue.Column));
        Assert.Contains("Tambak Ratu", issue.Message);
    }

    [Theory]
    [InlineData("TAMBAK RATU")]
    [InlineData("tambak  ratu")]
    [InlineData("TambakRatu")]
    [InlineData("Desa Tambak Ratu")]
    [InlineData("Kelurahan Tambak Ratu")]
    [InlineData("Kel. Tambak Ratu")]
    [InlineData("Nagari Tambak Ratu")]
    public async Task The_batch_village_matches_ignoring_case_spaces_and_prefixes(string village)
    {
        var report = await ValidateAsync(new Person(VillageName: village));
        Assert.Empty(report.Issues);
    }

    [Fact]
    public async Task A_nik_missing_from_the_reference_is_NOT_IN_REFERENCE()
    {
        var settings = Settings with { Reference = new HashSet<string> { Nik } };
        var report = await ValidateAsync(Xlsx(new Person(), new Person(Nik: XlsxRoster.Text("1503014101800002"))), settings: settings);
        Assert.Empty(report.CodesOn(FirstRow));
        Assert.Equal("warning", report.Single(FirstRow + 1, RuleCodes.NotInReference).Severity);
        Assert.Equal(2, report.Valid);
        // Without a reference list there is no such check.
        Assert.Empty((await ValidateAsync(new Person(Nik: XlsxRoster.Text("1503014101800002")))).Issues);
    }

    [Fact]
    public async Task Place_and_date_of_birth_in_one_cell()
    {
        var csv = CsvRoster.Write(';', CsvEncoding.Windows1252,
            ["NIK", "Nama", "Tempat/Tanggal Lahir", "RT/RW", "Alamat"],
            [Nik, "Siti Aminah", "Sarolangun, 01-01-1980", "003/001", "Jl. Lintas"],
            ["1503014101800002", "Siti Aminah", "Sarolangun, 02-01-1980", "", ""],
            ["1503014101800003", "Siti Aminah", "Sarolangun 1 Januari 1980", "", ""],
            ["1503014101800004", "Siti Aminah", "Sarolangun, kemarin", "", ""],
            ["1503014101800005", "Siti Aminah", "Sarolangun", "", ""]);
        var (report, valid) = await ValidateCollectingAsync(csv, fileName: "roster.csv");
        Assert.Empty(report.CodesOn(2));
        var mismatch = report.Single(3, RuleCodes.BirthdateMismatch);
        Assert.Equal("Tempat/Tanggal Lahir", mismatch.Column);
        Assert.Empty(report.CodesOn(4));
        Assert.Equal([RuleCodes.BirthdateInvalid], report.CodesOn(5));
        Assert.Equal([RuleCodes.BirthdateFromNik], report.CodesOn(6));
        var first = valid[0];
        Assert.Equal(("Sarolangun", "Jl. Lintas RT 003 RW 001"), (first.BirthPlace, first.Address));
    }

    [Fact]
    public async Task Valid_rows_reach_the_callback_normalised()
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person(Name: "  siti   aminah ", Phone: "+62 812 3456 7890")));
        Assert.Empty(report.Issues);
        var e = Assert.Single(valid);
        Assert.Equal(new Enrollee(FirstRow, Nik, Kk, "SITI AMINAH", null, new DateOnly(1980, 1, 1), Sex.Female, null, Village,
            "081234567890", "rentan", null, null), e);
    }

    [Fact]
    public async Task A_row_counts_once_per_code_and_valid_with_warnings_counts_rows()
    {
        var report = await ValidateAsync(
            new Person(Sex: "L", Phone: "1", Kk: "1"),
            new Person(Nik: XlsxRoster.Text("1503014101800002"), Phone: "2"),
            new Person(Nik: XlsxRoster.Text("1503014101800003"), Name: Blank, Phone: "3"));
        Assert.Equal(3, report.ByCode[RuleCodes.PhoneInvalid]);
        Assert.Equal(1, report.ByCode[RuleCodes.SexMismatch]);
        Assert.Equal((3, 2, 1, 2), (report.Rows, report.Valid, report.Rejected, report.ValidWithWarnings));
        Assert.Equal(report.Issues.Count, report.ByCode.Values.Sum());
    }
}
