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
    public async Task A_name_with_the_digit_0_is_NAME_SUSPICIOUS()
    {
        var report = await ValidateAsync(new Person(Name: "SITI AMINAH 0"));
        Assert.Equal([RuleCodes.NameSuspicious], report.CodesOn(FirstRow));
    }
}
