using System.Globalization;
using UcjFlow.Core.Mail;

namespace UcjFlow.Core.Tests.Mail;

public class IndonesianFormatTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(999, "999")]
    [InlineData(112644, "112.644")]
    [InlineData(-1234567, "-1.234.567")]
    public void Number_groups_thousands_with_dots(long value, string expected) =>
        Assert.Equal(expected, IndonesianFormat.Number(value));

    [Theory]
    [InlineData("13045334400", "Rp 13.045.334.400")]
    [InlineData("16800", "Rp 16.800")]
    [InlineData("0", "Rp 0")]
    [InlineData("1999.5", "Rp 2.000")]
    [InlineData("-201600", "-Rp 201.600")]
    public void Rupiah_has_no_decimals_and_dot_groups(string amount, string expected) =>
        Assert.Equal(expected, IndonesianFormat.Rupiah(decimal.Parse(amount, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("57.4512", "57,45%")]
    [InlineData("52", "52,00%")]
    [InlineData("65.005", "65,01%")]
    [InlineData("1234.5", "1.234,50%")]
    public void Percent_uses_a_decimal_comma(string value, string expected) =>
        Assert.Equal(expected, IndonesianFormat.Percent(decimal.Parse(value, CultureInfo.InvariantCulture)));

    [Fact]
    public void Dates_use_Indonesian_month_and_day_names()
    {
        Assert.Equal("22 Oktober 2024", IndonesianFormat.Date(new DateOnly(2024, 10, 22)));
        Assert.Equal("Selasa, 22 Oktober 2024", IndonesianFormat.DateWithDay(new DateOnly(2024, 10, 22)));
        Assert.Equal("Minggu, 1 Desember 2024", IndonesianFormat.DateWithDay(new DateOnly(2024, 12, 1)));
        Assert.Equal("3 Mei 2025", IndonesianFormat.Date(new DateOnly(2025, 5, 3)));
    }

    [Fact]
    public void Instants_are_shown_in_Jakarta_time()
    {
        // 23:30 UTC on 21 October is 06:30 on 22 October in Jakarta (UTC+7).
        var instant = new DateTimeOffset(2024, 10, 21, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal("22 Oktober 2024 pukul 06.30 WIB", IndonesianFormat.DateTime(instant));
        Assert.Equal(new DateOnly(2024, 10, 22), IndonesianFormat.JakartaDate(instant));
    }

    [Fact]
    public void Formatting_does_not_follow_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("en-US");
            Assert.Equal("Rp 1.234.567", IndonesianFormat.Rupiah(1234567m));
            Assert.Equal("57,45%", IndonesianFormat.Percent(57.45m));
            Assert.Equal("22 Oktober 2024", IndonesianFormat.Date(new DateOnly(2024, 10, 22)));
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Theory]
    [InlineData(7, "7 hari lagi")]
    [InlineData(1, "besok")]
    [InlineData(0, "hari ini")]
    [InlineData(-1, "sudah lewat 1 hari")]
    [InlineData(-12, "sudah lewat 12 hari")]
    public void Days_to_the_deadline_read_as_a_village_reads_them_also_after_it(int days, string expected) =>
        Assert.Equal(expected, IndonesianFormat.DaysLeft(days));
}
