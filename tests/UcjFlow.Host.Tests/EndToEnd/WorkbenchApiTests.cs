using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using UcjFlow.App.Api;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using Cell = DocumentFormat.OpenXml.Spreadsheet.Cell;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// The coordinators' workbench through the JSON API of a real server: the batch list's search, sort and page; the people
/// of a batch (NIK masked); bulk approval; the BPJS export downloads per batch and consolidated (issue 10.3).
/// </summary>
public sealed class WorkbenchApiTests : IAsyncLifetime
{
    const string VillageToken = "token-desa-tambak-ratu";
    readonly TempFolder folder = new();
    InProcessApp app = null!;

    public async Task InitializeAsync() =>
        app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), configure: s => s with
        {
            VillageTokens = new Dictionary<string, string> { ["15.03.01.2001"] = VillageToken },
        });

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        folder.Dispose();
    }

    CampaignVillage V(string code) => app.Campaign.Village(code)!;

    /// <summary>Uploads a generated roster per (village, rows, flavor) and waits until every batch is validated.</summary>
    async Task<Dictionary<string, string>> UploadAsync(params (string Village, int Rows, RosterFlavor Flavor)[] rosters)
    {
        var ids = new Dictionary<string, string>();
        for (var i = 0; i < rosters.Length; i++)
        {
            var (name, content) = RosterGenerator.Csv(V(rosters[i].Village), 40 + i, rosters[i].Rows, rosters[i].Flavor);
            ids[rosters[i].Village] = (await app.UploadAsync(rosters[i].Village, name, content)).BatchId;
        }
        foreach (var id in ids.Values) await app.WaitForBatchAsync(id, InProcessApp.Validated, TimeSpan.FromSeconds(60));
        return ids;
    }

    async Task<BatchList> ListAsync(string query) => (await app.Http.GetFromJsonAsync("api/batches?" + query, ApiJsonContext.Default.BatchList))!;

    static async Task<ApiError> ErrorOf(HttpResponseMessage response) =>
        JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ApiJsonContext.Default.ApiError)!;

    [Fact]
    public async Task The_batch_list_searches_by_village_or_kecamatan_sorts_and_pages_on_the_server()
    {
        await UploadAsync(("15.03.01.2001", 6, RosterFlavor.Clean), ("15.03.01.2002", 9, RosterFlavor.Clean), ("15.03.02.2005", 4, RosterFlavor.Warnings),
            ("15.03.03.1001", 7, RosterFlavor.Clean), ("15.03.03.2002", 12, RosterFlavor.Errors));

        string[] Villages(BatchList l) => [.. l.Batches.Select(b => b.VillageCode)];
        Assert.Equal(["15.03.01.2002"], Villages(await ListAsync("q=keradak")));
        Assert.Equal(["15.03.01.2001", "15.03.01.2002"], Villages(await ListAsync("q=batang%20asai&sort=village&dir=desc")).Order());
        Assert.Equal(["15.03.03.1001", "15.03.03.2002"], Villages(await ListAsync("q=150303")).Order());
        Assert.Equal(["15.03.03.1001", "15.03.03.2002"], Villages(await ListAsync("q=15.03.03")).Order());
        Assert.Equal(["15.03.02.2005"], Villages(await ListAsync("q=1503022005")));
        Assert.Empty((await ListAsync("q=tidak-ada-desa-ini")).Batches);
        Assert.Equal(1, (await ListAsync("q=keradak")).Total);

        // Sorted by village name A–Z: Bernai, Dusun Sarolangun, Pulau Pandan, Sungai Keradak, Tambak Ratu.
        Assert.Equal(["15.03.03.2002", "15.03.03.1001", "15.03.02.2005", "15.03.01.2002", "15.03.01.2001"], Villages(await ListAsync("sort=village")));
        var byValid = await ListAsync("sort=valid");
        Assert.Equal(byValid.Batches.Select(b => b.Counts.Valid).OrderDescending(), byValid.Batches.Select(b => b.Counts.Valid));
        Assert.Equal("15.03.03.2002", (await ListAsync("sort=rejected")).Batches[0].VillageCode); // the only one with rejected rows
        var uploaded = await ListAsync("sort=uploaded&dir=asc");
        Assert.Equal(uploaded.Batches.Select(b => b.CreatedAt).Order(), uploaded.Batches.Select(b => b.CreatedAt));

        // Pages of two: 5 in all, no batch twice, none left out.
        var pages = new List<BatchList>();
        for (var p = 1; p <= 3; p++) pages.Add(await ListAsync($"sort=village&size=2&page={p}"));
        Assert.All(pages, p => Assert.Equal(5, p.Total));
        Assert.Equal([2, 2, 1], pages.Select(p => p.Batches.Count));
        Assert.Equal(Villages(await ListAsync("sort=village")), pages.SelectMany(Villages));
        Assert.Empty((await ListAsync("size=2&page=4")).Batches);
        // Clean: no rejected row, no warning (what bulk approval takes).
        Assert.Equal(["15.03.01.2001", "15.03.01.2002", "15.03.03.1001"], (await ListAsync("")).Batches.Where(b => b.Clean).Select(b => b.VillageCode).Order());
        Assert.Equal("Batang Asai", (await ListAsync("q=keradak")).Batches[0].DistrictName);

        foreach (var bad in new[] { "sort=desa", "dir=up", "page=0", "page=x", "size=0", "size=201" })
        {
            var refused = await app.Http.GetAsync("api/batches?" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("bad_query", (await ErrorOf(refused)).Code);
        }
    }

    [Fact]
    public async Task The_people_of_a_batch_come_a_page_at_a_time_with_NIK_masked_and_age_on_the_coverage_start()
    {
        var ids = await UploadAsync(("15.03.01.2001", 12, RosterFlavor.Clean));
        var batchId = ids["15.03.01.2001"];
        var staged = await app.Registry.ReadStagedRowsAsync(batchId).ToListAsync();
        Assert.Equal(12, staged.Count);

        var response = await app.Http.GetAsync($"api/batches/{batchId}/people?page=2&size=5");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(staged, s => Assert.DoesNotContain(s.Nik, text, StringComparison.Ordinal)); // never a whole NIK
        var page = JsonSerializer.Deserialize(text, ApiJsonContext.Default.BatchPeoplePage)!;
        Assert.Equal((12, 2, 5), (page.Total, page.Page, page.Size));
        Assert.Equal(staged.Skip(5).Take(5).Select(s => s.Row), page.People.Select(p => p.Row));
        var start = app.Campaign.CoverageStart;
        foreach (var (person, row) in page.People.Zip(staged.Skip(5)))
        {
            Assert.Equal(row.Nik[..6] + "******" + row.Nik[^4..], person.Nik);
            Assert.Equal(row.Name, person.Name);
            Assert.Equal(row.Sex, person.Sex);
            Assert.Equal("Pekerja Rentan", person.Segment);
            var birthdayThisYear = new DateOnly(start.Year, row.BirthDate.Month, Math.Min(row.BirthDate.Day, DateTime.DaysInMonth(start.Year, row.BirthDate.Month)));
            Assert.Equal(start.Year - row.BirthDate.Year - (birthdayThisYear > start ? 1 : 0), person.Age);
        }
        var last = (await app.Http.GetFromJsonAsync($"api/batches/{batchId}/people?page=3&size=5", ApiJsonContext.Default.BatchPeoplePage))!;
        Assert.Equal(staged.Skip(10).Select(s => s.Row), last.People.Select(p => p.Row));

        // The batch's village may read it too; another village may not; a bad page is refused.
        using var village = new HttpClient { BaseAddress = app.BaseAddress };
        village.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VillageToken);
        Assert.Equal(HttpStatusCode.OK, (await village.GetAsync($"api/batches/{batchId}/people")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Http.GetAsync($"api/batches/{batchId}/people?size=0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync("api/batches/1503012001-000000000000/people")).StatusCode);
    }

    [Fact]
    public async Task Bulk_approval_decides_each_clean_batch_once_and_reports_the_others_per_batch()
    {
        var ids = await UploadAsync(("15.03.01.2001", 6, RosterFlavor.Clean), ("15.03.01.2002", 5, RosterFlavor.Clean),
            ("15.03.02.2005", 4, RosterFlavor.Warnings), ("15.03.03.1001", 7, RosterFlavor.Clean));
        Assert.Equal(HttpStatusCode.Accepted, (await app.DecideAsync(ids["15.03.03.1001"], true)).StatusCode); // decided already

        var request = new BulkDecisionRequest([ids["15.03.01.2001"], ids["15.03.01.2002"], ids["15.03.02.2005"], ids["15.03.03.1001"], "1503012001-000000000000"], true);
        var response = await app.Http.PostAsJsonAsync("api/decisions", request, ApiJsonContext.Default.BulkDecisionRequest);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var outcomes = (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.BulkDecisionResult))!.Outcomes;
        Assert.Equal(request.BatchIds, outcomes.Select(o => o.BatchId));
        Assert.Equal(["decided", "decided", "not_clean", "already_decided", "batch_not_found"], outcomes.Select(o => o.Outcome));
        Assert.All(outcomes.Take(2), o => Assert.NotNull(o.DecisionId));

        foreach (var village in new[] { "15.03.01.2001", "15.03.01.2002", "15.03.03.1001" })
        {
            var batch = await app.WaitForBatchAsync(ids[village], InProcessApp.Decided, TimeSpan.FromSeconds(60));
            Assert.Equal(BatchStatus.Approved, batch.Status);
            Assert.Equal(InProcessApp.CoordinatorName, batch.Decision!.DecidedBy);
        }
        Assert.Equal(BatchStatus.AwaitingApproval, (await app.GetBatchAsync(ids["15.03.02.2005"])).Status);
        Assert.Equal(3, (await app.Registry.ListDecisionsAsync(app.Campaign.Id)).Count);

        // Again: every one is reported, none decided twice.
        var again = (await (await app.Http.PostAsJsonAsync("api/decisions", request with { BatchIds = request.BatchIds!.Take(2).ToList() },
            ApiJsonContext.Default.BulkDecisionRequest)).Content.ReadFromJsonAsync(ApiJsonContext.Default.BulkDecisionResult))!;
        Assert.Equal(["already_decided", "already_decided"], again.Outcomes.Select(o => o.Outcome));

        using var village2001 = new HttpClient { BaseAddress = app.BaseAddress };
        village2001.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VillageToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await village2001.PostAsJsonAsync("api/decisions", request, ApiJsonContext.Default.BulkDecisionRequest)).StatusCode);
        var reject = await app.Http.PostAsJsonAsync("api/decisions", request with { Approve = false }, ApiJsonContext.Default.BulkDecisionRequest);
        Assert.Equal(HttpStatusCode.BadRequest, reject.StatusCode);
        Assert.Equal("bad_bulk_decision", (await ErrorOf(reject)).Code);
    }

    [Fact]
    public async Task The_BPJS_export_downloads_per_batch_and_consolidated_by_approval_date_with_NIK_as_text()
    {
        var ids = await UploadAsync(("15.03.01.2001", 6, RosterFlavor.Clean), ("15.03.01.2002", 9, RosterFlavor.Clean), ("15.03.03.1001", 3, RosterFlavor.Clean));
        var waiting = ids["15.03.03.1001"];
        var approved = new[] { ids["15.03.01.2001"], ids["15.03.01.2002"] };
        foreach (var id in approved) Assert.Equal(HttpStatusCode.Accepted, (await app.DecideAsync(id, true)).StatusCode);
        foreach (var id in approved) await app.WaitForBatchAsync(id, InProcessApp.Decided, TimeSpan.FromSeconds(60));

        // The export is written after the approval: poll until it is there.
        var xlsx = await Poll.UntilAsync(async () =>
        {
            var r = await app.Http.GetAsync($"api/batches/{approved[0]}/export.xlsx");
            return r.StatusCode == HttpStatusCode.OK ? r : null;
        }, "the batch's BPJS export", TimeSpan.FromSeconds(60));
        Assert.Equal(ExportApi.XlsxType, xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"bpjs-{approved[0]}.xlsx", xlsx.Content.Headers.ContentDisposition!.ToString());
        var expected0 = await app.Registry.ReadEnrolledRowsAsync(approved[0]).Select(e => e.Nik).ToListAsync();
        Assert.Equal(expected0, NikTextCells(await xlsx.Content.ReadAsByteArrayAsync()));
        var csv = await app.Http.GetAsync($"api/batches/{approved[0]}/export.csv");
        Assert.Equal(expected0, CsvNiks(await csv.Content.ReadAsByteArrayAsync()));

        await Poll.UntilAsync(async () => (await app.Http.GetAsync($"api/batches/{approved[1]}/export.csv")).StatusCode == HttpStatusCode.OK ? "" : null,
            "the second batch's export", TimeSpan.FromSeconds(60));
        var expected = new List<string>();
        foreach (var id in approved) expected.AddRange(await app.Registry.ReadEnrolledRowsAsync(id).Select(e => e.Nik).ToListAsync());

        var today = JakartaTime.Today(TimeProvider.System);
        var range = $"from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}";
        var all = await app.Http.GetAsync($"api/exports/bpjs.xlsx?{range}");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(expected.Order(), NikTextCells(await all.Content.ReadAsByteArrayAsync()).Order());
        var allCsv = await app.Http.GetAsync($"api/exports/bpjs.csv?{range}");
        Assert.Equal(expected.Order(), CsvNiks(await allCsv.Content.ReadAsByteArrayAsync()).Order());
        Assert.Contains("bpjs-1503-", allCsv.Content.Headers.ContentDisposition!.ToString());

        var before = await app.Http.GetAsync("api/exports/bpjs.xlsx?from=2020-01-01&to=2020-01-31");
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal("nothing_approved", (await ErrorOf(before)).Code);
        foreach (var bad in new[] { "", "from=2024-11-02&to=2024-11-01", "from=01-11-2024&to=2024-11-30", "from=2024-01-01&to=2025-12-31" })
            Assert.Equal("bad_range", (await ErrorOf(await app.Http.GetAsync($"api/exports/bpjs.csv?{bad}"))).Code);
        var notApproved = await app.Http.GetAsync($"api/batches/{waiting}/export.xlsx");
        Assert.Equal(HttpStatusCode.Conflict, notApproved.StatusCode);
        using var village = new HttpClient { BaseAddress = app.BaseAddress };
        village.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VillageToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await village.GetAsync($"api/batches/{approved[0]}/export.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await village.GetAsync($"api/exports/bpjs.csv?{range}")).StatusCode);
    }

    /// <summary>The NIK column of an xlsx export read with Open XML, each asserted to be a text cell formatted "@" (not a number).</summary>
    static List<string> NikTextCells(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var formats = doc.WorkbookPart!.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var rows = doc.WorkbookPart.WorksheetParts.Single().Worksheet.Descendants<Row>().ToList();
        Assert.Equal("NIK", rows[0].Elements<Cell>().First().InnerText);
        return [.. rows.Skip(1).Select(r =>
        {
            var nik = r.Elements<Cell>().First();
            Assert.Equal(CellValues.InlineString, nik.DataType?.Value); // a number cell would lose the NIK in Excel
            Assert.Equal(49u, formats[(int)nik.StyleIndex!.Value].NumberFormatId!.Value);
            return nik.InnerText;
        })];
    }

    static List<string> CsvNiks(byte[] csv)
    {
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NIK,", lines[0]);
        return [.. lines.Skip(1).Select(l => l.Split(',')[0])];
    }
}
