using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using UcjFlow.App.Api;
using UcjFlow.Core.Campaigns;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// The campaign catalog over the API in a deployment of two regencies (Sarolangun 15.03, seeded from the configured file,
/// and OKU Selatan 16.09, added through the API): who may create, edit and close, and who sees which campaigns and batches.
/// </summary>
public sealed class CampaignApiTests : IAsyncLifetime
{
    const string Oku = "oku-selatan-2025";
    const string OkuVillage = "16.09.01.1013";
    const string SarolangunVillage = "15.03.01.2001";
    const string OkuToken = "token-koordinator-oku";
    const string KecamatanToken = "token-koordinator-kecamatan";
    const string VillageToken = "token-desa-tambak-ratu";
    readonly TempFolder folder = new();
    TestCampaign campaign = null!;
    InProcessApp app = null!;

    public async Task InitializeAsync()
    {
        campaign = TestCampaign.Write(folder.Path);
        app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), configure: s => s with
        {
            CampaignFile = campaign.Path,
            CoordinatorTokens = new Dictionary<string, string>(s.CoordinatorTokens) { ["oku"] = OkuToken, ["kecamatan"] = KecamatanToken },
            CoordinatorRegencies = new Dictionary<string, string> { ["oku"] = "16.09" },
            CoordinatorDistricts = new Dictionary<string, string> { ["kecamatan"] = "15.03.01" },
            VillageTokens = new Dictionary<string, string> { [SarolangunVillage] = VillageToken },
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        folder.Dispose();
    }

    /// <summary>A campaign of OKU Selatan (16.09): every desa of the regency, one PIC listed.</summary>
    string OkuCampaign(string id = Oku, string regency = "16.09")
    {
        var json = JsonNode.Parse(File.ReadAllText(campaign.Path))!.AsObject();
        json["id"] = id;
        json["name"] = "OKU Selatan 2025 APBD";
        json["regency"] = regency;
        json["coverageStart"] = "2025-01-01";
        json["submissionDeadline"] = "2024-12-20";
        json["villages"] = new JsonArray(new JsonObject { ["code"] = regency == "16.09" ? OkuVillage : SarolangunVillage, ["picEmail"] = $"pic.{campaign.Run}@desa.example.id" });
        return json.ToJsonString();
    }

    HttpClient Client(string token)
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    static async Task<IReadOnlyList<CampaignSummary>> ListAsync(HttpClient http) =>
        (await http.GetFromJsonAsync("api/campaigns", CampaignJsonContext.Default.CampaignList))!.Campaigns;

    static async Task<string> CodeOf(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiError))!.Code;

    [Fact]
    public async Task A_coverage_link_of_the_single_campaign_version_leads_to_the_one_regency_and_names_each_once_there_are_two()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var old = await http.GetAsync("reports/coverage/latest.html");
        Assert.Equal((HttpStatusCode.Redirect, "/reports/coverage/1503/latest.html"), (old.StatusCode, old.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("reports/coverage/daily.json")).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await app.Http.PostAsync("api/campaigns", Json(OkuCampaign()))).StatusCode);
        var twoRegencies = await Poll.UntilAsync(async () =>
        {
            var response = await http.GetAsync("reports/coverage/latest.csv");
            return response.StatusCode == HttpStatusCode.NotFound ? await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiError) : null;
        }, "the old link answered for two regencies", TimeSpan.FromSeconds(30));
        Assert.Equal("Ringkasan cakupan kini diterbitkan per kabupaten: /reports/coverage/1503/latest.csv, /reports/coverage/1609/latest.csv.", twoRegencies.Error);
    }

    [Fact]
    public async Task Coordinators_create_edit_and_close_campaigns_and_a_refused_file_gets_every_problem()
    {
        var created = await app.Http.PostAsync("api/campaigns", Json(OkuCampaign()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var summary = (await created.Content.ReadFromJsonAsync(CampaignJsonContext.Default.CampaignSummary))!;
        Assert.Equal((Oku, "16.09", "P-APBD", false), (summary.Id, summary.RegencyCode, summary.Funder, summary.Closed));
        Assert.Equal([CampaignLoader.LoadFile(campaign.Path).Id, Oku], (await ListAsync(app.Http)).Select(c => c.Id));

        var again = await app.Http.PostAsync("api/campaigns", Json(OkuCampaign()));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("campaign_exists", await CodeOf(again));

        var broken = JsonNode.Parse(OkuCampaign("Salah Id"))!.AsObject();
        broken["monthsFunded"] = 0;
        var invalid = await app.Http.PostAsync("api/campaigns", Json(broken.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problems = (await invalid.Content.ReadFromJsonAsync(CampaignJsonContext.Default.CampaignProblems))!;
        Assert.Equal("campaign_invalid", problems.Code);
        Assert.Equal(2, problems.Problems.Count);
        Assert.Contains("masalah", problems.Error);

        // The stored document comes back for editing; an edit keeps the id.
        var document = (await app.Http.GetFromJsonAsync($"api/campaigns/{Oku}", CampaignJsonContext.Default.CampaignDocument))!;
        var edited = JsonNode.Parse(document.Document)!.AsObject();
        edited["name"] = "OKU Selatan 2025 APBD (revisi)";
        using (var oku = Client(OkuToken))
        {
            var put = await oku.PutAsync($"api/campaigns/{Oku}", Json(edited.ToJsonString()));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("OKU Selatan 2025 APBD (revisi)", (await ListAsync(oku)).Single().Name);
            edited["id"] = "oku-lain-2025";
            var renamed = await oku.PutAsync($"api/campaigns/{Oku}", Json(edited.ToJsonString()));
            Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await oku.PutAsync("api/campaigns/tidak-ada", Json(edited.ToJsonString()))).StatusCode);

            var close = await oku.PostAsync($"api/campaigns/{Oku}/close", null);
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
            Assert.True((await close.Content.ReadFromJsonAsync(CampaignJsonContext.Default.CampaignSummary))!.Closed);
            var twice = await oku.PostAsync($"api/campaigns/{Oku}/close", null);
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            Assert.Equal("campaign_closed", await CodeOf(twice));
        }
        Assert.True((await ListAsync(app.Http)).Single(c => c.Id == Oku).Closed);
    }

    [Fact]
    public async Task A_regency_coordinator_changes_only_their_regency_a_kecamatan_coordinator_and_a_village_change_nothing()
    {
        var sarolangun = CampaignLoader.LoadFile(campaign.Path).Id;
        using var oku = Client(OkuToken);
        using var kecamatan = Client(KecamatanToken);
        using var village = Client(VillageToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await oku.PostAsync("api/campaigns", Json(OkuCampaign("sarolangun-lain", "15.03")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kecamatan.PostAsync("api/campaigns", Json(OkuCampaign()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await village.PostAsync("api/campaigns", Json(OkuCampaign()))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await oku.PostAsync("api/campaigns", Json(OkuCampaign()))).StatusCode);

        var stored = (await app.Http.GetFromJsonAsync($"api/campaigns/{sarolangun}", CampaignJsonContext.Default.CampaignDocument))!.Document;
        Assert.Equal(HttpStatusCode.Forbidden, (await oku.PutAsync($"api/campaigns/{sarolangun}", Json(stored))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await oku.PostAsync($"api/campaigns/{sarolangun}/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await oku.GetAsync($"api/campaigns/{sarolangun}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kecamatan.PostAsync($"api/campaigns/{sarolangun}/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await village.PutAsync($"api/campaigns/{sarolangun}", Json(stored))).StatusCode);
        // Moving a campaign of theirs into another regency is creating one there: refused too.
        Assert.Equal(HttpStatusCode.Forbidden, (await oku.PutAsync($"api/campaigns/{Oku}", Json(OkuCampaign(Oku, "15.03")))).StatusCode);
        Assert.False((await ListAsync(app.Http)).Single(c => c.Id == sarolangun).Closed);
    }

    [Fact]
    public async Task Each_caller_lists_and_decides_only_their_regency_kecamatan_or_village()
    {
        var sarolangun = CampaignLoader.LoadFile(campaign.Path);
        Assert.Equal(HttpStatusCode.Created, (await app.Http.PostAsync("api/campaigns", Json(OkuCampaign()))).StatusCode);
        var okuCampaign = CampaignLoader.Parse(OkuCampaign());
        using var oku = Client(OkuToken);
        using var kecamatan = Client(KecamatanToken);
        using var village = Client(VillageToken);

        Assert.Equal([sarolangun.Id, Oku], (await ListAsync(app.Http)).Select(c => c.Id));
        Assert.Equal([Oku], (await ListAsync(oku)).Select(c => c.Id));
        Assert.Equal([sarolangun.Id], (await ListAsync(kecamatan)).Select(c => c.Id));
        Assert.Equal([sarolangun.Id], (await ListAsync(village)).Select(c => c.Id));

        var (sName, sContent) = RosterGenerator.Csv(sarolangun.Village(SarolangunVillage)!, 5, 4);
        var (oName, oContent) = RosterGenerator.Csv(okuCampaign.Village(OkuVillage)!, 6, 4);
        var sBatch = (await app.UploadAsync(SarolangunVillage, sName, sContent)).BatchId;
        var oBatch = (await app.UploadAsync(OkuVillage, oName, oContent)).BatchId;
        Assert.StartsWith($"{sarolangun.Id}-", sBatch);
        Assert.StartsWith($"{Oku}-", oBatch);
        await app.WaitForBatchAsync(sBatch, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        await app.WaitForBatchAsync(oBatch, InProcessApp.Validated, TimeSpan.FromSeconds(30));

        async Task<IEnumerable<string>> Batches(HttpClient http, string query = "") =>
            (await http.GetFromJsonAsync("api/batches" + query, ApiJsonContext.Default.BatchList))!.Batches.Select(b => b.BatchId);
        Assert.Equal([oBatch], await Batches(oku));
        Assert.Equal(HttpStatusCode.NotFound, (await oku.GetAsync($"api/batches?campaign={sarolangun.Id}")).StatusCode);
        Assert.Equal([sBatch], await Batches(kecamatan));
        Assert.Equal([sBatch], await Batches(village));
        Assert.Equal([sBatch], await Batches(app.Http));
        Assert.Equal([oBatch], await Batches(app.Http, $"?campaign={Oku}"));
        Assert.Equal(HttpStatusCode.OK, (await oku.GetAsync($"api/batches/{oBatch}")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await oku.GetAsync($"api/batches/{sBatch}")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await village.GetAsync($"api/batches/{oBatch}")).StatusCode);
        Assert.Equal("16.09", JsonNode.Parse(await oku.GetStringAsync("api/campaign"))!["regencyCode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await oku.GetAsync($"api/coverage?campaign={sarolangun.Id}")).StatusCode);

        // Deciding: the OKU coordinator their regency's batch only; the kecamatan coordinator not OKU's.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.DecideAsync(sBatch, approve: false, "bukan wilayah", oku)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.DecideAsync(oBatch, approve: false, "bukan wilayah", kecamatan)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await app.DecideAsync(oBatch, approve: false, "data belum lengkap", oku)).StatusCode);
        await app.WaitForBatchAsync(oBatch, InProcessApp.Decided, TimeSpan.FromSeconds(30));
        Assert.Equal(UcjFlow.Core.Registry.BatchStatus.AwaitingApproval, (await app.GetBatchAsync(sBatch)).Status);
    }
}
