using System.Text;
using UcjFlow.Core.Mail;

namespace UcjFlow.Core.Coverage;

/// <summary>
/// The summary as one self-contained HTML page in Indonesian (Rp 13.045.334.400; 57,45%), readable on a phone:
/// headline figures first, districts folded open on tap, then the villages that have sent nothing.
/// </summary>
public static class CoverageHtml
{
    public static string Render(CoverageSummary s)
    {
        var h = new StringBuilder(16_384);
        var title = $"Cakupan Jaminan Sosial Ketenagakerjaan — {s.CampaignName}";
        h.Append("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");

        h.Append("<h1>").Append(E(title)).Append("</h1>\n");
        h.Append("<p class=\"sub\">").Append(E(s.RegencyName)).Append(" · data per ").Append(E(IndonesianFormat.Date(s.AsOf)))
         .Append(" · dibuat ").Append(E(IndonesianFormat.DateTime(s.GeneratedAt))).Append("</p>\n");
        h.Append("<p class=\"deadline\" id=\"deadline-banner\">Batas pengiriman data desa/kelurahan: <strong>")
         .Append(E(IndonesianFormat.DateWithDay(s.SubmissionDeadline))).Append("</strong></p>\n");

        if (s.LapseWarning is { } warning)
            h.Append("<p class=\"warning\" id=\"lapse-warning\">").Append(E(warning.Text)).Append("</p>\n");

        var reached = s.GapToTarget == 0;
        h.Append("<section class=\"head\">\n");
        h.Append("<div class=\"big\" id=\"coverage-percent\">").Append(E(IndonesianFormat.Percent(s.CoveragePercent))).Append("</div>\n");
        h.Append("<div>cakupan dari target <strong id=\"target-percent\">").Append(E(IndonesianFormat.Percent(s.TargetPercent))).Append("</strong>")
         .Append(reached ? " — <strong>target tercapai</strong>" : "").Append("</div>\n");
        var bar = Math.Clamp(s.CoveragePercent, 0, 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        var mark = Math.Clamp(s.TargetPercent, 0, 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        h.Append("<div class=\"bar\" role=\"img\" aria-label=\"").Append(E(IndonesianFormat.Percent(s.CoveragePercent))).Append("\">")
         .Append("<span style=\"width:").Append(bar).Append("%\"></span><i style=\"left:").Append(mark).Append("%\"></i></div>\n");
        h.Append("</section>\n");

        h.Append("<dl class=\"figures\">\n");
        Figure(h, "workforce", "Jumlah tenaga kerja", IndonesianFormat.Number(s.Workforce) + " orang");
        Figure(h, "covered", "Sudah terlindungi", $"{IndonesianFormat.Number(s.Covered)} orang (sebelumnya {IndonesianFormat.Number(s.BaselineCovered)} + disetujui {IndonesianFormat.Number(s.Approved)})");
        Figure(h, "starting-later", "Disetujui, mulai terlindungi setelah tanggal ini", IndonesianFormat.Number(s.ApprovedStartingLater) + " orang");
        Figure(h, "pending", "Menunggu persetujuan", IndonesianFormat.Number(s.Pending) + " orang");
        Figure(h, "gap", "Kekurangan menuju target", reached ? "0 orang" : $"{IndonesianFormat.Number(s.GapToTarget)} orang · {IndonesianFormat.Rupiah(s.GapToTargetRupiah)}");
        Figure(h, "budget-committed", "Anggaran terpakai (disetujui)", IndonesianFormat.Rupiah(s.BudgetCommitted));
        Figure(h, "budget-pending", "Anggaran jika semua yang menunggu disetujui", IndonesianFormat.Rupiah(s.BudgetPending));
        Figure(h, "cost-per-worker", "Iuran per pekerja", $"{IndonesianFormat.Rupiah(s.CostPerWorker)} untuk {s.MonthsFunded} bulan mulai {IndonesianFormat.Date(s.CoverageStart)}");
        Figure(h, "deadline", "Batas pengiriman data", IndonesianFormat.Date(s.SubmissionDeadline));
        Figure(h, "villages-sent", "Desa/kelurahan sudah mengirim", $"{IndonesianFormat.Number(s.VillageCount - s.VillagesMissing.Count)} dari {IndonesianFormat.Number(s.VillageCount)}");
        if (s.Reporting is { } rr)
            Figure(h, "reporting", "Pengiriman desa/kelurahan", ReportingText(rr));
        if (s.WorkforceFigure is { } wf)
            Figure(h, "workforce-source", "Sumber jumlah tenaga kerja", SourceText(wf));
        h.Append("</dl>\n");

        Funders(h, s);
        Segments(h, s);
        Lapse(h, s);

        h.Append("<h2>Peringkat cakupan per kecamatan</h2>\n<div class=\"chart\">").Append(CoverageSvg.RankedBars(s)).Append("</div>\n");
        h.Append("<p class=\"note\">Persentase hanya untuk wilayah yang memiliki data jumlah tenaga kerja yang berlaku pada tanggal data; wilayah lain hanya ditampilkan jumlah pesertanya.</p>\n");
        h.Append("<h2>Tren cakupan</h2>\n<div class=\"chart\">").Append(CoverageSvg.Trend(s)).Append("</div>\n");

        h.Append("<h2>Per kecamatan</h2>\n");
        h.Append("<p class=\"note\">Diajukan = baris sah yang dikirim; Disetujui = peserta terdaftar; Menunggu = menunggu persetujuan; Ditolak = ditolak koordinator. Ketuk nama kecamatan untuk melihat desa/kelurahan.</p>\n");
        foreach (var d in s.Districts)
        {
            h.Append("<details id=\"d-").Append(E(d.Code)).Append("\">\n<summary><span class=\"name\">").Append(E(d.Name)).Append("</span>")
             .Append("<span class=\"pct\">").Append(E(PercentText(d.CoveragePercent))).Append("</span> ")
             .Append(Counts(d.Submitted, d.Approved, d.Pending, d.Rejected));
            if (d.Reporting is { } dr) h.Append(" <span class=\"counts\">").Append(E(ReportingText(dr))).Append("</span>");
            h.Append("</summary>\n");
            if (d.WorkforceFigure is { } dw) h.Append("<p class=\"note\">Jumlah tenaga kerja ").Append(E(SourceText(dw))).Append("</p>\n");
            h.Append("<table>\n<thead><tr><th>Desa/Kelurahan</th><th>Cakupan</th><th>Diajukan</th><th>Disetujui</th><th>Menunggu</th><th>Ditolak</th><th>Pengiriman</th></tr></thead>\n<tbody>\n");
            foreach (var v in d.Villages)
            {
                h.Append("<tr id=\"v-").Append(E(v.Code)).Append("\"><td>").Append(E(v.Kind)).Append(' ').Append(E(v.Name)).Append("</td>")
                 .Append("<td class=\"pct\">").Append(E(PercentText(v.CoveragePercent))).Append("</td>")
                 .Append("<td>").Append(IndonesianFormat.Number(v.Submitted)).Append("</td>")
                 .Append("<td>").Append(IndonesianFormat.Number(v.Approved)).Append("</td>")
                 .Append("<td>").Append(IndonesianFormat.Number(v.Pending)).Append("</td>")
                 .Append("<td>").Append(IndonesianFormat.Number(v.Rejected)).Append("</td>")
                 .Append("<td>").Append(E(StatusText(v.Reporting))).Append("</td></tr>\n");
            }
            h.Append("</tbody>\n</table>\n</details>\n");
        }

        h.Append("<h2 id=\"missing\">Belum mengirim data (").Append(IndonesianFormat.Number(s.VillagesMissing.Count)).Append(")</h2>\n");
        if (s.VillagesMissing.Count == 0) h.Append("<p>Semua desa/kelurahan sudah mengirim data.</p>\n");
        else
        {
            foreach (var g in s.VillagesMissing.GroupBy(v => v.DistrictName))
            {
                h.Append("<p><strong>").Append(E(g.Key)).Append(":</strong> ")
                 .AppendJoin(", ", g.Select(v => E($"{v.Kind} {v.Name}"))).Append("</p>\n");
            }
        }
        h.Append("</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    static void Funders(StringBuilder h, CoverageSummary s)
    {
        if (s.Funders.Count == 0) return;
        h.Append("<h2>Per sumber dana</h2>\n<p class=\"note\">Peserta menurut sumber dana kampanyenya; anggaran menurut bagian tiap sumber dana (pembagian iuran). Menunggu dan kekurangan: kampanye pengiriman saat ini.</p>\n");
        h.Append("<table id=\"funders\">\n<thead><tr><th>Sumber dana</th><th>Terlindungi</th><th>Mulai kemudian</th><th>Anggaran terpakai</th><th>Anggaran menunggu</th><th>Anggaran kekurangan</th></tr></thead>\n<tbody>\n");
        foreach (var f in s.Funders)
            h.Append("<tr id=\"f-").Append(E(f.Code)).Append("\"><td>").Append(E(f.Name)).Append("</td><td>").Append(IndonesianFormat.Number(f.Approved))
             .Append("</td><td>").Append(IndonesianFormat.Number(f.ApprovedStartingLater)).Append("</td><td>").Append(E(IndonesianFormat.Rupiah(f.BudgetCommitted)))
             .Append("</td><td>").Append(E(IndonesianFormat.Rupiah(f.BudgetPending))).Append("</td><td>").Append(E(IndonesianFormat.Rupiah(f.BudgetGap))).Append("</td></tr>\n");
        h.Append("</tbody>\n</table>\n");
    }

    static void Segments(StringBuilder h, CoverageSummary s)
    {
        if (s.Segments.Count == 0) return;
        h.Append("<h2>Per segmen</h2>\n<table id=\"segments\">\n<thead><tr><th>Segmen</th><th>Jenis</th><th>Terlindungi</th><th>Mulai kemudian</th></tr></thead>\n<tbody>\n");
        foreach (var g in s.Segments)
            h.Append("<tr id=\"s-").Append(E(g.Code)).Append("\"><td>").Append(E(g.Name)).Append("</td><td>").Append(E(g.Kind))
             .Append("</td><td>").Append(IndonesianFormat.Number(g.Approved)).Append("</td><td>").Append(IndonesianFormat.Number(g.ApprovedStartingLater)).Append("</td></tr>\n");
        h.Append("</tbody>\n</table>\n");
    }

    static void Lapse(StringBuilder h, CoverageSummary s)
    {
        if (s.Lapse.Count == 0) return;
        h.Append("<h2>Kepesertaan yang akan berakhir</h2>\n<p class=\"note\">Yang sudah diperpanjang oleh kampanye berikutnya yang disetujui tidak dihitung berhenti. Anggaran perpanjangan diperkirakan dengan tarif kampanye yang berakhir.</p>\n");
        h.Append("<table id=\"lapse\">\n<thead><tr><th>Dalam</th><th>Sampai</th><th>Berakhir</th><th>Berhenti (tidak diperpanjang)</th><th>Cakupan sesudahnya</th><th>Anggaran perpanjangan</th></tr></thead>\n<tbody>\n");
        foreach (var l in s.Lapse)
            h.Append("<tr id=\"lapse-").Append(l.Months).Append("\"><td>").Append(l.Months).Append(" bulan</td><td>").Append(E(IndonesianFormat.Date(l.Until)))
             .Append("</td><td>").Append(IndonesianFormat.Number(l.Ending)).Append("</td><td>").Append(IndonesianFormat.Number(l.Lapsing))
             .Append("</td><td>").Append(E(PercentText(l.PercentAfter))).Append(" (").Append(IndonesianFormat.Number(l.CoveredAfter)).Append(" orang)</td><td>")
             .Append(E(IndonesianFormat.Rupiah(l.RenewalBudget))).Append("</td></tr>\n");
        h.Append("</tbody>\n</table>\n");
        var longest = s.Lapse[^1];
        if (longest.ByFunder.Count > 0)
        {
            h.Append("<p class=\"note\">Dalam ").Append(longest.Months).Append(" bulan per sumber dana: ")
             .AppendJoin("; ", longest.ByFunder.Select(f => E($"{f.Name}: berakhir {IndonesianFormat.Number(f.Ending)}, berhenti {IndonesianFormat.Number(f.Lapsing)}, {IndonesianFormat.Rupiah(f.RenewalBudget)}")))
             .Append("</p>\n");
        }
        var districts = longest.ByDistrict.Where(d => d.Ending > 0).ToList();
        if (districts.Count > 0)
        {
            h.Append("<table id=\"lapse-districts\">\n<thead><tr><th>Kecamatan (").Append(longest.Months).Append(" bulan)</th><th>Berakhir</th><th>Berhenti</th><th>Cakupan sesudahnya</th></tr></thead>\n<tbody>\n");
            foreach (var d in districts)
                h.Append("<tr><td>").Append(E(d.Name)).Append("</td><td>").Append(IndonesianFormat.Number(d.Ending)).Append("</td><td>").Append(IndonesianFormat.Number(d.Lapsing))
                 .Append("</td><td>").Append(E(PercentText(d.PercentAfter))).Append("</td></tr>\n");
            h.Append("</tbody>\n</table>\n");
        }
    }

    /// <summary>"57,45%", or "—" where the area has no workforce figure valid on the summary's date.</summary>
    public static string PercentText(decimal? percent) => percent is { } p ? IndonesianFormat.Percent(p) : "—";

    /// <summary>"tepat waktu 5 (45,45%) · terlambat 2 (18,18%) · belum 4 (36,36%)".</summary>
    public static string ReportingText(ReportingRates r) =>
        $"tepat waktu {IndonesianFormat.Number(r.OnTime)} ({IndonesianFormat.Percent(r.OnTimePercent)}) · terlambat {IndonesianFormat.Number(r.Late)} ({IndonesianFormat.Percent(r.LatePercent)}) · belum {IndonesianFormat.Number(r.NotSent)} ({IndonesianFormat.Percent(r.NotSentPercent)})";

    public static string StatusText(ReportingStatus status) => status switch
    {
        ReportingStatus.OnTime => "tepat waktu",
        ReportingStatus.Late => "terlambat",
        _ => "belum mengirim",
    };

    /// <summary>"12.345 orang (peserta sebelumnya 4.000), sumber: BPS …, berlaku 1 Januari 2024 – 31 Desember 2024".</summary>
    public static string SourceText(Campaigns.WorkforceFigure f)
    {
        var period = (f.ValidFrom, f.ValidTo) switch
        {
            (null, null) => "",
            ({ } a, null) => $", berlaku sejak {IndonesianFormat.Date(a)}",
            (null, { } b) => $", berlaku sampai {IndonesianFormat.Date(b)}",
            ({ } a, { } b) => $", berlaku {IndonesianFormat.Date(a)} – {IndonesianFormat.Date(b)}",
        };
        return $"{IndonesianFormat.Number(f.Workforce)} orang (peserta sebelumnya {IndonesianFormat.Number(f.BaselineCovered)}), sumber: {f.Source}{period}";
    }

    private static void Figure(StringBuilder h, string id, string label, string value) =>
        h.Append("<div id=\"").Append(id).Append("\"><dt>").Append(E(label)).Append("</dt><dd>").Append(E(value)).Append("</dd></div>\n");

    private static string Counts(int submitted, int approved, int pending, int rejected) =>
        $"<span class=\"counts\">diajukan {IndonesianFormat.Number(submitted)} · disetujui {IndonesianFormat.Number(approved)} · menunggu {IndonesianFormat.Number(pending)} · ditolak {IndonesianFormat.Number(rejected)}</span>";

    /// <summary>Escapes the five characters that matter in text and quoted attributes; other characters stay readable UTF-8.</summary>
    internal static string E(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
            sb.Append(ch switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => ch.ToString() });
        return sb.ToString();
    }

    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9;line-height:1.4}
        main{max-width:56rem;margin:0 auto;padding:1rem}
        h1{font-size:1.3rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:1.5rem}
        .sub,.note{color:#555;font-size:.9rem}
        .head{background:#fff;border-radius:.5rem;padding:1rem;margin:1rem 0}
        .big{font-size:2.4rem;font-weight:700;color:#0a6e3a}
        .bar{position:relative;height:.8rem;background:#e3e6ea;border-radius:.4rem;margin-top:.6rem;overflow:visible}
        .bar span{display:block;height:100%;background:#0a6e3a;border-radius:.4rem}
        .bar i{position:absolute;top:-.25rem;width:2px;height:1.3rem;background:#b3261e}
        .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.5rem;margin:0}
        .figures div{background:#fff;border-radius:.5rem;padding:.6rem .8rem}
        dt{font-size:.85rem;color:#555}dd{margin:0;font-weight:600}
        details{background:#fff;border-radius:.5rem;margin:.4rem 0;padding:.5rem .8rem}
        .warning{background:#fde7e4;color:#8a1c13;border-radius:.4rem;padding:.4rem .6rem;margin:.4rem 0;font-weight:600}
        .deadline{background:#fff4ce;border-radius:.4rem;padding:.4rem .6rem;margin:.4rem 0}
        .chart{background:#fff;border-radius:.5rem;padding:.5rem;overflow-x:auto}.chart svg{max-width:100%;height:auto}
        summary .pct{font-weight:700;color:#0a6e3a;margin-right:.5rem}
        summary{cursor:pointer}summary .name{font-weight:600;margin-right:.5rem}.counts{font-size:.85rem;color:#555;display:inline-block}
        table{border-collapse:collapse;width:100%;margin-top:.5rem;font-size:.9rem}
        th,td{padding:.3rem .4rem;border-bottom:1px solid #e3e6ea;text-align:right}
        th:first-child,td:first-child{text-align:left}
        """;
}
