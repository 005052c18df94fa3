using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>The NIK rules of roster.md, each on a real xlsx (text and number cells) or CSV, and their order.</summary>
public sealed class NikRuleTests
{
    [Fact]
    public async Task A_valid_text_nik_gets_no_issue_and_the_row_is_valid()
    {
        var report = await ValidateAsync(new Person());
        Assert.Empty(report.Issues);
        Assert.Equal((1, 1, 0, 0), (report.Rows, report.Valid, report.Rejected, report.ValidWithWarnings));
        Assert.Equal(RosterStatus.Valid, report.Status);
    }

    [Fact]
    public async Task An_empty_nik_cell_is_NIK_MISSING()
    {
        var report = await ValidateAsync(new Person(Nik: Blank));
        var issue = report.Single(FirstRow, RuleCodes.NikMissing);
        Assert.Equal("error", issue.Severity);
        Assert.Equal("NIK", issue.Column);
        Assert.StartsWith($"Baris {FirstRow}, kolom NIK:", issue.Message);
        Assert.Equal(1, report.Rejected);
        Assert.Equal(RosterStatus.Invalid, report.Status);
    }

    [Theory]
    [InlineData("150301410180001")]      // 15 digits
    [InlineData("15030141018000011")]    // 17 digits
    [InlineData("15030141018O0001")]     // a letter O
    [InlineData("-")]
    public async Task Anything_but_16_digits_is_NIK_FORMAT(string nik)
    {
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text(nik)));
        Assert.Equal([RuleCodes.NikFormat], report.CodesOn(FirstRow));
    }

    [Theory]
    [InlineData("1503 0141 0180 0001")]
    [InlineData("'1503014101800001")]
    [InlineData("15.03.01.410180.0001")]
    [InlineData("1503-0141-0180-0001")]
    public async Task Spaces_dots_dashes_and_a_leading_apostrophe_are_removed(string nik)
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person(Nik: XlsxRoster.Text(nik))));
        Assert.Empty(report.Issues);
        Assert.Equal(Nik, Assert.Single(valid).Nik);
    }

    [Fact]
    public async Task A_number_cell_ending_in_zero_is_NIK_PRECISION_LOST()
    {
        // Excel kept 15 significant digits of 1503014101800011: the stored number ends in 0.
        var report = await ValidateAsync(new Person(Nik: 1503014101800010d));
        Assert.Equal([RuleCodes.NikPrecisionLost], report.CodesOn(FirstRow));
        Assert.Contains("150301******0010", report.Issues[0].Message);
    }

    [Fact]
    public async Task Scientific_notation_text_is_NIK_PRECISION_LOST()
    {
        var csv = CsvRoster.Write(',', CsvEncoding.Utf8Bom, ["NIK", "Nama"], ["3.50301E+15", "ANI"], ["1,50301E+15", "BUDI"]);
        var report = await ValidateAsync(csv, "15.03.01.2001.csv");
        Assert.Equal([RuleCodes.NikPrecisionLost], report.CodesOn(2));
        Assert.Equal([RuleCodes.NikPrecisionLost], report.CodesOn(3));
    }

    [Fact]
    public async Task A_valid_number_cell_is_accepted_with_NIK_STORED_AS_NUMBER()
    {
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person(Nik: 1503014101800001d)));
        var issue = report.Single(FirstRow, RuleCodes.NikStoredAsNumber);
        Assert.Equal("warning", issue.Severity);
        Assert.Equal((1, 1), (report.Valid, report.ValidWithWarnings));
        Assert.Equal(Nik, Assert.Single(valid).Nik);
    }

    [Theory]
    [InlineData("1111111111111111")]
    [InlineData("0000000000000000")]
    [InlineData("1234567890123456")]
    public async Task Placeholders_are_NIK_PLACEHOLDER(string nik)
    {
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text(nik)));
        Assert.Equal([RuleCodes.NikPlaceholder], report.CodesOn(FirstRow));
    }

    [Fact]
    public async Task A_first_two_digits_not_a_province_is_NIK_REGION_UNKNOWN()
    {
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text("9903014101800001")));
        Assert.Equal([RuleCodes.NikRegionUnknown], report.CodesOn(FirstRow));
    }

    [Theory]
    [InlineData("1503013201800001")] // day 32
    [InlineData("1503017201800001")] // day 72
    [InlineData("1503010001800001")] // day 00
    [InlineData("1503014001800001")] // day 40 (00 for a woman)
    [InlineData("1503013102800001")] // 31 February
    [InlineData("1503011013800001")] // month 13
    [InlineData("1503012902810001")] // 29 February 1981
    public async Task Digits_7_to_12_not_a_date_are_NIK_BIRTHDATE_INVALID(string nik)
    {
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text(nik), BirthDate: Blank));
        Assert.Equal([RuleCodes.NikBirthdateInvalid], report.CodesOn(FirstRow));
    }

    [Fact]
    public async Task A_woman_born_on_the_31st_is_day_71_and_29_february_of_a_leap_year_is_valid()
    {
        var report = await ValidateAsync(
            new Person(Nik: XlsxRoster.Text("1503017112800001"), BirthDate: new DateOnly(1980, 12, 31)),
            new Person(Nik: XlsxRoster.Text("1503016902800002"), BirthDate: new DateOnly(1980, 2, 29)));
        Assert.Empty(report.Issues);
    }

    [Fact]
    public async Task Serial_0000_is_NIK_SERIAL_INVALID()
    {
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text("1503014101800000")));
        Assert.Equal([RuleCodes.NikSerialInvalid], report.CodesOn(FirstRow));
    }

    [Fact]
    public async Task Nik_checks_stop_at_the_first_error_in_the_order_of_the_table()
    {
        var report = await ValidateAsync(
            // Placeholder and unknown province (99): placeholder comes first.
            new Person(Nik: XlsxRoster.Text("9999999999999999")),
            // Unknown province and a bad date: the province comes first.
            new Person(Nik: XlsxRoster.Text("9903013201800001")),
            // Bad date and serial 0000: the date comes first.
            new Person(Nik: XlsxRoster.Text("1503013201800000")),
            // A number ending in 0 that would also be serial 0000: precision comes first, and no NIK_STORED_AS_NUMBER.
            new Person(Nik: 1503014101800000d),
            // 16 digits with a letter: format, nothing else.
            new Person(Nik: XlsxRoster.Text("99999999999999A9")));
        Assert.Equal([RuleCodes.NikPlaceholder], report.CodesOn(FirstRow));
        Assert.Equal([RuleCodes.NikRegionUnknown], report.CodesOn(FirstRow + 1));
        Assert.Equal([RuleCodes.NikBirthdateInvalid], report.CodesOn(FirstRow + 2));
        Assert.Equal([RuleCodes.NikPrecisionLost], report.CodesOn(FirstRow + 3));
        Assert.Equal([RuleCodes.NikFormat], report.CodesOn(FirstRow + 4));
    }

    [Fact]
    public async Task A_nik_with_an_error_gets_no_nik_warning_no_duplicate_check_and_no_comparison()
    {
        // Serial 0000, stored as text, male sex column for a female NIK, another birth date, outside the regency, twice.
        var bad = new Person(Nik: XlsxRoster.Text("1571014101800000"), Sex: "L", BirthDate: new DateOnly(1990, 5, 5));
        var report = await ValidateAsync(bad, bad, new Person(Nik: 1571014101800000d, BirthDate: Blank));
        Assert.Equal([RuleCodes.NikSerialInvalid], report.CodesOn(FirstRow));
        Assert.Equal([RuleCodes.NikSerialInvalid], report.CodesOn(FirstRow + 1));
        Assert.Equal([RuleCodes.NikPrecisionLost], report.CodesOn(FirstRow + 2));
        Assert.Equal(3, report.Rejected);
    }

    [Fact]
    public async Task Other_rules_are_still_checked_when_the_nik_has_an_error()
    {
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text("123"), Name: Blank, Segment: "Tukang Sihir", Phone: "12"));
        Assert.Equal([RuleCodes.NikFormat, RuleCodes.NameMissing, RuleCodes.SegmentUnknown, RuleCodes.PhoneInvalid], report.CodesOn(FirstRow));
    }

    [Fact]
    public async Task A_province_known_but_regency_or_district_not_listed_is_NIK_REGION_UNLISTED_instead_of_outside_regency()
    {
        var report = await ValidateAsync(
            new Person(Nik: XlsxRoster.Text("1599014101800001")),  // 15.99 is no regency
            new Person(Nik: XlsxRoster.Text("1571994101800002")),  // Kota Jambi, but 15.71.99 is no district
            new Person(Nik: XlsxRoster.Text("1503994101800003"))); // Sarolangun, but 15.03.99 is no district
        Assert.Equal([RuleCodes.NikRegionUnlisted], report.CodesOn(FirstRow));
        Assert.Equal([RuleCodes.NikRegionUnlisted], report.CodesOn(FirstRow + 1));
        Assert.Equal([RuleCodes.NikRegionUnlisted], report.CodesOn(FirstRow + 2));
        Assert.Equal("warning", report.Issues[0].Severity);
        Assert.Equal(3, report.Valid);
    }

    [Fact]
    public async Task A_current_regency_other_than_the_campaigns_is_NIK_OUTSIDE_REGENCY()
    {
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text("1571014101800001")));
        var issue = report.Single(FirstRow, RuleCodes.NikOutsideRegency);
        Assert.Equal("warning", issue.Severity);
        Assert.Contains("Kota Jambi", issue.Message);
        Assert.Equal(1, report.ValidWithWarnings);
    }

    [Fact]
    public async Task The_campaign_regency_decides_outside_regency()
    {
        var settings = Settings with { RegencyCode = "15.71" };
        var report = await ValidateAsync(Xlsx(new Person(), new Person(Nik: XlsxRoster.Text("1571014101800002"))), settings: settings);
        Assert.Equal([RuleCodes.NikOutsideRegency], report.CodesOn(FirstRow));
        Assert.Empty(report.CodesOn(FirstRow + 1));
    }

    [Fact]
    public async Task Nik_year_follows_the_two_digit_year_rule()
    {
        // 01-12-24 is after the coverage start (2024-11-01), so it is 1924: a man of 99.
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text("1503010112240001"), Sex: "L", BirthDate: Blank));
        Assert.Contains(RuleCodes.AgeOutOfRange, report.CodesOn(FirstRow));
        Assert.Contains("01-12-1924", report.Single(FirstRow, RuleCodes.BirthdateFromNik).Message);

        // 01-10-09 is not after it: 2009, a boy of 15.
        var (young, valid) = await ValidateCollectingAsync(Xlsx(new Person(Nik: XlsxRoster.Text("1503010110090001"), Sex: "L", BirthDate: Blank)));
        Assert.Equal(new DateOnly(2009, 10, 1), Assert.Single(valid).BirthDate);
        Assert.DoesNotContain(RuleCodes.AgeOutOfRange, young.CodesOn(FirstRow));
    }

    [Fact]
    public async Task Messages_never_hold_a_full_nik()
    {
        var niks = new[] { "1503014101800001", "1571014101800002", "1503014101800001", "1599014101800003" };
        string[] hidden = [.. niks, "15030141018000099", "1503014101800098", "1503014101800097", "1503014101800096", "1503014101800095", "1503014101800094"];
        var settings = Settings with
        {
            Reference = new HashSet<string>(),
            ConflictLookup = (batch, _) => ValueTask.FromResult<IReadOnlyList<NikConflict>>(
                batch.Select(n => new NikConflict(n, NikConflictKind.AlreadyEnrolled)).ToList()),
        };
        // Shifted columns put NIKs where messages quote the cell: name, phone, village, segment, birth date.
        var shifted = new Person(Nik: XlsxRoster.Text("15030141018000099"), Name: "1503014101800098", Phone: "1503 0141 0180 0097",
            VillageName: "1503014101800096", Segment: "1503-0141-0180-0095", BirthDate: "1503014101800094");
        var report = await ValidateAsync(Xlsx([.. niks.Select(n => new Person(Nik: XlsxRoster.Text(n))), new Person(Nik: 1503014101800010d), shifted]), settings: settings);
        Assert.Equal(6, report.CodesOn(FirstRow + 5).Length);
        Assert.NotEmpty(report.Issues);
        foreach (var issue in report.Issues)
        {
            Assert.DoesNotMatch(@"\d{16}", issue.Message.Replace(" ", ""));
            foreach (var nik in hidden) Assert.DoesNotContain(nik, issue.Message.Replace(" ", "").Replace("-", ""));
        }
        Assert.Contains(report.Issues, i => i.Message.Contains("150301******0001"));
    }
}
