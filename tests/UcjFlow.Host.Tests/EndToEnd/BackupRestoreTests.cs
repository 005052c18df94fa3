using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using UcjFlow.App.Api;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// <c>ucjflow backup</c> against a running <c>serve</c> in the middle of a burst of uploads, <c>ucjflow restore</c> into a
/// new folder, <c>serve</c> there: every batch accepted before the snapshot began is back, decided ones with their
/// decisions and enrolments (the registry), waiting ones still able to take a decision (the durable store).
/// </summary>
public sealed class BackupRestoreTests
{
    const int Burst = 24;

    [Fact]
    public async Task A_snapshot_taken_mid_burst_restores_every_batch_accepted_before_it_began()
    {
        using var folder = new TempFolder();
        var (data, snapshot, restored) = (Path.Combine(folder.Path, "data"), Path.Combine(folder.Path, "snapshot"), Path.Combine(folder.Path, "restored"));
        var token = Guid.NewGuid().ToString("N");
        var campaign = CampaignLoader.LoadFile(UcjFlow.App.Hosting.UcjFlowServices.SampleCampaignPath);
        var villages = campaign.Villages.Take(3 + Burst).ToList();

        var before = new List<string>();
        string approved, waiting;
        var accepted = new ConcurrentQueue<(string BatchId, DateTime At)>();
        DateTime snapshotBegan;
        await using (var serve = await ServeProcess.StartAsync(ServeProcess.UcjflowDll, ["serve"], data, null, token))
        {
            var http = serve.Http;
            // Before the burst: one batch approved (only the registry knows its decision), one waiting for a decision.
            approved = await UploadAsync(http, villages[0], 0, 12);
            waiting = await UploadAsync(http, villages[1], 1, 9);
            await UntilAsync(http, approved, b => b.Status == BatchStatus.AwaitingApproval);
            (await http.PostAsJsonAsync($"api/batches/{approved}/decision", new DecisionRequest(true, null), ApiJsonContext.Default.DecisionRequest)).EnsureSuccessStatusCode();
            await UntilAsync(http, approved, b => b.Status == BatchStatus.Approved);
            before.AddRange([approved, waiting]);

            // The burst, four at a time; the backup starts once a third of it is accepted and runs while the rest arrives.
            var burst = Task.Run(() => Parallel.ForEachAsync(Enumerable.Range(0, Burst), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var id = await UploadAsync(http, villages[2 + i], 2 + i, 40 + i);
                accepted.Enqueue((id, DateTime.UtcNow));
            }));
            await Poll.UntilAsync(() => Task.FromResult(accepted.Count >= Burst / 3 ? "" : null), "a third of the burst accepted", TimeSpan.FromSeconds(60));
            snapshotBegan = DateTime.UtcNow;
            var backup = await ServeProcess.RunAsync("backup", snapshot, "--data", data);
            Assert.True(backup.Exit == Program.ExitOk, $"backup failed ({backup.Exit}): {backup.Error}");
            await burst;
            Assert.True(accepted.Count(a => a.At > snapshotBegan) > 0, "no upload was accepted while the backup ran: the burst ended too early");
            serve.KillHard();
        }
        before.AddRange(accepted.Where(a => a.At < snapshotBegan).Select(a => a.BatchId));

        var restore = await ServeProcess.RunAsync("restore", snapshot, "--data", restored);
        Assert.True(restore.Exit == Program.ExitOk, $"restore failed ({restore.Exit}): {restore.Error}");
        // A second restore onto the folder now in use is refused, and leaves it alone.
        var again = await ServeProcess.RunAsync("restore", snapshot, "--data", restored);
        Assert.Equal(Program.ExitFailed, again.Exit);
        Assert.Contains("is not empty", again.Error);

        await using (var serve = await ServeProcess.StartAsync(ServeProcess.UcjflowDll, ["serve"], restored, null, token))
        {
            // Even --force does not replace a folder a running serve holds.
            var underServe = await ServeProcess.RunAsync("restore", snapshot, "--data", restored, "--force");
            Assert.Equal(Program.ExitFailed, underServe.Exit);
            Assert.Contains("in use by another ucjflow process", underServe.Error);
            var http = serve.Http;
            foreach (var id in before)
            {
                var batch = await UntilAsync(http, id, b => b.Status is not BatchStatus.Validating);
                Assert.True(batch.Status is BatchStatus.AwaitingApproval or BatchStatus.Approved or BatchStatus.Rejected or BatchStatus.Unreadable,
                    $"batch {id} is {batch.Status} after the restore");
            }
            var kept = await UntilAsync(http, approved, b => b.Status == BatchStatus.Approved);
            Assert.Equal(12, kept.Decision!.Enrolled);

            // The waiting batch's intake came back with the durable store: a decision now completes it.
            (await http.PostAsJsonAsync($"api/batches/{waiting}/decision", new DecisionRequest(true, null), ApiJsonContext.Default.DecisionRequest)).EnsureSuccessStatusCode();
            Assert.Equal(9, (await UntilAsync(http, waiting, b => b.Status == BatchStatus.Approved)).Decision!.Enrolled);
        }
    }

    static async Task<string> UploadAsync(HttpClient http, CampaignVillage village, int index, int rows)
    {
        var (name, content) = RosterGenerator.Csv(village, index, rows);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } };
        using var response = await http.PostAsync($"api/uploads/{village.Code}", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.UploadAccepted))!.BatchId;
    }

    static Task<BatchView> UntilAsync(HttpClient http, string batchId, Func<BatchView, bool> done) =>
        Poll.UntilAsync(async () =>
        {
            using var response = await http.GetAsync($"api/batches/{batchId}");
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            var b = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.BatchView);
            return b is not null && done(b) ? b : null;
        }, $"batch {batchId}", TimeSpan.FromSeconds(60));
}
