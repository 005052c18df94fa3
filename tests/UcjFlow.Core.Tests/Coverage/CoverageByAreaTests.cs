using System.Text.Json.Nodes;
using System.Xml.Linq;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Tests.Campaigns;

namespace UcjFlow.Core.Tests.Coverage;

/// <summary>
/// Issue 10.4: workforce figures per kecamatan and desa (source and validity period), percentages only where a figure
/// is valid on the summary's date, the ranking and its SVG, reporting rates, the daily trend, and the same figures in
/// the HTML report and the daily mail.
/// </summary>
public class CoverageByAreaTests
{
    static readonly DateOnly AsOf = new(2024, 11, 5);
    static readonly DateTimeOffset Now = new(2024, 11, 5, 0, 0, 0, TimeSpan.Zero); // 07:00 WIB

    static readonly VillageTally[] Tallies =
    [
        new("15.03.01.2001", Submitted: 700, Approved: 650, Pending: 0, Rejected: 0),
        new("15.03.01.2002", Submitted: 300, Approved: 0, Pending: 300, Rejected: 0),
        new("15.03.03.1001", Submitted: 120, Approved: 0, Pending: 0, Rejected: 120),
        new("15.03.03.2002", Submitted: 5000, Approved: 5000, Pending: 0, Rejected: 0),
    ];

    static JsonObject Figure(string area, long workforce, long baseline, string from, string? to = null, string source = "Uji: BPS, Kecamatan Dalam Angka 2024") =>
        new() { ["area"] = area, ["workforce"] = workforce, ["baselineCovered"] = baseline, ["source"] = source, ["from"] = from, ["to"] = to };

    /// <summary>The sample with test figures (not real ones: the shared data has no per-kecamatan workforce).</summary>
    static Campaign WithFigures(params JsonObject[] extra) => CampaignLoader.Parse(SampleCampaign.With(o => o["workforceFigures"] = new JsonArray(
    [
        Figure("15.03.01", 10_000, 2_000, "2024-01-01", "2024-12-31"),   // Batang Asai: (2,000 + 650) / 10,000 = 26.50 %
        Figure("15.03.03", 20_000, 4_000, "2024-01-01"),                 // Sarolangun: (4,000 + 5,000) / 20,000 = 45.00 %
        Figure("150302", 8_000, 2_120, "2025-01-01"),                   // Limun: valid only from 2025: no percentage in 2024
        Figure("15.03.04", 4_000, 1_060, "2024-01-01"),                  // Pauh: 1,060 / 4,000 = 26.50 %, tied with Batang Asai
        Figure("15.03.01.2001", 1_000, 100, "2024-01-01", source: "Uji: profil desa Tambak Ratu 2024"), // 750 / 1,000 = 75.00 %
        .. extra,
    ])));

    static CoverageSummary Compute(Campaign campaign, IReadOnlyDictionary<string, DateTimeOffset>? firstSent = null, IReadOnlyList<CoverageSnapshot>? trend = null) =>
        CoverageCalculator.Compute(campaign, Tallies, AsOf, Now, firstSent, trend);

    [Fact]
    public void Figures_are_read_with_their_source_and_period_in_one_shape_for_every_level()
    {
        var c = WithFigures(Figure("15.03", 120_000, 64_709, "2024-11-01", source: "Uji: BPS Sakernas Agustus 2024"));

        Assert.Equal(new WorkforceFigure("15.03.02", 8_000, 2_120, "Uji: BPS, Kecamatan Dalam Angka 2024", new DateOnly(2025, 1, 1), null),
            c.WorkforceFigures.Single(f => f.AreaCode == "15.03.02")); // "150302" normalised
        Assert.Equal(new DateOnly(2024, 12, 31), c.WorkforceOn("15.03.01", AsOf)!.ValidTo);
        Assert.Null(c.WorkforceOn("15.03.01", new DateOnly(2025, 1, 1)));
        Assert.Null(c.WorkforceOn("15.03.02", AsOf));
        Assert.Null(c.WorkforceOn("15.03.05", AsOf));
        // The regency: a listed figure valid that day, else the top-level workforce of the file.
        Assert.Equal(120_000, c.WorkforceOn("15.03", AsOf)!.Workforce);
        Assert.Equal(new WorkforceFigure("15.03", 112_644, 64_709, WorkforceFigure.CampaignFileSource, null, null), c.WorkforceOn("15.03", new DateOnly(2024, 10, 31)));
    }

    [Fact]
    public void The_sample_campaign_has_no_area_figures_and_shows_counts_only()
    {
        var s = CoverageCalculator.Compute(SampleCampaign.Load(), Tallies, AsOf, Now);

        Assert.Empty(SampleCampaign.Load().WorkforceFigures);
        Assert.All(s.Districts, d => Assert.Null(d.CoveragePercent));
        Assert.All(s.Districts.SelectMany(d => d.Villages), v => Assert.Null(v.CoveragePercent));
        Assert.Empty(s.Ranking);
        Assert.Equal(62.46m, s.CoveragePercent);
        Assert.Equal(WorkforceFigure.CampaignFileSource, s.WorkforceFigure!.Source);
    }

    [Fact]
    public void Invalid_figures_are_refused_with_every_problem_named()
    {
        var json = SampleCampaign.With(o =>
        {
            o["workforceFigures"] = new JsonArray(
                Figure("15.04.01", 100, 10, "2024-01-01"),
                Figure("99.99.99", 100, 10, "2024-01-01"),
                new JsonObject { ["area"] = "15.03.05", ["workforce"] = 0, ["baselineCovered"] = -1, ["from"] = "2024-02-30", ["sumber"] = "x" },
                Figure("15.03.06", 100, 200, "2024-06-01", "2024-01-01"),
                Figure("15.03.01", 100, 10, "2024-01-01", "2024-12-31"),
                Figure("15.03.01", 100, 10, "2024-12-01"),
                null);
            o["workforceSource"] = " ";
        });

        var (campaign, problems) = CampaignLoader.Validate(json);

        Assert.Null(campaign);
        Assert.Equal(
        [
            "workforceSource is empty (name where the regency's workforce comes from, or leave it out)",
            "workforceFigures[0].area 15.04.01 is not in regency 15.03 (Kabupaten Sarolangun)",
            "workforceFigures[1].area '99.99.99' is not a known regency, kecamatan or desa code",
            "workforceFigures[2].sumber: unknown setting",
            "workforceFigures[2] (15.03.05).workforce must be > 0 (is 0)",
            "workforceFigures[2] (15.03.05).baselineCovered must be >= 0 (is -1)",
            "workforceFigures[2] (15.03.05).source is missing (where the figure comes from, e.g. \"BPS, Kecamatan Dalam Angka 2024\")",
            "workforceFigures[2] (15.03.05).from 2024-02-30 is not a date (expected yyyy-MM-dd)",
            "workforceFigures[3] (15.03.06).baselineCovered (200) must not exceed workforce (100)",
            "workforceFigures[3] (15.03.06): to 2024-01-01 is before from 2024-06-01",
            "workforceFigures[6] is null",
            "workforceFigures: two figures of 15.03.01 are valid on 2024-12-01 (2024-01-01..2024-12-31 and 2024-12-01..open); one area has one figure per day",
        ], problems.Where(p => p.Contains("workforce", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Percentages_per_kecamatan_and_desa_only_where_a_figure_is_valid_on_the_date()
    {
        var s = Compute(WithFigures());

        var batangAsai = s.Districts.Single(d => d.Code == "15.03.01");
        Assert.Equal((2_650L, 26.50m), (batangAsai.Covered!.Value, batangAsai.CoveragePercent!.Value));
        Assert.Equal("Uji: BPS, Kecamatan Dalam Angka 2024", batangAsai.WorkforceFigure!.Source);
        Assert.Equal(45.00m, s.Districts.Single(d => d.Code == "15.03.03").CoveragePercent);
        var limun = s.Districts.Single(d => d.Code == "15.03.02"); // a figure exists, but not for 2024
        Assert.Equal((null, null, null), (limun.CoveragePercent, limun.Covered, limun.WorkforceFigure));
        Assert.Null(s.Districts.Single(d => d.Code == "15.03.05").CoveragePercent); // no figure at all: counts only

        var tambakRatu = batangAsai.Villages.Single(v => v.Code == "15.03.01.2001");
        Assert.Equal((750L, 75.00m), (tambakRatu.Covered!.Value, tambakRatu.CoveragePercent!.Value));
        Assert.Null(batangAsai.Villages.Single(v => v.Code == "15.03.01.2002").CoveragePercent);
        // The regency figures are unchanged by area figures (never summed up or derived from them).
        Assert.Equal((112_644L, 62.46m), (s.Workforce, s.CoveragePercent));
    }

    [Fact]
    public void A_regency_figure_valid_on_the_date_is_the_denominator()
    {
        var s = Compute(WithFigures(Figure("15.03", 120_000, 60_000, "2024-11-01", source: "Uji: BPS Sakernas Agustus 2024")));

        Assert.Equal((120_000L, 60_000L, 65_650L, 54.71m), (s.Workforce, s.BaselineCovered, s.Covered, s.CoveragePercent));
        Assert.Equal(78_000, s.TargetCovered);
        Assert.Equal("Uji: BPS Sakernas Agustus 2024", s.WorkforceFigure!.Source);
    }

    [Fact]
    public void Ranking_is_highest_first_with_ties_sharing_a_rank_and_only_kecamatan_with_a_figure()
    {
        var s = Compute(WithFigures());

        Assert.Equal(
            [(1, "15.03.03", 45.00m), (2, "15.03.01", 26.50m), (2, "15.03.04", 26.50m)],
            s.Ranking.Select(r => (r.Rank, r.Code, r.CoveragePercent)));
        Assert.Equal(2, s.Districts.Single(d => d.Code == "15.03.04").Rank);
        Assert.Null(s.Districts.Single(d => d.Code == "15.03.02").Rank);
    }

    [Fact]
    public void Ranked_bar_chart_is_well_formed_svg_in_rank_order_with_names_escaped()
    {
        var c = WithFigures();
        const string hostile = "<script>alert('x')</script> & \"Kec\"";
        c = c with { Villages = c.Villages.Select(v => v.DistrictCode == "15.03.04" ? v with { DistrictName = hostile } : v).ToList() };
        var s = Compute(c);

        var svg = CoverageSvg.RankedBars(s);

        var doc = XDocument.Parse(svg); // throws on malformed XML
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", doc.Root!.Name);
        // Tied at 26.50 %: listed by name, and "<script…" sorts before "Batang Asai".
        Assert.Equal(["15.03.03", "15.03.04", "15.03.01"], doc.Descendants(ns + "g").Select(g => (string)g.Attribute("data-code")!));
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "2. " + hostile);
        Assert.DoesNotContain("<script>", svg);
        Assert.Contains("45,00%", svg);
        Assert.Contains("Tanpa data jumlah tenaga kerja (8 kecamatan", svg);
        // Bar widths follow the percentages (0–100 % over the same span).
        var widths = doc.Descendants(ns + "rect").Select(r => double.Parse((string)r.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(45.0 / 26.5, widths[0] / widths[1], 2);
        Assert.Equal(widths[1], widths[2]);

        XDocument.Parse(CoverageSvg.RankedBars(CoverageCalculator.Compute(SampleCampaign.Load(), [], AsOf, Now))); // no ranking: still well-formed
        var trend = XDocument.Parse(CoverageSvg.Trend(s));
        Assert.Single(trend.Descendants(ns + "circle"));
    }

    static Batch Batch(string village, BatchStatus status, DateTimeOffset created) => new(
        $"b-{village}-{created.UtcTicks}", "sarolangun-2024", village, null, village[..8], "f.xlsx", "h" + created.UtcTicks, "u", null,
        status, BatchCounts.Zero, null, null, created, created);

    [Fact]
    public void Reporting_rates_on_time_late_and_not_sent_per_kecamatan()
    {
        // Deadline 22 October 2024 (WIB). 16:30 UTC on the 22nd is 23:30 WIB: on time; 17:10 UTC is 00:10 WIB on the 23rd: late.
        var firstSent = Reporting.FirstSent(
        [
            Batch("15.03.01.2001", BatchStatus.Approved, new(2024, 10, 22, 16, 30, 0, TimeSpan.Zero)),
            Batch("15.03.01.2002", BatchStatus.Unreadable, new(2024, 10, 1, 0, 0, 0, TimeSpan.Zero)),   // not a report
            Batch("15.03.01.2002", BatchStatus.AwaitingApproval, new(2024, 10, 22, 17, 10, 0, TimeSpan.Zero)),
            Batch("15.03.01.2003", BatchStatus.Superseded, new(2024, 10, 5, 0, 0, 0, TimeSpan.Zero)),   // sent, later replaced
            Batch("15.03.01.2003", BatchStatus.Rejected, new(2024, 10, 25, 0, 0, 0, TimeSpan.Zero)),
            Batch("15.03.01.2004", BatchStatus.Validating, new(2024, 10, 6, 0, 0, 0, TimeSpan.Zero)),   // not read yet
            Batch("1503032002", BatchStatus.Expired, new(2024, 10, 30, 0, 0, 0, TimeSpan.Zero)),
        ]);
        var s = Compute(WithFigures(), firstSent);

        var batangAsai = s.Districts.Single(d => d.Code == "15.03.01");
        Assert.Equal(ReportingStatus.OnTime, batangAsai.Villages.Single(v => v.Code == "15.03.01.2001").Reporting);
        Assert.Equal(ReportingStatus.Late, batangAsai.Villages.Single(v => v.Code == "15.03.01.2002").Reporting);
        Assert.Equal(ReportingStatus.OnTime, batangAsai.Villages.Single(v => v.Code == "15.03.01.2003").Reporting);
        Assert.Equal(ReportingStatus.NotSent, batangAsai.Villages.Single(v => v.Code == "15.03.01.2004").Reporting);
        Assert.Equal(new DateTimeOffset(2024, 10, 22, 23, 30, 0, TimeSpan.FromHours(7)), batangAsai.Villages[0].FirstSentAt);
        var n = batangAsai.Villages.Count;
        Assert.Equal(new ReportingRates(n, 2, 1, n - 3,
            Math.Round(200m / n, 2, MidpointRounding.AwayFromZero), Math.Round(100m / n, 2, MidpointRounding.AwayFromZero),
            Math.Round((n - 3) * 100m / n, 2, MidpointRounding.AwayFromZero)), batangAsai.Reporting);
        Assert.Equal((1, 0), (s.Districts.Single(d => d.Code == "15.03.03").Reporting!.Late, s.Districts.Single(d => d.Code == "15.03.03").Reporting!.OnTime));
        Assert.Equal(new ReportingRates(158, 2, 2, 154, 1.27m, 1.27m, 97.47m), s.Reporting);
    }

    [Fact]
    public void Trend_has_one_snapshot_per_date_todays_replacing_the_stored_one()
    {
        var c = WithFigures();
        var stored = new[]
        {
            new CoverageSnapshot(new DateOnly(2024, 11, 3), 112_644, 64_709, 0, 0, 57.45m, 0),
            new CoverageSnapshot(new DateOnly(2024, 11, 5), 112_644, 65_000, 291, 0, 57.70m, 1), // earlier today
        };

        var s = Compute(c, trend: stored);

        Assert.Equal([new DateOnly(2024, 11, 3), new DateOnly(2024, 11, 5)], s.Trend.Select(t => t.Date));
        Assert.Equal(new CoverageSnapshot(new DateOnly(2024, 11, 5), 112_644, 70_359, 5_650, 300, 62.46m, 4), s.Trend[^1]);
        Assert.Equal(s.Trend, CoverageTrend.Deserialize(CoverageTrend.Serialize(s.Trend)));
        // The snapshot's date is the Jakarta date of publication: 18:00 UTC on the 5th is already the 6th in Jakarta.
        var late = CoverageCalculator.Compute(c, Tallies, AsOf, new DateTimeOffset(2024, 11, 5, 18, 0, 0, TimeSpan.Zero), null, s.Trend);
        Assert.Equal([new DateOnly(2024, 11, 3), new DateOnly(2024, 11, 5), new DateOnly(2024, 11, 6)], late.Trend.Select(t => t.Date));
    }

    [Fact]
    public void Html_report_and_daily_mail_show_the_same_area_figures_and_the_deadline()
    {
        var firstSent = Reporting.FirstSent([Batch("15.03.01.2001", BatchStatus.Approved, new(2024, 10, 20, 0, 0, 0, TimeSpan.Zero))]);
        var s = Compute(WithFigures(), firstSent);

        var html = CoverageHtml.Render(s);
        var mail = new MailComposer(new MailContext("Sarolangun 2024 P-APBD", "Kabupaten Sarolangun", "Tim Koordinator")).Compose(s.ToDailySummaryMail());

        Assert.Contains("<span class=\"pct\">26,50%</span>", html);
        Assert.Contains("<td class=\"pct\">75,00%</td>", html);
        Assert.Contains("<span class=\"pct\">—</span>", html); // Limun, no figure valid for 2024
        Assert.Contains("Batas pengiriman data desa/kelurahan: <strong>Selasa, 22 Oktober 2024</strong>", html);
        Assert.Contains("sumber: Uji: BPS, Kecamatan Dalam Angka 2024, berlaku 1 Januari 2024 – 31 Desember 2024", html);
        Assert.Contains("<svg id=\"coverage-ranking\"", html);
        Assert.Contains("<svg id=\"coverage-trend\"", html);
        Assert.Contains("- Kecamatan Batang Asai: 26,50% · disetujui 650 · tepat waktu 1, terlambat 0, belum ", mail.PlainText);
        Assert.Contains("- Kecamatan Limun: — · disetujui 0", mail.PlainText);
        Assert.Contains("- Batas pengiriman data: Selasa, 22 Oktober 2024", mail.PlainText);
        Assert.Contains("- Pengiriman desa/kelurahan: tepat waktu 1 (0,63%) · terlambat 0 (0,00%) · belum 157 (99,37%)", mail.PlainText);
        Assert.Contains("tepat waktu 1 (0,63%) · terlambat 0 (0,00%) · belum 157 (99,37%)", html);
    }
}
