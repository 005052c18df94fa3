using System.Text.Json;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;

namespace UcjFlow.Core.Tests.Regressions;

/// <summary>
/// Rosters as they really arrive, one file per quirk that once went wrong, named after what it found (as
/// ExcelDataReader keeps its bug files): each gives exactly its entry of Regressions/expected.json, checked with
/// --village 15.03.01.2001 (Kec. Batang Asai, Sarolangun) and --as-of 2024-11-01. Regressions/README.md says how each
/// file was made.
/// </summary>
public sealed class RegressionRosterTests
{
    private const string Village = "15.03.01.2001";
    private static readonly DateOnly AsOf = new(2024, 11, 1);

    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Regressions", name);

    private static List<string> Listed()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(PathOf("expected.json")));
        return expected.RootElement.EnumerateObject().Select(p => p.Name).ToList();
    }

    public static TheoryData<string> Files() => new(Listed());

    [Fact]
    public void Every_regression_file_has_its_expected_report()
    {
        var onDisk = Directory.GetFiles(PathOf(""))
            .Select(p => Path.GetFileName(p))
            .Where(n => n is not ("expected.json" or "README.md"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, Listed().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Regression_file_gives_its_expected_report(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf("expected.json")));
        var expected = doc.RootElement.GetProperty(file);
        var report = await ValidateAsync(await File.ReadAllBytesAsync(PathOf(file)), file);

        var fileCode = expected.TryGetProperty("fileCode", out var fc) ? fc.GetString() : null;
        Assert.Equal(fileCode, report.FileCode);
        Assert.Equal(expected.GetProperty("rows").GetInt32(), report.Rows);
        Assert.Equal(expected.GetProperty("valid").GetInt32(), report.Valid);
        if (expected.TryGetProperty("headerRow", out var headerRow)) Assert.Equal(headerRow.GetInt32(), report.HeaderRow);
        Assert.Equal(expected.TryGetProperty("notes", out var notes) ? notes.GetInt32() : 0, report.Notes?.Count ?? 0);
        var want = expected.GetProperty("issues").EnumerateArray().Select(i => (i[0].GetInt32(), i[1].GetString()!)).ToList();
        var got = report.Issues.Select(i => (i.Row, i.Code)).ToList();
        Assert.Equal(want, got);
    }

    [Fact]
    public async Task Invisible_characters_never_reach_a_column_label_or_a_quoted_value()
    {
        const string file = "invisible-format-chars-in-every-field.csv";
        var report = await ValidateAsync(await File.ReadAllBytesAsync(PathOf(file)), file);
        var nikFormat = Assert.Single(report.Issues, i => i.Code == RuleCodes.NikFormat);
        Assert.Equal("NIK", nikFormat.Column);
        Assert.Contains("kolom NIK:", nikFormat.Message);
        Assert.Contains("15 digit", nikFormat.Message);
    }

    [Fact]
    public async Task Strict_open_xml_reads_as_the_transitional_workbook_it_was_made_from()
    {
        var transitional = await File.ReadAllBytesAsync(PathOf("sources/birth-date-cells.xlsx"));
        var strict = OoxmlVariants.ToStrict(transitional);
        var (a, b) = (await ValidateAsync(transitional, "t.xlsx"), await ValidateAsync(strict, "s.xlsx"));
        Assert.Null(b.FileCode);
        Assert.Equal((a.Rows, a.Valid, a.HeaderRow), (b.Rows, b.Valid, b.HeaderRow));
        Assert.Equal(a.Issues.Select(i => (i.Row, i.Column, i.Code, i.Message)), b.Issues.Select(i => (i.Row, i.Column, i.Code, i.Message)));
    }

    [Fact]
    public async Task A_workbook_whose_cells_cannot_be_read_is_never_header_not_found()
    {
        var transitional = await File.ReadAllBytesAsync(PathOf("sources/birth-date-cells.xlsx"));
        var report = await ValidateAsync(OoxmlVariants.WithStrictWorksheets(transitional), "x.xlsx");
        Assert.Equal(RuleCodes.FileCorrupt, report.FileCode);
        Assert.Contains("simpan ulang sebagai \"Excel Workbook (.xlsx)\"", report.FileMessage);
    }

    private static async Task<RosterReport> ValidateAsync(byte[] content, string file)
    {
        using var stream = new MemoryStream(content);
        return await RosterValidator.ValidateAsync(stream, file, ValidationSettings.Defaults(Village, AsOf));
    }
}
