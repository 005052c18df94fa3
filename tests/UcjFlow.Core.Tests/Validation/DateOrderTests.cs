using System.Text;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Roster.Values;
using UcjFlow.Core.Tests.Fixtures;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>
/// Dates as villages save them (issue 9, point 5; roster.md, Reading values): a month-first date column is read
/// month-first for the whole file and the report says so once; a single swapped row is BIRTHDATE_MISMATCH with
/// "tanggal dan bulan tertukar".
/// </summary>
public sealed class DateOrderTests
{
    private static readonly string[] Header = ["NIK", "Nama", "Tanggal Lahir"];

    /// <summary>A CSV row (data from line 2) for a woman born on <paramref name="born"/>, her date written as <paramref name="written"/>.</summary>
    private static string?[] Row(DateOnly born, string written, int serial) =>
        [NikFor(born, Sex.Female, serial: $"{serial:0000}"), "SITI AMINAH", written];

    private static Task<RosterReport> ValidateCsvAsync(params string?[][] rows) =>
        ValidateAsync(CsvRoster.Write([Header, .. rows], ';', CsvEncoding.Utf8), "roster.csv");

    [Fact]
    public async Task A_middle_part_above_12_reads_the_whole_file_month_first()
    {
        // The rows before the telling one are read month-first too: 05/12/1980 is 12 May, as the NIK says. Only one
        // row of three matches its NIK only when swapped, so the middle part alone decides.
        var report = await ValidateCsvAsync(
            Row(new DateOnly(1980, 5, 12), "05/12/1980", 1),
            Row(new DateOnly(1975, 6, 6), "6/6/1975", 2),
            Row(new DateOnly(1990, 7, 7), "07/07/1990", 3),
            Row(new DateOnly(1985, 3, 25), "03/25/1985", 4));
        Assert.Empty(report.Issues);
        Assert.Equal(4, report.Valid);
        Assert.Contains("bulan lebih dulu", Assert.Single(report.Notes!));
    }

    [Fact]
    public async Task Most_rows_matching_the_nik_only_when_swapped_read_the_file_month_first()
    {
        // No middle part above 12; three of four rows match their NIK only month-first, the fourth either way.
        var report = await ValidateCsvAsync(
            Row(new DateOnly(1980, 5, 12), "05/12/1980", 1),
            Row(new DateOnly(1982, 3, 4), "03/04/1982", 2),
            Row(new DateOnly(1975, 6, 6), "06/06/1975", 3),
            Row(new DateOnly(1990, 7, 1), "07/01/1990", 4));
        Assert.Empty(report.Issues);
        Assert.Equal(4, report.Valid);
        Assert.Single(report.Notes!);
    }

    [Fact]
    public async Task One_swapped_row_in_a_day_first_file_is_BIRTHDATE_MISMATCH_saying_day_and_month_are_swapped()
    {
        var report = await ValidateCsvAsync(
            Row(new DateOnly(1980, 5, 12), "12/05/1980", 1),
            Row(new DateOnly(1985, 3, 25), "25/03/1985", 2),
            Row(new DateOnly(1982, 4, 3), "04/03/1982", 3),
            Row(new DateOnly(1990, 7, 1), "02/07/1990", 4));
        Assert.Null(report.Notes);
        Assert.Empty(report.CodesOn(2));
        Assert.Empty(report.CodesOn(3));
        var swapped = report.Single(4, RuleCodes.BirthdateMismatch);
        Assert.Equal("error", swapped.Severity);
        Assert.Contains("tanggal dan bulan tertukar", swapped.Message);
        Assert.Contains("04-03-1982", swapped.Message);
        // A date that is simply another day is no swap.
        Assert.DoesNotContain("tertukar", report.Single(5, RuleCodes.BirthdateMismatch).Message);
        Assert.Equal(2, report.Valid);
    }

    [Fact]
    public async Task The_report_says_month_first_once_in_json_html_and_csv()
    {
        var rows = Enumerable.Range(1, 6).Select(i => Row(new DateOnly(1980 + i, i, 12 + i), $"{i}/{12 + i}/{1980 + i}", i)).ToArray();
        var report = await ValidateCsvAsync(rows);
        Assert.Equal(6, report.Valid);
        var note = Assert.Single(report.Notes!);
        Assert.Contains("kolom Tanggal Lahir", note);

        Assert.Equal(note, Assert.Single(RosterReportJson.Deserialize(RosterReportJson.Serialize(report)).Notes!));
        Assert.Equal(1, Count(RosterReportHtml.Render(report), System.Net.WebUtility.HtmlEncode(note)));
        Assert.Equal(1, Count(RosterReportCsv.Render(report), note));

        var dayFirst = await ValidateCsvAsync(Row(new DateOnly(1980, 5, 12), "12/05/1980", 1));
        Assert.DoesNotContain("\"notes\"", RosterReportJson.Serialize(dayFirst));
    }

    [Fact]
    public async Task A_month_first_file_bigger_than_the_vote_window_keeps_every_row_in_order()
    {
        // The telling date comes last in the held window; every row, held or not, reaches the callback once, in order.
        var rows = new List<string?[]>();
        for (var i = 0; i < DateOrderVote.Window + 10; i++)
        {
            var born = new DateOnly(1970 + i % 30, 1 + i % 12, i == DateOrderVote.Window - 1 ? 25 : 1 + i % 12 / 2);
            rows.Add(Row(born, $"{born.Month}/{born.Day}/{born.Year}", i + 1));
        }
        var (report, valid) = await ValidateCollectingAsync(CsvRoster.Write([Header, .. rows], ';', CsvEncoding.Utf8), fileName: "roster.csv");
        Assert.Empty(report.Issues);
        Assert.Equal(rows.Count, valid.Count);
        Assert.Equal(Enumerable.Range(2, rows.Count), valid.Select(v => v.Row));
        Assert.Single(report.Notes!);
    }

    [Theory]
    [InlineData("05/12/1980", 1980, 12, 5, 1980, 5, 12)]
    [InlineData("5-12-80", 1980, 12, 5, 1980, 5, 12)]
    [InlineData("05/12/1980 0:00", 1980, 12, 5, 1980, 5, 12)]
    [InlineData("12 Mei 1980", 1980, 5, 12, 1980, 5, 12)]
    [InlineData("1980-05-12", 1980, 5, 12, 1980, 5, 12)]
    public void Month_first_swaps_only_dates_of_three_numbers_with_the_year_last(string text, int dy, int dm, int dd, int my, int mm, int md)
    {
        Assert.True(RosterDates.TryParse(text, AsOf, out var dayFirst));
        Assert.True(RosterDates.TryParse(text, AsOf, out var monthFirst, DateOrder.MonthFirst));
        Assert.Equal((new DateOnly(dy, dm, dd), new DateOnly(my, mm, md)), (dayFirst, monthFirst));
    }

    private static int Count(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
