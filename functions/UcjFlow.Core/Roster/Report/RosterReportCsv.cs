using System.Text;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Roster.Report;

/// <summary>
/// The report for a coordinator's spreadsheet: one issue per line after the file's notes and a renewal roster's
/// removals (the count per reason, then one line per removed row, "Tidak dilanjutkan"; an Unreadable file is one line with its file code),
/// comma separated, UTF-8 with a BOM so Excel reads the Indonesian text. A cell starting with = + - @ (or a tab or
/// carriage return) gets a leading apostrophe, so nothing the village typed can run as a formula.
/// </summary>
public static class RosterReportCsv
{
    public static readonly string[] Header = ["Berkas", "Kode Desa", "Status Berkas", "Baris", "Kolom", "Kode", "Tingkat", "Pesan"];

    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static string Render(RosterReport report)
    {
        var csv = new StringBuilder(256 + report.Issues.Count * 200);
        Line(csv, Header);
        var status = report.Status.ToString();
        if (report.Status == RosterStatus.Unreadable)
        {
            Line(csv, [report.File, report.Village, status, "", "", report.FileCode ?? "", "Kesalahan", report.FileMessage ?? IssueLabels.Of(report.FileCode ?? "")]);
            return csv.ToString();
        }
        // A note about the whole file (a month-first date column) comes once, before the issues, with no row or code.
        foreach (var note in report.Notes ?? [])
            Line(csv, [report.File, report.Village, status, "", "", "", "Keterangan", note]);
        // A renewal roster's removals: the count per reason once, then each removed row by row and name (no NIK).
        if (VillageAnswer.Removals(report) is { } removals)
        {
            Line(csv, [report.File, report.Village, status, "", "", "", "Keterangan", removals]);
            foreach (var removal in report.Removals ?? [])
                Line(csv, [report.File, report.Village, status, removal.Row.ToString(System.Globalization.CultureInfo.InvariantCulture), "",
                    "", "Tidak dilanjutkan", VillageAnswer.RemovalLine(removal)]);
        }
        foreach (var issue in report.Issues)
            Line(csv, [report.File, report.Village, status, issue.Row.ToString(System.Globalization.CultureInfo.InvariantCulture), issue.Column,
                issue.Code, issue.Severity == IssueSeverity.Error ? "Kesalahan" : "Peringatan", issue.Message]);
        return csv.ToString();
    }

    /// <summary>The CSV as bytes, UTF-8 with BOM.</summary>
    public static byte[] RenderBytes(RosterReport report) => [.. Utf8WithBom.GetPreamble(), .. Utf8WithBom.GetBytes(Render(report))];

    public static async Task WriteAsync(Stream stream, RosterReport report, CancellationToken ct = default) =>
        await stream.WriteAsync(RenderBytes(report), ct).ConfigureAwait(false);

    private static void Line(StringBuilder csv, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) csv.Append(',');
            AppendCell(csv, cells[i]);
        }
        csv.Append("\r\n");
    }

    internal static void AppendCell(StringBuilder csv, string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            csv.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        else
            csv.Append(value);
    }
}
