using UcjFlow.Core.Regions;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Values;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>The value readers on their own: dates, phones, masks, names, villages, place and date of birth.</summary>
public sealed class ValueReaderTests
{
    private static readonly DateOnly Start = new(2024, 11, 1);

    [Theory]
    [InlineData("12-05-1980", 1980, 5, 12)]
    [InlineData("12/05/1980", 1980, 5, 12)]
    [InlineData("12.05.1980", 1980, 5, 12)]
    [InlineData("1980-05-12", 1980, 5, 12)]
    [InlineData("1980/5/2", 1980, 5, 2)]
    [InlineData("2-5-1980", 1980, 5, 2)]
    [InlineData("12 Mei 1980", 1980, 5, 12)]
    [InlineData("12 Mei 80", 1980, 5, 12)]
    [InlineData("12 Januari 1980", 1980, 1, 12)]
    [InlineData("12 Pebruari 1980", 1980, 2, 12)]
    [InlineData("12 Agustus 1980", 1980, 8, 12)]
    [InlineData("12 Agu 1980", 1980, 8, 12)]
    [InlineData("12 Agt 1980", 1980, 8, 12)]
    [InlineData("12 Agt. 1980", 1980, 8, 12)]
    [InlineData("12 Ags 1980", 1980, 8, 12)]
    [InlineData("12 August 1980", 1980, 8, 12)]
    [InlineData("12 Okt 1980", 1980, 10, 12)]
    [InlineData("12 October 1980", 1980, 10, 12)]
    [InlineData("12 Nopember 1980", 1980, 11, 12)]
    [InlineData("12 Des 1980", 1980, 12, 12)]
    [InlineData("12 Dec 1980", 1980, 12, 12)]
    [InlineData("12-Sep-80", 1980, 9, 12)]
    [InlineData("01-01-24", 2024, 1, 1)]   // not after the coverage start: 20yy
    [InlineData("01-11-24", 2024, 11, 1)]  // the start date itself: 20yy
    [InlineData("02-11-24", 1924, 11, 2)]  // after it: 19yy
    [InlineData("12-05-00", 2000, 5, 12)]
    [InlineData("1980-05-12 00:00:00", 1980, 5, 12)]
    public void Reads_day_first_dates(string text, int year, int month, int day)
    {
        Assert.True(RosterDates.TryParse(text, Start, out var date), text);
        Assert.Equal(new DateOnly(year, month, day), date);
    }

    [Theory]
    [InlineData("31-02-1980")]
    [InlineData("13-13-1980")]
    [InlineData("1980")]
    [InlineData("12051980")]
    [InlineData("12 Foo 1980")]
    [InlineData("Sarolangun, 12-05-1980")]
    [InlineData("12-05-198")]
    [InlineData("")]
    public void Refuses_what_is_no_date(string text) => Assert.False(RosterDates.TryParse(text, Start, out _));

    [Fact]
    public void Reads_date_cells_and_serial_numbers()
    {
        Assert.True(RosterDates.TryRead(new Cell(CellKind.Date, "1980-05-12", Date: new DateTime(1980, 5, 12)), Start, out var fromDate));
        Assert.Equal(new DateOnly(1980, 5, 12), fromDate);
        Assert.True(RosterDates.TryRead(new Cell(CellKind.Number, "29353", 29353), Start, out var fromSerial));
        Assert.Equal(new DateOnly(1980, 5, 12), fromSerial);
        Assert.False(RosterDates.TryRead(new Cell(CellKind.Number, "1980", 1980), Start, out _));
    }

    [Theory]
    [InlineData("1503014101800001", "150301******0001")]
    [InlineData("9999999999999999", "999999******9999")]
    public void Masks_niks(string nik, string masked) => Assert.Equal(masked, NikMask.Mask(nik));

    [Theory]
    [InlineData("+62 812-3456-7890", "081234567890")]
    [InlineData("6281234567890", "081234567890")]
    [InlineData("81234567890", "081234567890")]
    [InlineData("0812.3456.7890", "081234567890")]
    [InlineData("(0812) 3456 7890", "081234567890")]
    [InlineData("081234567", "081234567")]
    [InlineData("08123456789012", null)]
    [InlineData("0812345678", "0812345678")]
    [InlineData("+6281234", null)]
    [InlineData("0711-123456", null)]
    [InlineData("+1 555 123 4567", null)]
    [InlineData("0812345678a", null)]
    public void Normalises_phones(string text, string? expected)
    {
        // 081234567 has 9 digits: too short.
        var want = expected is { Length: < 10 } ? null : expected;
        Assert.Equal(want, PhoneValues.Normalise(new Cell(CellKind.Text, text)));
    }

    [Theory]
    [InlineData("  siti   aminah ", "SITI AMINAH")]
    [InlineData("M. Yusuf", "M. YUSUF")]
    public void Normalises_names(string text, string expected) => Assert.Equal(expected, NameValues.Normalise(text));

    [Theory]
    [InlineData("Sarolangun, 12-05-1980", "Sarolangun", "12-05-1980")]
    [InlineData("Sarolangun ,12 Mei 1980", "Sarolangun", "12 Mei 1980")]
    [InlineData("Sarolangun 12-05-1980", "Sarolangun", "12-05-1980")]
    [InlineData("Sarolangun/12-05-1980", "Sarolangun", "12-05-1980")]
    [InlineData("Sarolangun", "Sarolangun", null)]
    [InlineData("12-05-1980", null, "12-05-1980")]
    public void Splits_place_and_date(string text, string? place, string? date) =>
        Assert.Equal((place, date), PlaceAndDateValues.Split(text));

    [Theory]
    [InlineData("Lubuk Gadang", true)]
    [InlineData("NAGARI LUBUK GADANG", true)]
    [InlineData("Desa Lubuk Gadang", true)]
    [InlineData("Kel.Lubuk Gadang", true)]
    [InlineData("13.11.01.2001", true)]
    [InlineData("Lubuk Gadang Timur", false)]
    [InlineData("Desa", true)] // names no village at all, so no other village either
    public void Matches_the_batch_village(string text, bool matches)
    {
        var matcher = new VillageMatcher(RegionCodes.Default.Village("13.11.01.2001")!);
        Assert.Equal(matches, matcher.Matches(text));
    }

    [Theory]
    [InlineData("3.50301E+15", true)]
    [InlineData("3,50301E+15", true)]
    [InlineData("3.50301e15", true)]
    [InlineData("1503014101800001", false)]
    [InlineData("E+15", false)]
    public void Recognises_scientific_notation(string text, bool scientific) => Assert.Equal(scientific, TextValues.IsScientific(text));
}

public sealed class QuoteTests
{
    [Theory]
    [InlineData("+6281234", "+6281234")]
    [InlineData("Jl. Lintas No. 12", "Jl. Lintas No. 12")]
    [InlineData("nik 1503014101800001 ya", "nik 150301******0001 ya")]
    [InlineData("1503 0141 0180 0001", "150301******0001")]
    [InlineData("1503-0141-0180-0001.", "150301******0001.")]
    [InlineData("", "")]
    public void Masks_long_digit_runs_in_quoted_values(string text, string expected) =>
        Assert.Equal(expected, UcjFlow.Core.Roster.Values.TextValues.Quote(text));
}
