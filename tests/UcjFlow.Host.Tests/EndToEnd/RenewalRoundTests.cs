using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.App.Hosting;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster.Template;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// A renewal round through the local app (issue 13.5): next year's campaign renews this one; a village downloads its
/// renewal roster (its enrolled people, "Lanjut?" = Ya), and the same file uploaded goes to the new campaign and enrols
/// the same people again for the new period — a renewal, not ALREADY_ENROLLED (issue 13.2).
/// </summary>
public sealed class RenewalRoundTests : IAsyncLifetime
{
    const string VillageCode = "15.03.01.2001";
    const string VillageToken = "token-desa-renewal";
    readonly TempFolder folder = new();
    InProcessApp app = null!;

    public async Task InitializeAsync()
    {
        var campaign = TestCampaign.Write(folder.Path);
        app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), configure: s => s with
        {
            CampaignFile = campaign.Path,
            VillageTokens = new Dictionary<string, string> { [VillageCode] = VillageToken },
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task The_renewal_roster_lists_the_villages_people_and_uploaded_as_is_renews_them_in_the_new_campaign()
    {
        var (name, content) = RosterGenerator.Csv(app.Campaign.Village(VillageCode)!, 21, 12);
        var first = (await app.UploadAsync(VillageCode, name, content)).BatchId;
        await app.WaitForBatchAsync(first, b => b.Status == BatchStatus.AwaitingApproval, TimeSpan.FromSeconds(30));
        (await app.DecideAsync(first, approve: true)).EnsureSuccessStatusCode();
        var approved = await app.WaitForBatchAsync(first, InProcessApp.Decided, TimeSpan.FromSeconds(30));
        var enrolled = approved.Decision!.Enrolled;
        Assert.True(enrolled > 0);

        var village = new HttpClient { BaseAddress = app.Http.BaseAddress };
        village.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VillageToken);
        var none = await village.GetAsync($"api/villages/{VillageCode}/renewal");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("no_renewal", await none.Content.ReadAsStringAsync());

        // Next year's campaign renews this one; this one closes, so the village has one open campaign.
        var registry = app.Registry;
        var next = JsonNode.Parse(File.ReadAllText(UcjFlowServices.SampleCampaignPath))!.AsObject();
        next["id"] = "sarolangun-2025";
        next["name"] = "Sarolangun 2025 APBD";
        next["funder"] = "APBD";
        next["renewsFrom"] = app.Campaign.Id;
        next["coverageStart"] = "2025-11-01";
        next["submissionDeadline"] = "2025-10-22";
        Assert.True(await registry.AddCampaignAsync("sarolangun-2025", "15.03", next.ToJsonString(), "test"));
        Assert.True(await registry.CloseCampaignAsync(app.Campaign.Id, "test"));

        var renewal = await Poll.UntilAsync(async () =>
        {
            var r = await village.GetAsync($"api/villages/{VillageCode}/renewal");
            return r.StatusCode == HttpStatusCode.OK ? r : null;
        }, "the renewal roster once the catalog has the new campaign", TimeSpan.FromSeconds(30));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", renewal.Content.Headers.ContentType?.MediaType);
        var fileName = renewal.Content.Headers.ContentDisposition?.FileNameStar ?? renewal.Content.Headers.ContentDisposition?.FileName;
        Assert.StartsWith($"{VillageCode}-perpanjangan", fileName?.Trim('"'));
        var roster = await renewal.Content.ReadAsByteArrayAsync();

        var again = (await app.UploadAsync(VillageCode, fileName!.Trim('"'), roster, village)).BatchId;
        Assert.StartsWith("sarolangun-2025-1503012001-", again);
        var renewed = await app.WaitForBatchAsync(again, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        Assert.Equal(BatchStatus.AwaitingApproval, renewed.Status);
        Assert.Equal(enrolled, renewed.Counts.Valid); // every person again, none ALREADY_ENROLLED: the periods do not overlap
        Assert.Equal(0, renewed.Counts.Rejected);
    }
}
