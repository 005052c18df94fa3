using System.Globalization;
using System.Net;
using System.Text;
using UcjFlow.Core.Regions;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Roster.Report;

/// <summary>
/// The report for the village PIC: one self-contained Indonesian page, readable on a phone, a summary first and then
/// the issues grouped by row. Every text from the file is HTML-encoded; NIKs appear only masked (the messages mask them).
/// </summary>
public static class RosterReportHtml
{
    private static readonly CultureInfo Id = CultureInfo.GetCultureInfo("id-ID");

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;padding:16px;color:#1d1d1f;background:#f6f7f9;line-height:1.45}
        main{max-width:760px;margin:0 auto}
        h1{font-size:1.3rem;margin:0 0 4px}
        h2{font-size:1.1rem;margin:24px 0 8px}
        .meta{color:#555;font-size:.9rem;margin:0 0 12px;word-break:break-word}
        .status{padding:12px 14px;border-radius:8px;margin:12px 0;font-weight:600}
        .ok{background:#e6f4ea;color:#135c2b}.bad{background:#fde8e8;color:#8a1c1c}.warn{background:#fff4e0;color:#7a4b00}
        .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin:12px 0}
        .figure{background:#fff;border-radius:8px;padding:10px 12px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .figure b{display:block;font-size:1.4rem}
        table{border-collapse:collapse;width:100%;background:#fff;border-radius:8px;overflow:hidden}
        td,th{padding:6px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
        td.n{text-align:right;white-space:nowrap}
        section.row{background:#fff;border-radius:8px;padding:10px 12px;margin:8px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        section.row h3{font-size:1rem;margin:0 0 6px}
        ul{margin:0;padding-left:0;list-style:none}
        li{margin:6px 0;word-break:break-word}
        .tag{display:inline-block;font-size:.75rem;font-weight:700;padding:1px 6px;border-radius:4px;margin-right:6px}
        .tag.error{background:#c62828;color:#fff}.tag.warning{background:#f9a825;color:#222}
        code{font-size:.8rem;color:#666}
        footer{color:#666;font-size:.85rem;margin-top:24px}
        """;

    public static string Render(RosterReport report)
    {
        var html = new StringBuilder(4096 + report.Issues.Count * 256);
        var village = RegionCodes.Default.Village(report.Village);
        var villageLabel = village is null ? report.Village : $"{village.Kind} {village.Name} ({village.Code})";

        html.Append("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Hasil pemeriksaan data peserta – ").Append(E(villageLabel)).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>Hasil pemeriksaan data peserta BPJS Ketenagakerjaan</h1>\n")
            .Append("<p class=\"meta\">").Append(E(villageLabel)).Append("<br>Berkas: ").Append(E(report.File));
        if (report.Sheet is not null)
            html.Append("<br>Lembar: ").Append(E(report.Sheet)).Append(", judul kolom di baris ").Append(report.HeaderRow);
        html.Append("</p>\n");

        if (report.Status == RosterStatus.Unreadable)
        {
            html.Append("<div class=\"status bad\">Berkas tidak dapat diperiksa.</div>\n<p>")
                .Append(E(report.FileMessage ?? IssueLabels.Of(report.FileCode ?? ""))).Append("</p>\n")
                .Append("<p><code>").Append(E(report.FileCode ?? "")).Append("</code></p>\n");
            return Close(html);
        }

        var (css, text) = report.Status == RosterStatus.Valid
            ? report.Rejected == 0
                ? ("ok", "Semua baris sah dan dapat diusulkan.")
                : ("warn", $"{N(report.Valid)} baris sah dapat diusulkan; {N(report.Rejected)} baris ditolak dan perlu diperbaiki.")
            : report.Rows == 0 && report.Removed > 0
                ? ("warn", "Tidak ada orang yang diusulkan: semua orang dalam daftar tidak dilanjutkan.")
                : ("bad", "Tidak ada baris yang sah. Perbaiki data lalu unggah kembali.");
        html.Append("<div class=\"status ").Append(css).Append("\">").Append(E(text)).Append("</div>\n")
            .Append("<div class=\"figures\">\n");
        Figure(html, "Baris data", report.Rows);
        Figure(html, "Sah", report.Valid);
        Figure(html, "Sah dengan catatan", report.ValidWithWarnings);
        Figure(html, "Ditolak", report.Rejected);
        if (report.Removed > 0) Figure(html, "Tidak dilanjutkan", report.Removed);
        html.Append("</div>\n");
        foreach (var note in report.Notes ?? [])
            html.Append("<p class=\"status warn\">").Append(E(note)).Append("</p>\n");
        if (VillageAnswer.Removals(report) is { } removals)
        {
            // Names only: the village's own people, never their NIK.
            html.Append("<h2>Tidak dilanjutkan</h2>\n<p>").Append(E(removals)).Append(".</p>\n<ul>\n");
            foreach (var removal in report.Removals ?? [])
                html.Append("<li>").Append(E(VillageAnswer.RemovalLine(removal))).Append("</li>\n");
            html.Append("</ul>\n");
        }

        if (report.ByCode.Count > 0)
        {
            html.Append("<h2>Ringkasan masalah</h2>\n<table>\n<tr><th>Masalah</th><th>Baris</th></tr>\n");
            foreach (var (code, count) in report.ByCode)
                html.Append("<tr><td>").Append(E(IssueLabels.Of(code))).Append(" <code>").Append(E(code)).Append("</code></td><td class=\"n\">")
                    .Append(N(count)).Append("</td></tr>\n");
            html.Append("</table>\n");

            html.Append("<h2>Rincian per baris</h2>\n<p class=\"meta\"><span class=\"tag error\">DITOLAK</span>baris tidak diusulkan sampai diperbaiki. ")
                .Append("<span class=\"tag warning\">CATATAN</span>baris tetap sah, tetapi sebaiknya diperiksa.</p>\n");
            foreach (var row in report.Issues.GroupBy(i => i.Row))
            {
                html.Append("<section class=\"row\">\n<h3>Baris ").Append(row.Key).Append("</h3>\n<ul>\n");
                foreach (var issue in row)
                {
                    var error = issue.Severity == IssueSeverity.Error;
                    html.Append("<li><span class=\"tag ").Append(error ? "error" : "warning").Append("\">")
                        .Append(error ? "DITOLAK" : "CATATAN").Append("</span>")
                        .Append(E(issue.Message)).Append(" <code>").Append(E(issue.Code)).Append("</code></li>\n");
                }
                html.Append("</ul>\n</section>\n");
            }
        }
        else
        {
            html.Append("<p>Tidak ada masalah yang ditemukan.</p>\n");
        }
        return Close(html);
    }

    private static string Close(StringBuilder html) =>
        html.Append("<footer>Baris yang ditolak tidak akan didaftarkan. Perbaiki baris tersebut di berkas asli, lalu unggah kembali seluruh berkas. ")
            .Append("NIK ditampilkan tersamar untuk melindungi data pribadi.</footer>\n</main>\n</body>\n</html>\n")
            .ToString();

    private static void Figure(StringBuilder html, string label, int value) =>
        html.Append("<div class=\"figure\"><b>").Append(N(value)).Append("</b>").Append(E(label)).Append("</div>\n");

    private static string N(int value) => value.ToString("N0", Id);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
