using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.App.Api;
using UcjFlow.App.Security;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Hosting;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>The JSON API of a real server on a loopback port (mail to the outbox): uploads, batches, decisions, auth.</summary>
public sealed class ApiTests : IAsyncLifetime
{
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
            VillageTokens = new Dictionary<string, string> { ["15.03.01.2001"] = VillageToken },
            MaxUploadBytes = 64 * 1024,
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        folder.Dispose();
    }

    Core.Campaigns.CampaignVillage V(string code) => app.Campaign.Village(code)!;

    HttpClient Client(string? token)
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    static async Task<ApiError> ErrorOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text); // never a stack trace
        return JsonSerializer.Deserialize(text, ApiJsonContext.Default.ApiError)!;
    }

    [Fact]
    public async Task Upload_validates_and_the_same_bytes_again_are_the_same_batch()
    {
        var (name, content) = RosterGenerator.Csv(V("15.03.01.2001"), 11, 30, RosterFlavor.Warnings);
        var first = await app.UploadAsync("15.03.01.2001", name, content);
        Assert.StartsWith($"{app.Campaign.Id}-1503012001-", first.BatchId); // the batch id names the campaign (issue 13.1)
        Assert.Equal($"/api/batches/{first.BatchId}", first.StatusUrl);
        Assert.False(first.Duplicate);

        // Raw body with X-File-Name, village code without dots: still the same content.
        using var raw = new ByteArrayContent(content);
        raw.Headers.Add("X-File-Name", "lagi.csv");
        var again = await app.Http.PostAsync("api/uploads/1503012001", raw);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = (await again.Content.ReadFromJsonAsync(ApiJsonContext.Default.UploadAccepted))!;
        Assert.Equal(first.BatchId, second.BatchId);
        Assert.True(second.Duplicate);

        var batch = await app.WaitForBatchAsync(first.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        Assert.Equal(BatchStatus.AwaitingApproval, batch.Status);
        Assert.Equal(new BatchCounts(30, 30, 0, batch.Counts.ValidWithWarnings), batch.Counts);
        Assert.True(batch.Counts.ValidWithWarnings > 0);
        Assert.Single(await app.Registry.ListBatchesAsync(app.Campaign.Id, villageCode: "15.03.01.2001"));

        var report = await app.Http.GetStringAsync(batch.Reports!.Json);
        Assert.Contains("\"valid\": 30", report.Replace("\"valid\":30", "\"valid\": 30"));
        var listed = (await app.Http.GetFromJsonAsync("api/batches?status=AwaitingApproval&village=15.03.01.2001", ApiJsonContext.Default.BatchList))!;
        Assert.Equal(first.BatchId, Assert.Single(listed.Batches).BatchId);
    }

    [Fact]
    public async Task Upload_refuses_unknown_village_empty_and_oversize_files_in_Indonesian()
    {
        var unknown = await app.Http.PostAsync("api/uploads/9999999999", new ByteArrayContent([1]) { Headers = { { "X-File-Name", "a.csv" } } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("tidak terdaftar", (await ErrorOf(unknown)).Error);

        var empty = await app.Http.PostAsync("api/uploads/1503012001", new ByteArrayContent([]) { Headers = { { "X-File-Name", "a.csv" } } });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Berkas kosong", (await ErrorOf(empty)).Error);

        var big = await app.Http.PostAsync("api/uploads/1503012001", new ByteArrayContent(new byte[65 * 1024]) { Headers = { { "X-File-Name", "a.csv" } } });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Contains("terlalu besar", (await ErrorOf(big)).Error);

        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[65 * 1024]), "file", "besar.csv" } };
        var bigForm = await app.Http.PostAsync("api/uploads/1503012001", form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bigForm.StatusCode);
        Assert.Empty(await app.Registry.ListBatchesAsync(app.Campaign.Id));
    }

    [Fact]
    public async Task Tokens_are_checked_village_tokens_stay_in_their_village_and_links_in_their_batch()
    {
        using var none = Client(null);
        using var wrong = Client("bukan-token");
        using var village = Client(VillageToken);
        foreach (var path in new[] { "api/batches", "api/coverage", "api/campaign", "api/batches/x" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await none.GetAsync(path)).StatusCode);
            var refused = await wrong.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("unauthorized", (await ErrorOf(refused)).Code);
        }

        var (name, content) = RosterGenerator.Csv(V("15.03.01.2001"), 12, 5);
        var own = await app.UploadAsync("15.03.01.2001", name, content, village);
        var (otherName, otherContent) = RosterGenerator.Csv(V("15.03.01.2002"), 13, 5);
        var foreign = await village.PostAsync("api/uploads/15.03.01.2002", new MultipartFormDataContent { { new ByteArrayContent(otherContent), "file", otherName } });
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        var other = await app.UploadAsync("15.03.01.2002", otherName, otherContent); // a coordinator may, on the village's behalf

        Assert.Equal(HttpStatusCode.Forbidden, (await village.GetAsync("api/batches?village=15.03.01.2002")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await village.GetAsync($"api/batches/{other.BatchId}")).StatusCode);
        var mine = (await village.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!;
        Assert.Equal(own.BatchId, Assert.Single(mine.Batches).BatchId);

        await app.WaitForBatchAsync(own.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        await app.WaitForBatchAsync(other.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.DecideAsync(own.BatchId, true, http: village)).StatusCode);

        // An approval link token: its batch only, and not after it expires.
        var signer = app.App.Services.GetRequiredService<ApprovalLinkSigner>();
        var link = signer.CreateToken(own.BatchId, TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.OK, (await none.GetAsync($"api/batches/{own.BatchId}?token={link}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await none.GetAsync($"api/batches/{other.BatchId}?token={link}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await none.PostAsJsonAsync($"api/batches/{other.BatchId}/decision?token={link}",
            new DecisionRequest(true, null), ApiJsonContext.Default.DecisionRequest)).StatusCode);
        var expired = signer.CreateToken(own.BatchId, DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await none.GetAsync($"api/batches/{own.BatchId}?token={expired}")).StatusCode);
        var decided = await none.PostAsJsonAsync($"api/batches/{own.BatchId}/decision?token={link}", new DecisionRequest(true, null), ApiJsonContext.Default.DecisionRequest);
        Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);
        var approved = await app.WaitForBatchAsync(own.BatchId, InProcessApp.Decided, TimeSpan.FromSeconds(30));
        Assert.Equal(Access.ApprovalLinkName, approved.Decision!.DecidedBy);
    }

    [Fact]
    public async Task Decisions_need_a_reason_to_reject_and_happen_once()
    {
        var (name, content) = RosterGenerator.Csv(V("15.03.01.2002"), 14, 8);
        var up = await app.UploadAsync("15.03.01.2002", name, content);
        await app.WaitForBatchAsync(up.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));

        var noReason = await app.DecideAsync(up.BatchId, false, "  ");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("reason_required", (await ErrorOf(noReason)).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await app.DecideAsync("1503012002-000000000000", true)).StatusCode);

        // Two decisions at once: exactly one is accepted.
        var both = await Task.WhenAll(app.DecideAsync(up.BatchId, false, "Data belum lengkap"), app.DecideAsync(up.BatchId, true));
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());
        var batch = await app.WaitForBatchAsync(up.BatchId, InProcessApp.Decided, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Conflict, (await app.DecideAsync(up.BatchId, true)).StatusCode);
        var decisions = await app.Registry.ListDecisionsAsync(app.Campaign.Id);
        Assert.Equal(up.BatchId, Assert.Single(decisions).BatchId);
        Assert.Equal(batch.Status == BatchStatus.Approved ? DecisionKind.Approve : DecisionKind.Reject, decisions[0].Kind);

        var rejected = await Poll.OutboxAsync(app.Outbox, m => m.To.Contains(campaign.Pic("15.03.01.2002")) && (m.Subject.Contains("disetujui") || m.Subject.Contains("ditolak")),
            "the village told of the decision");
        Assert.Contains(batch.Status == BatchStatus.Approved ? "disetujui" : "ditolak", rejected.Subject);
    }

    [Fact]
    public async Task Unreadable_file_supersede_and_duplicates_across_villages()
    {
        // Unreadable: the village gets a clear mail, nothing waits for a decision.
        var (badName, bad) = RosterGenerator.Unreadable(V("15.03.03.1001"));
        var unreadable = await app.UploadAsync("15.03.03.1001", badName, bad);
        var u = await app.WaitForBatchAsync(unreadable.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        Assert.Equal(BatchStatus.Unreadable, u.Status);
        Assert.NotNull(u.FileCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.DecideAsync(u.BatchId, true)).StatusCode);
        var mail = await Poll.OutboxAsync(app.Outbox, m => m.To.Contains(campaign.Pic("15.03.03.1001")), "the unreadable-file mail");
        Assert.Contains("tidak dapat dibaca", mail.Subject);

        // Supersede: a corrected file from the same village replaces the one still waiting.
        var village = V("15.03.01.2001");
        var (n1, c1) = RosterGenerator.Csv(village, 20, 10);
        var first = await app.UploadAsync(village.Code, n1, c1);
        await app.WaitForBatchAsync(first.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        var (n2, c2) = RosterGenerator.Csv(village, 21, 12);
        var second = await app.UploadAsync(village.Code, n1 == n2 ? n2 : n1, c2); // same file name, new content
        Assert.NotEqual(first.BatchId, second.BatchId);
        Assert.Equal(BatchStatus.AwaitingApproval, (await app.WaitForBatchAsync(second.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30))).Status);
        var old = await app.WaitForBatchAsync(first.BatchId, b => b.Status == BatchStatus.Superseded, TimeSpan.FromSeconds(30));
        Assert.Equal(second.BatchId, old.SupersededBy);
        Assert.Equal(HttpStatusCode.Conflict, (await app.DecideAsync(first.BatchId, true)).StatusCode);

        // Duplicates across villages of one district: persons of village 2001's waiting batch appear again in 2002's roster.
        var neighbour = V("15.03.01.2002");
        var borrowed = Enumerable.Range(1, 4).Select(row => 21 * 1000 + row).ToList();
        var (n3, c3) = RosterGenerator.Csv(neighbour, 22, 10, borrowFrom: borrowed);
        var dup = await app.UploadAsync(neighbour.Code, n3, c3);
        var d = await app.WaitForBatchAsync(dup.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        Assert.Equal(new BatchCounts(10, 6, 4, d.Counts.ValidWithWarnings), d.Counts);
        using var report = JsonDocument.Parse(await app.Http.GetStringAsync(d.Reports!.Json));
        Assert.Equal(4, report.RootElement.GetProperty("byCode").GetProperty("DUPLICATE_IN_CAMPAIGN").GetInt32());
    }

    [Fact]
    public async Task Coverage_and_campaign_read_the_registry_and_the_campaign_file()
    {
        var village = V("15.03.02.2005");
        var (name, content) = RosterGenerator.Csv(village, 40, 25);
        var up = await app.UploadAsync(village.Code, name, content);
        await app.WaitForBatchAsync(up.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        (await app.DecideAsync(up.BatchId, true)).EnsureSuccessStatusCode();
        await app.WaitForBatchAsync(up.BatchId, InProcessApp.Decided, TimeSpan.FromSeconds(30));

        // On a day of the sample's funded period (this host runs on today's clock, after it: issue 13.3).
        using var coverage = JsonDocument.Parse(await app.Http.GetStringAsync("api/coverage?asOf=2025-01-01"));
        Assert.Equal(25, coverage.RootElement.GetProperty("approved").GetInt64());
        Assert.Equal(64709 + 25, coverage.RootElement.GetProperty("covered").GetInt64());
        Assert.Equal(157, coverage.RootElement.GetProperty("villagesMissing").GetArrayLength());

        var c = (await app.Http.GetFromJsonAsync("api/campaign", ApiJsonContext.Default.CampaignView))!;
        Assert.Equal(158, c.Villages.Count);
        Assert.Equal(campaign.Pic(village.Code), c.Villages.Single(v => v.Code == village.Code).PicEmail);
        using var villageClient = Client(VillageToken);
        var seen = (await villageClient.GetFromJsonAsync("api/campaign", ApiJsonContext.Default.CampaignView))!;
        Assert.Equal("15.03.01.2001", Assert.Single(seen.Villages).Code);
        Assert.Null(seen.Villages[0].PicEmail);
    }
}
