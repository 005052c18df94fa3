using System.Text.Json.Nodes;
using Microsoft.Playwright;
using MimeKit;
using UcjFlow.App.Hosting;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// Issue 10.4 end to end: with test workforce figures for one kecamatan and one desa, the coverage page (Chromium, at
/// desktop and phone sizes), <c>GET /api/coverage</c>, the published HTML report and the daily mail show the same
/// percentages and reporting rates; the ranked chart is served as SVG; the deadline is in the page header. Issue 13.3:
/// on 15 October 2024, before the 1 November coverage start, the approved people count as starting later (not yet
/// covered); <c>GET /api/coverage?asOf=2024-11-01</c> and the page's date picker show them covered.
/// </summary>
public sealed class CoverageTests
{
    const string BatangAsai = "15.03.01";
    const string TambakRatu = "15.03.01.2001";

    /// <summary>The sample campaign plus figures made up for the test (the shared data has no per-kecamatan workforce).</summary>
    static string WriteCampaign(string folder)
    {
        var json = JsonNode.Parse(File.ReadAllText(UcjFlowServices.SampleCampaignPath))!.AsObject();
        json["workforceFigures"] = new JsonArray(
            new JsonObject { ["area"] = BatangAsai, ["workforce"] = 10_000, ["baselineCovered"] = 2_000, ["source"] = "Uji: angka kecamatan", ["from"] = "2024-01-01" },
            new JsonObject { ["area"] = "15.03.03", ["workforce"] = 20_000, ["baselineCovered"] = 9_000, ["source"] = "Uji: angka kecamatan", ["from"] = "2024-01-01" },
            new JsonObject { ["area"] = TambakRatu, ["workforce"] = 500, ["baselineCovered"] = 50, ["source"] = "Uji: profil desa", ["from"] = "2024-01-01" });
        var path = Path.Combine(folder, "campaign.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Fact]
    public async Task Page_api_html_report_and_daily_mail_show_the_same_coverage_and_reporting_figures()
    {
        using var folder = new TempFolder();
        var clock = new ManualClock(DemoCommand.Start); // Monday 14 October 2024, 09:00 WIB
        var campaignFile = WriteCampaign(folder.Path);
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), clock, s => s with { CampaignFile = campaignFile });
        var tambakRatu = app.Campaign.Village(TambakRatu)!;
        var sungaiKeradak = app.Campaign.Village("15.03.01.2002")!;
        var approvedId = (await app.UploadAsync(tambakRatu.Code, "tambak-ratu.csv", RosterGenerator.Csv(tambakRatu, 0, 40).Content)).BatchId;
        var waitingId = (await app.UploadAsync(sungaiKeradak.Code, "sungai-keradak.csv", RosterGenerator.Csv(sungaiKeradak, 1, 20).Content)).BatchId;
        await app.WaitForBatchAsync(approvedId, b => b.Status == BatchStatus.AwaitingApproval, TimeSpan.FromSeconds(60));
        await app.WaitForBatchAsync(waitingId, b => b.Status == BatchStatus.AwaitingApproval, TimeSpan.FromSeconds(60));
        (await app.DecideAsync(approvedId, true)).EnsureSuccessStatusCode();
        var enrolled = (await app.WaitForBatchAsync(approvedId, InProcessApp.Decided, TimeSpan.FromSeconds(60))).Decision!.Enrolled;
        await app.SettleAsync(TimeSpan.FromSeconds(60));

        // To 07:00 WIB on Tuesday 15 October: the daily summary republishes and mails the figures.
        clock.Advance(TimeSpan.FromHours(22));
        await app.SettleAsync(TimeSpan.FromSeconds(60));
        var mailFile = await Poll.UntilAsync(() => Task.FromResult(Directory.GetFiles(app.Outbox, "*.eml")
            .FirstOrDefault(f => (MimeMessage.Load(f).Subject ?? "").Contains("Ringkasan cakupan", StringComparison.Ordinal))), "the daily summary mail in the outbox", TimeSpan.FromSeconds(60));
        var mail = MimeMessage.Load(mailFile).TextBody ?? "";

        var api = CoverageJson.Deserialize(await app.Http.GetStringAsync("api/coverage"));
        var html = await app.Http.GetStringAsync("reports/coverage/1503/latest.html");
        var svg = await app.Http.GetAsync("reports/coverage/1503/latest.svg");

        // The expected figures, from the test's own inputs: before the coverage start 2,000 / 10,000 and 50 / 500, the
        // enrolled starting later; on 1 November (2,000 + enrolled) / 10,000 and (50 + enrolled) / 500.
        var district = api.Districts.Single(d => d.Code == BatangAsai);
        var village = district.Villages.Single(v => v.Code == TambakRatu);
        Assert.Equal((0L, (long)enrolled), (api.Approved, api.ApprovedStartingLater));
        Assert.Equal(Percent(2_000, 10_000), district.CoveragePercent);
        Assert.Equal(Percent(50, 500), village.CoveragePercent);
        var started = CoverageJson.Deserialize(await app.Http.GetStringAsync("api/coverage?asOf=2024-11-01"));
        var startedDistrict = started.Districts.Single(d => d.Code == BatangAsai);
        Assert.Equal((new DateOnly(2024, 11, 1), (long)enrolled, 0L), (started.AsOf, started.Approved, started.ApprovedStartingLater));
        Assert.Equal(Percent(2_000 + enrolled, 10_000), startedDistrict.CoveragePercent);
        Assert.Equal(Percent(50 + enrolled, 500), startedDistrict.Villages.Single(v => v.Code == TambakRatu).CoveragePercent);
        Assert.Equal(0, CoverageJson.Deserialize(await app.Http.GetStringAsync("api/coverage?asOf=2025-11-01")).Approved); // the funded months ended
        var badDate = await app.Http.GetAsync("api/coverage?asOf=2024-13-01");
        Assert.Equal((400, "bad_date"), ((int)badDate.StatusCode, JsonNode.Parse(await badDate.Content.ReadAsStringAsync())!["code"]!.GetValue<string>()));
        Assert.Contains("Tanggal", await badDate.Content.ReadAsStringAsync());
        Assert.Equal(404, (int)(await app.Http.GetAsync("api/coverage?regency=16.09")).StatusCode);
        Assert.Null(api.Districts.Single(d => d.Code == "15.03.02").CoveragePercent); // no figure: counts only
        Assert.Equal((2, 0), (district.Reporting!.OnTime, district.Reporting.Late));
        Assert.Equal(ReportingStatus.OnTime, village.Reporting);
        Assert.Equal(["15.03.03", BatangAsai], api.Ranking.Select(r => r.Code)); // Sarolangun 45.00 %, then Batang Asai ~20 %
        var districtText = CoverageHtml.PercentText(district.CoveragePercent);
        var villageText = CoverageHtml.PercentText(village.CoveragePercent);
        var reportingText = CoverageHtml.ReportingText(api.Reporting!);

        // HTML report and mail: the same numbers.
        Assert.Contains($"<summary><span class=\"name\">Batang Asai</span><span class=\"pct\">{districtText}</span>", html);
        Assert.Contains($"<td class=\"pct\">{villageText}</td>", html);
        Assert.Contains(reportingText, html);
        Assert.Contains($"id=\"coverage-percent\">{CoverageHtml.PercentText(api.CoveragePercent)}<", html);
        Assert.Contains($"- Kecamatan Batang Asai: {districtText} · disetujui 0 · tepat waktu 2, terlambat 0, belum ", mail);
        Assert.Contains($"- Disetujui, mulai terlindungi kemudian: {enrolled}", mail);
        Assert.Contains($"- Pengiriman desa/kelurahan: {reportingText}", mail);
        Assert.Contains($"- Cakupan: {CoverageHtml.PercentText(api.CoveragePercent)}", mail);
        Assert.Contains("Batas pengiriman data desa/kelurahan: <strong>Selasa, 22 Oktober 2024</strong>", html);

        // The ranked chart: server-rendered SVG.
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        var chart = System.Xml.Linq.XDocument.Parse(await svg.Content.ReadAsStringAsync());
        Assert.Equal(api.Ranking.Select(r => r.Code), chart.Descendants().Where(e => e.Name.LocalName == "g").Select(g => (string)g.Attribute("data-code")!));

        // The page, at desktop and phone sizes.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        foreach (var (name, width, height) in new[] { ("desktop", 1280, 900), ("phone", 390, 844) })
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
            page.SetDefaultTimeout(30_000);
            await BrowserTests.SignInAsync(page, app.BaseAddress, app.CoordinatorToken);
            await Assertions.Expect(page.GetByTestId("deadline")).ToHaveTextAsync("Batas pengiriman: Selasa, 22 Oktober 2024 (7 hari lagi)");
            await page.GotoAsync(new Uri(app.BaseAddress, "coverage").ToString());
            var row = page.Locator($"#districts tr[data-code='{BatangAsai}']");
            await Assertions.Expect(row.GetByTestId("district-percent")).ToHaveTextAsync(districtText);
            await Assertions.Expect(page.Locator("#districts tr[data-code='15.03.02']").GetByTestId("district-percent")).ToHaveTextAsync("—");
            await Assertions.Expect(page.GetByTestId("reporting")).ToHaveTextAsync(reportingText);
            await Assertions.Expect(page.GetByTestId("deadline")).ToContainTextAsync("22 Oktober 2024");
            // The date picker: on 1 November the approved people are covered.
            await page.GetByTestId("coverage-date").FillAsync("2024-11-01");
            await Assertions.Expect(row.GetByTestId("district-percent")).ToHaveTextAsync(CoverageHtml.PercentText(startedDistrict.CoveragePercent));
            await Assertions.Expect(page.GetByTestId("coverage-funders").Locator("tr[data-code='P-APBD'] td").Nth(1)).ToHaveTextAsync(enrolled.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(page.GetByTestId("coverage-lapse").Locator("tr")).ToHaveCountAsync(4); // header + 1, 3, 6 months
            var img = page.GetByTestId("coverage-chart").Locator("img");
            await Assertions.Expect(img).ToBeVisibleAsync();
            await Poll.UntilAsync(async () => await img.EvaluateAsync<int>("i => i.complete ? i.naturalWidth : 0") > 0 ? "loaded" : null, "the chart image loaded", TimeSpan.FromSeconds(30));
            var box = await img.BoundingBoxAsync();
            Assert.True(box!.Width <= width, $"{name}: chart {box.Width} px wide in a {width} px window");
            var wide = await page.EvaluateAsync<string>("""
                () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                  .filter(e => !e.closest('.table')).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).join(', ')
                """);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{name}: the page scrolls sideways ({wide})");
            if (Environment.GetEnvironmentVariable("UCJ_SCREENSHOTS") is { Length: > 0 } shots)
                await page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"coverage-{name}.png"), FullPage = true });
            await page.CloseAsync();
        }
    }

    static decimal Percent(long part, long whole) => Math.Round(part * 100m / whole, 2, MidpointRounding.AwayFromZero);
}
