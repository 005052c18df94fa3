using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>
/// Row-rule cases the mutation check (tests/mutants) found untested: the other direction of SEX_MISMATCH, a KK too
/// long, a NIK only in another village's batch (rejected, not only flagged), a name with the digit 0.
/// </summary>
public sealed class RowEdgeTests
{
    [Fact]
    public async Task A_female_sex_column_on_a_mans_nik_is_SEX_MISMATCH()
    {
        // Born 1 January 1980, male (day 01); the column says P.
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text("1503010101800001"), Sex: "P"));
        Assert.Equal([RuleCodes.SexMismatch], report.CodesOn(FirstRow));
    }

    [Theory]
    [InlineData("15030101018000011")] // 17 digits
    [InlineData("150301010180000")]   // 15 digits
    public async Task A_kk_of_other_than_16_digits_is_KK_FORMAT(string kk)
    {
        var report = await ValidateAsync(new Person(Kk: XlsxRoster.Text(kk)));
        Assert.Equal([RuleCodes.KkFormat], report.CodesOn(FirstRow));
    }

    [Fact]
    public async Task A_nik_only_in_another_villages_batch_rejects_the_row()
    {
        var settings = Settings with
        {
            ConflictLookup = (niks, _) => ValueTask.FromResult<IReadOnlyList<NikConflict>>(
                [new NikConflict(Nik, NikConflictKind.InOtherVillageBatch, "15.03.01.2002", "Sungai Keradak")]),
        };
        var (report, valid) = await ValidateCollectingAsync(Xlsx(new Person()), settings);
        Assert.Equal("error", report.Single(FirstRow, RuleCodes.DuplicateInCampaign).Severity);
        Assert.Equal((1, 0, 1), (report.Rows, report.Valid, report.Rejected));
        Assert.Empty(valid);
    }

    [Fact]
    public async Task Conflicts_say_which_village_and_since_when_and_every_issue_names_its_person_once_prefixed()
    {
        var settings = Settings with
        {
            ConflictLookup = (niks, _) => ValueTask.FromResult<IReadOnlyList<NikConflict>>(
                [new NikConflict(Nik, NikConflictKind.InOtherVillageBatch, "15.03.01.2002", "Sungai Keradak", new DateOnly(2024, 10, 16)),
                 new NikConflict(Nik, NikConflictKind.AlreadyEnrolled, "15.03.01.2003", "Muaro Air Dua", new DateOnly(2024, 11, 1))]),
        };
        var report = await ValidateAsync(Xlsx(new Person()), settings: settings);

        var duplicate = report.Single(FirstRow, RuleCodes.DuplicateInCampaign);
        Assert.Contains("desa Sungai Keradak (15.03.01.2002) pada 16 Oktober 2024", duplicate.Message);
        var enrolled = report.Single(FirstRow, RuleCodes.AlreadyEnrolled);
        Assert.Contains("sejak 1 November 2024, diusulkan oleh desa Muaro Air Dua (15.03.01.2003)", enrolled.Message);

        // The person's name (as normalised: "Siti  Aminah " → "SITI AMINAH") rides on each issue; the village's line says
        // row, name and column once.
        Assert.All(report.Issues, i => Assert.Equal("SITI AMINAH", i.Name));
        Assert.StartsWith($"Baris {FirstRow} (SITI AMINAH), kolom NIK: NIK ", duplicate.Line);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(duplicate.Line, "Baris "));
        Assert.DoesNotContain(RuleCodes.DuplicateInCampaign, duplicate.Line);
    }

    [Fact]
    public async Task A_name_with_the_digit_0_is_NAME_SUSPICIOUS()
    {
        var report = await ValidateAsync(new Person(Name: "SITI AMINAH 0"));
        Assert.Equal([RuleCodes.NameSuspicious], report.CodesOn(FirstRow));
    }
}
