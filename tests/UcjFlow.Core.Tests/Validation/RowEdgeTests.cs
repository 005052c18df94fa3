using UcjFlow.Core.Roster;
using UcjFlow.Core.Tests.Fixtures;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>Row-rule cases the mutation check (tests/mutants) found untested: the other direction of SEX_MISMATCH, a KK too long.</summary>
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
}
