using System.Text;
using System.Text.Json;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;
using UcjFlow.Core.Tests.Validation;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Report;

/// <summary>The report as JSON (roster.md's names), HTML for villages and CSV for coordinators.</summary>
public sealed class ReportRenderingTests
{
    private static readonly string[] Niks = ["1503014101800001", "1571014101800002", "1503014101800001"];

    private static Task<RosterReport> SomeReportAsync() => ValidateAsync(Xlsx(
        new Person(),
        new Person(Nik: XlsxRoster.Text(Niks[1]), Name: "<script>alert(1)</script>", Sex: "L"),
        new Person(Nik: XlsxRoster.Text(Niks[2])),
        new Person(Nik: XlsxRoster.Text("123"))));

    [Fact]
    public async Task Json_has_exactly_the_names_of_roster_md()
    {
        var report = await SomeReportAsync();
        using var doc = JsonDocument.Parse(RosterReportJson.Serialize(report));
        var root = doc.RootElement;
        Assert.Equal(
            ["file", "village", "status", "fileCode", "sheet", "headerRow", "rows", "valid", "rejected", "validWithWarnings", "byCode", "issues"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("15.03.01.2001-roster.xlsx", root.GetProperty("file").GetString());
        Assert.Equal("15.03.01.2001", root.GetProperty("village").GetString());
        Assert.Equal("Valid", root.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("fileCode").ValueKind);
        Assert.Equal("Data", root.GetProperty("sheet").GetString());
        Assert.Equal(3, root.GetProperty("headerRow").GetInt32());
        Assert.Equal((4, 2, 2, 1), (root.GetProperty("rows").GetInt32(), root.GetProperty("valid").GetInt32(),
            root.GetProperty("rejected").GetInt32(), root.GetProperty("validWithWarnings").GetInt32()));
        Assert.Equal(1, root.GetProperty("byCode").GetProperty(RuleCodes.DuplicateInFile).GetInt32());
        var issue = root.GetProperty("issues")[0];
        // roster.md's five names, then (like fileMessage and notes at the top) one addition: the person's name, when the row has one.
        Assert.Equal(["row", "column", "code", "severity", "message", "name"], issue.EnumerateObject().Select(p => p.Name));
        Assert.Equal("warning", issue.GetProperty("severity").GetString());
        Assert.Contains(root.GetProperty("issues").EnumerateArray(), i => i.GetProperty("severity").GetString() == "error");
    }

    [Fact]
    public async Task Json_round_trips()
    {
        var report = await SomeReportAsync();
        var back = RosterReportJson.Deserialize(RosterReportJson.Serialize(report));
        Assert.Equal(report.Issues, back.Issues);
        Assert.Equal(report.ByCode, back.ByCode);
        Assert.Equal((report.Status, report.Rows, report.Valid, report.HeaderRow), (back.Status, back.Rows, back.Valid, back.HeaderRow));
    }

    [Fact]
    public async Task An_unreadable_file_has_its_code_zero_figures_and_no_issues()
    {
        var report = await ValidateAsync(Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n\0\0\0\0"), "15.03.01.2001-roster.xlsx");
        Assert.Equal(RosterStatus.Unreadable, report.Status);
        using var doc = JsonDocument.Parse(RosterReportJson.Serialize(report));
        var root = doc.RootElement;
        Assert.Equal("Unreadable", root.GetProperty("status").GetString());
        Assert.Equal(RuleCodes.FileUnsupported, root.GetProperty("fileCode").GetString());
        foreach (var name in new[] { "rows", "valid", "rejected", "validWithWarnings" })
            Assert.Equal(0, root.GetProperty(name).GetInt32());
        Assert.Empty(root.GetProperty("issues").EnumerateArray());
        Assert.Empty(root.GetProperty("byCode").EnumerateObject());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("fileMessage").GetString()));
    }

    [Fact]
    public async Task Html_is_for_a_phone_grouped_by_row_encoded_and_without_full_niks()
    {
        var report = await SomeReportAsync();
        var html = RosterReportHtml.Render(report);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html);
        Assert.Contains("lang=\"id\"", html);
        Assert.Contains("Desa Tambak Ratu", html);
        foreach (var nik in Niks) Assert.DoesNotContain(nik, html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;SCRIPT&gt;", html);
        // One section per row with issues, in row order.
        var rows = report.Issues.Select(i => i.Row).Distinct().ToList();
        Assert.Equal(rows.Count, CountOf(html, "<section class=\"row\">"));
        var positions = rows.Select(r => html.IndexOf($"<h3>Baris {r}</h3>", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
        // The summary comes before the rows.
        Assert.True(html.IndexOf("Ditolak", StringComparison.Ordinal) < positions[0]);
    }

    [Fact]
    public async Task Html_of_an_unreadable_file_explains_it()
    {
        var report = await ValidateAsync(CsvRoster.Write(',', CsvEncoding.Utf8Bom, ["NIK", "Nama"]), "15.03.01.2001.csv");
        Assert.Equal(RuleCodes.RosterEmpty, report.FileCode);
        var html = RosterReportHtml.Render(report);
        Assert.Contains("tidak dapat diperiksa", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(report.FileMessage!), html);
    }

    [Fact]
    public async Task Csv_has_a_header_one_issue_per_line_a_bom_and_no_formula()
    {
        // A village can put anything in a header: "=Segmen" is still recognised as the segment column.
        var csvIn = CsvRoster.Write(',', CsvEncoding.Utf8Bom,
            ["NIK", "Nama", "=Segmen", "@Desa"],
            [Nik, "ANI", "=HYPERLINK(\"http://x\",\"klik\")", "-Sungai Keradak"],
            ["1503014101800002", "BUDI, \"SI\" ANAK", "+cmd", "Tambak Ratu"]);
        var report = await ValidateAsync(csvIn, "@15.03.01.2001-roster.csv");
        Assert.Contains(report.Issues, i => i.Column == "=Segmen");

        var bytes = RosterReportCsv.RenderBytes(report);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = ParseCsv(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(RosterReportCsv.Header, lines[0]);
        Assert.Equal(report.Issues.Count + 1, lines.Count);
        foreach (var line in lines)
        {
            Assert.Equal(RosterReportCsv.Header.Length, line.Length);
            foreach (var cell in line)
                Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"formula-like cell: {cell}");
        }
        Assert.Contains(lines, l => l.Contains("'=Segmen"));
        Assert.Contains(lines, l => l.Contains("'@Desa"));
        Assert.All(lines.Skip(1), l => Assert.Equal("'@15.03.01.2001-roster.csv", l[0]));
        // Row, code and message are the report's.
        var first = report.Issues[0];
        Assert.Equal([first.Row.ToString(), first.Code, first.Message], new[] { lines[1][3], lines[1][5], lines[1][7] });
    }

    [Fact]
    public void Csv_quotes_commas_quotes_and_line_breaks()
    {
        var report = new RosterReport
        {
            File = "a.csv", Village = "15.03.01.2001", Status = RosterStatus.Valid, Rows = 1, Valid = 1,
            Issues = [new RosterIssue(2, "Nama, \"lengkap\"", RuleCodes.NameSuspicious, IssueSeverity.Warning, "baris\r\ndua")],
        };
        var text = RosterReportCsv.Render(report);
        Assert.Contains("\"Nama, \"\"lengkap\"\"\"", text);
        Assert.Contains("\"baris\r\ndua\"", text);
        var lines = ParseCsv(text);
        Assert.Equal("Nama, \"lengkap\"", lines[1][4]);
        Assert.Equal("Peringatan", lines[1][6]);
    }

    [Fact]
    public async Task Csv_of_an_unreadable_file_is_one_line_with_its_code()
    {
        var report = await ValidateAsync(CsvRoster.Write(',', CsvEncoding.Utf8Bom, ["Nomor", "Alamat"], ["1", "Jl. Lintas"]), "15.03.01.2001.csv");
        var lines = ParseCsv(RosterReportCsv.Render(report));
        Assert.Equal(2, lines.Count);
        Assert.Equal(RuleCodes.HeaderNotFound, lines[1][5]);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>An RFC 4180 reader, independent of the writer under test.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else cell.Append(c);
        }
        if (cell.Length > 0 || row.Count > 0) { row.Add(cell.ToString()); rows.Add([.. row]); }
        return rows;
    }
}
