using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.App.Api;
using UcjFlow.App.Hosting;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// Revoking an approved batch through the local app's API (issue 10.2): 202 and Revoked, its enrolments gone, the published
/// coverage drops, the village gets one Indonesian mail; the export-sent mark ends the time for it (409); racing
/// revocations let exactly one through; every act is in the audit trail with the person behind it.
/// </summary>
public sealed class RevocationTests : IAsyncLifetime
{
    const string VillageCode = "15.03.01.2001";
    const string VillageToken = "token-desa-revoke";
    readonly TempFolder folder = new();
    TestCampaign campaign = null!;
    InProcessApp app = null!;

    public async Task InitializeAsync()
    {
        campaign = TestCampaign.Write(folder.Path);
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

    /// <summary>Uploads a clean roster of <paramref name="rows"/> people, approves it and waits until its intake has finished.</summary>
    async Task<string> ApprovedBatchAsync(int seed, int rows, string villageCode = VillageCode)
    {
        var (name, content) = RosterGenerator.Csv(app.Campaign.Village(villageCode)!, seed, rows);
        var batchId = (await app.UploadAsync(villageCode, name, content)).BatchId;
        await app.WaitForBatchAsync(batchId, b => b.Status == BatchStatus.AwaitingApproval, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Accepted, (await app.DecideAsync(batchId, approve: true)).StatusCode);
        await app.Durable.WaitForInstanceCompletionAsync(batchId, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal(BatchStatus.Approved, (await app.GetBatchAsync(batchId)).Status);
        return batchId;
    }

    Task<HttpResponseMessage> RevokeAsync(string batchId, string? reason, HttpClient? http = null) =>
        (http ?? app.Http).PostAsJsonAsync($"api/batches/{batchId}/revoke", new RevokeRequest(reason), ApiJsonContext.Default.RevokeRequest);

    Task<HttpResponseMessage> MarkExportSentAsync(string batchId) => app.Http.PostAsync($"api/batches/{batchId}/export-sent", null);

    static async Task<string> CodeOf(HttpResponseMessage response) =>
        JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ApiJsonContext.Default.ApiError)!.Code;

    async Task<long> ApprovedInPeriodAsync()
    {
        // Coverage on a day inside the sample's funded period (issue 13.3): this host runs on today's clock, when the
        // published (today's) figures no longer count the sample's enrolments.
        using var response = await app.Http.GetAsync("api/coverage?asOf=2025-01-01");
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!["approved"]!.GetValue<long>() : -1;
    }

    /// <summary>Submitted rows in the published summary (reports/coverage/1503/latest.json): moves with every publication, on any date.</summary>
    async Task<long> PublishedSubmittedAsync()
    {
        using var response = await app.Http.GetAsync("reports/coverage/1503/latest.json");
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!["submitted"]!.GetValue<long>() : -1;
    }

    IReadOnlyList<OutboxMail> RevokedMails() =>
        OutboxMail.ReadAll(app.Outbox).Where(m => m.Subject.Contains("] Persetujuan dicabut:", StringComparison.Ordinal)).ToList();

    async Task<IReadOnlyList<AuditView>> AuditAsync(string batchId) =>
        (await app.Http.GetFromJsonAsync($"api/audit?batch={batchId}", ApiJsonContext.Default.AuditList))!.Entries;

    HttpClient Client(string token) => new() { BaseAddress = app.BaseAddress, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    [Fact]
    public async Task A_revoked_batch_is_Revoked_its_people_unenrolled_coverage_drops_and_the_village_is_told_once()
    {
        var batchId = await ApprovedBatchAsync(31, 15);
        await Poll.UntilAsync(async () => await ApprovedInPeriodAsync() == 15 ? "" : null, "coverage with the approval");
        await Poll.UntilAsync(async () => await PublishedSubmittedAsync() == 15 ? "" : null, "coverage published with the approval");

        using var village = Client(VillageToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await RevokeAsync(batchId, "bukan koordinator", village)).StatusCode);
        var noReason = await RevokeAsync(batchId, "  ");
        Assert.Equal((HttpStatusCode.BadRequest, "reason_required"), (noReason.StatusCode, await CodeOf(noReason)));

        var revoked = await RevokeAsync(batchId, "Data desa lain ikut terunggah");
        Assert.Equal(HttpStatusCode.Accepted, revoked.StatusCode);
        var accepted = (await revoked.Content.ReadFromJsonAsync(ApiJsonContext.Default.RevocationAccepted))!;
        Assert.Equal((batchId, 15), (accepted.BatchId, accepted.Unenrolled));

        Assert.Equal(BatchStatus.Revoked, (await app.GetBatchAsync(batchId)).Status);
        Assert.Empty(await app.Registry.ReadEnrolledRowsAsync(batchId).ToListAsync());
        await Poll.UntilAsync(async () => await ApprovedInPeriodAsync() == 0 ? "" : null, "coverage without the batch");
        await Poll.UntilAsync(async () => await PublishedSubmittedAsync() == 0 ? "" : null, "coverage republished without the batch");
        var mail = await Poll.OutboxAsync(app.Outbox, m => m.Subject.Contains("] Persetujuan dicabut:", StringComparison.Ordinal), "the revocation mail");
        Assert.Equal([campaign.Pic(VillageCode)], mail.To);

        var again = await RevokeAsync(batchId, "lagi");
        Assert.Equal((HttpStatusCode.Conflict, "already_revoked"), (again.StatusCode, await CodeOf(again)));
        var mark = await MarkExportSentAsync(batchId);
        Assert.Equal((HttpStatusCode.Conflict, "not_approved"), (mark.StatusCode, await CodeOf(mark)));

        // The upkeep finds the follow-up done and starts nothing: still one mail once everything is quiet.
        await app.App.Services.GetRequiredService<WorkflowUpkeep>().RunAsync(app.Durable, CancellationToken.None);
        await app.SettleAsync(TimeSpan.FromSeconds(30));
        Assert.Single(RevokedMails());

        var audit = await AuditAsync(batchId);
        Assert.Equal([(AuditAction.Approve, InProcessApp.CoordinatorName, (string?)null), (AuditAction.Revoke, InProcessApp.CoordinatorName, "Data desa lain ikut terunggah")],
            audit.Select(e => (e.Action, e.Actor, e.Reason)));
    }

    [Fact]
    public async Task Once_the_export_is_marked_sent_a_revocation_gets_409_export_sent()
    {
        var batchId = await ApprovedBatchAsync(32, 8);

        Assert.Equal(HttpStatusCode.Accepted, (await MarkExportSentAsync(batchId)).StatusCode);
        var twice = await MarkExportSentAsync(batchId);
        Assert.Equal((HttpStatusCode.Conflict, "export_already_sent"), (twice.StatusCode, await CodeOf(twice)));
        var refused = await RevokeAsync(batchId, "terlambat");
        Assert.Equal((HttpStatusCode.Conflict, "export_sent"), (refused.StatusCode, await CodeOf(refused)));

        Assert.Equal(BatchStatus.Approved, (await app.GetBatchAsync(batchId)).Status);
        Assert.Equal(8, (await app.Registry.ReadEnrolledRowsAsync(batchId).ToListAsync()).Count);
        Assert.Equal([AuditAction.Approve, AuditAction.ExportSent], (await AuditAsync(batchId)).Select(e => e.Action));
        using var village = Client(VillageToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await village.GetAsync($"api/audit?batch={batchId}")).StatusCode);
    }

    [Fact]
    public async Task Of_racing_revocations_exactly_one_gets_202_and_the_village_gets_one_mail()
    {
        var batchId = await ApprovedBatchAsync(33, 12);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => RevokeAsync(batchId, $"alasan {i}")));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        foreach (var a in answers.Where(a => a.StatusCode != HttpStatusCode.Accepted))
            Assert.Equal((HttpStatusCode.Conflict, "already_revoked"), (a.StatusCode, await CodeOf(a)));
        await Poll.OutboxAsync(app.Outbox, m => m.Subject.Contains("] Persetujuan dicabut:", StringComparison.Ordinal), "the revocation mail");
        await app.SettleAsync(TimeSpan.FromSeconds(30));
        Assert.Single(RevokedMails());
        Assert.Single(await AuditAsync(batchId), e => e.Action == AuditAction.Revoke);
    }

    [Fact]
    public async Task A_revocation_whose_follow_up_never_started_is_finished_by_the_upkeep_and_its_people_can_be_enrolled_again()
    {
        var batchId = await ApprovedBatchAsync(34, 10);
        // As if the process died right after the registry committed the revocation: no follow-up instance.
        await app.Registry.RevokeAsync(new Revocation("r-crash", batchId, "koordinator", "Salah desa"));
        await app.SettleAsync(TimeSpan.FromSeconds(30));
        Assert.Null(await app.Durable.GetInstanceAsync(IntakeNames.RevocationInstanceId(batchId)));
        Assert.Empty(RevokedMails());

        await app.App.Services.GetRequiredService<WorkflowUpkeep>().RunAsync(app.Durable, CancellationToken.None);

        await Poll.OutboxAsync(app.Outbox, m => m.Subject.Contains("] Persetujuan dicabut:", StringComparison.Ordinal), "the revocation mail");
        await Poll.UntilAsync(async () => await ApprovedInPeriodAsync() == 0 ? "" : null, "coverage republished without the batch");

        // The same people in a corrected file (one more row: other bytes) are not ALREADY_ENROLLED and enrol again.
        var (name, content) = RosterGenerator.Csv(app.Campaign.Village(VillageCode)!, 34, 11);
        var again = (await app.UploadAsync(VillageCode, "perbaikan-" + name, content)).BatchId;
        var waiting = await app.WaitForBatchAsync(again, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        Assert.Equal((BatchStatus.AwaitingApproval, 11), (waiting.Status, waiting.Counts.Valid));
        Assert.Equal(HttpStatusCode.Accepted, (await app.DecideAsync(again, approve: true)).StatusCode);
        var approved = await app.WaitForBatchAsync(again, InProcessApp.Decided, TimeSpan.FromSeconds(30));
        Assert.Equal((BatchStatus.Approved, 11), (approved.Status, approved.Decision!.Enrolled));
    }
}
