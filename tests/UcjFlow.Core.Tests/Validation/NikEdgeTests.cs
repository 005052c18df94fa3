using UcjFlow.Core.Roster;
using UcjFlow.Core.Tests.Fixtures;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>
/// NIK cases the mutation check (tests/mutants) found untested: a man's NIK stored as a number, first digits that are
/// no province without being a 9x code, and a 0000 serial after a year that does not end in 0.
/// </summary>
public sealed class NikEdgeTests
{
    [Fact]
    public async Task A_mans_valid_number_cell_also_gets_NIK_STORED_AS_NUMBER()
    {
        // Born 1 January 1980, male (day 01): the sex and birth-date columns agree with it.
        var report = await ValidateAsync(new Person(Nik: 1503010101800001d, Sex: "L"));
        Assert.Equal([RuleCodes.NikStoredAsNumber], report.CodesOn(FirstRow));
    }

    [Theory]
    [InlineData("1003014101800001")] // 10: below Aceh (11)
    [InlineData("2003014101800001")] // 20: between Sumatra (1x) and Riau Islands (21)
    [InlineData("4003014101800001")] // 40: no province starts with 4
    public async Task First_two_digits_that_name_no_province_are_NIK_REGION_UNKNOWN(string nik)
    {
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text(nik)));
        Assert.Equal([RuleCodes.NikRegionUnknown], report.CodesOn(FirstRow));
    }

    [Fact]
    public async Task A_0000_serial_is_NIK_SERIAL_INVALID_whatever_digit_comes_before_it()
    {
        // Born 1 January 1985 (female, day 41): only the last four digits are zero.
        var report = await ValidateAsync(new Person(Nik: XlsxRoster.Text("1503014101850000"), BirthDate: new DateOnly(1985, 1, 1)));
        Assert.Equal([RuleCodes.NikSerialInvalid], report.CodesOn(FirstRow));
    }
}
