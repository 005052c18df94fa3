using System.Net.Http.Headers;
using System.Net.Http.Json;
using UcjFlow.Core.Registry;
using UcjFlow.Embedded.Registry;
using UcjFlow.App.Api;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// The built `ucjflow serve` as a real child process, killed while a batch awaits approval and started again on the same
/// data folder: the decision still completes the batch, the enrolments are committed once, the mails arrive over SMTP.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Killed_while_awaiting_approval_then_restarted_the_decision_completes_once()
    {
        var maildev = Maildev.FromEnvironment();
        using var folder = new TempFolder();
        var campaign = TestCampaign.Write(folder.Path);
        var data = Path.Combine(folder.Path, "data");
        var token = Guid.NewGuid().ToString("N");
        var village = Core.Campaigns.CampaignLoader.LoadFile(campaign.Path).Village("15.03.02.2005")!;
        var (name, content) = RosterGenerator.Csv(village, 60, 35);

        string batchId;
        await using (var first = await ServeProcess.StartAsync(ServeProcess.UcjflowDll, ["serve"], data, campaign.Path, token, maildev))
        {
            using var http = Client(first.Url, token);
            using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } };
            var response = await http.PostAsync($"api/uploads/{village.Code}", form);
            batchId = (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.UploadAccepted))!.BatchId;
            await UntilStatusAsync(http, batchId, BatchStatus.AwaitingApproval);
            await maildev.WaitForAsync(campaign.Run, m => m.To.Contains(campaign.Coordinator) && m.Subject.Contains("Persetujuan diperlukan"), "approval needed before the kill");
            first.KillHard();
        }

        await using (var second = await ServeProcess.StartAsync(ServeProcess.UcjflowDll, ["serve"], data, campaign.Path, token, maildev))
        {
            using var http = Client(second.Url, token);
            Assert.Equal(BatchStatus.AwaitingApproval, (await UntilStatusAsync(http, batchId, BatchStatus.AwaitingApproval)).Status);
            var decided = await http.PostAsJsonAsync($"api/batches/{batchId}/decision", new DecisionRequest(true, null), ApiJsonContext.Default.DecisionRequest);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, decided.StatusCode);
            var batch = await UntilStatusAsync(http, batchId, BatchStatus.Approved);
            Assert.Equal(35, batch.Decision!.Enrolled);
            Assert.Equal("tester", batch.Decision.DecidedBy);
            await maildev.WaitForAsync(campaign.Run, m => m.To.Contains(campaign.Pic(village.Code)) && m.Subject.Contains("disetujui"), "batch approved after the restart");
            Assert.Single(await maildev.MailsAsync(campaign.Run), m => m.Subject.Contains("Persetujuan diperlukan"));
        }

        // The registry itself: each person enrolled once, by this batch.
        await using var registry = await SqliteEnrollmentRegistry.OpenAsync(Path.Combine(data, "registry.db"), TimeProvider.System);
        var enrolled = new List<Core.Roster.Enrollee>();
        await foreach (var e in registry.ReadEnrolledRowsAsync(batchId)) enrolled.Add(e);
        Assert.Equal(35, enrolled.Select(e => e.Nik).Distinct().Count());
        Assert.Equal(35, enrolled.Count);
        Assert.Equal(35, (await registry.GetVillageTalliesAsync("sarolangun-2024", new DateOnly(2024, 11, 1))).Single(t => t.VillageCode == village.Code).Approved);
    }

    static HttpClient Client(Uri url, string token)
    {
        var http = new HttpClient { BaseAddress = url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    static Task<BatchView> UntilStatusAsync(HttpClient http, string batchId, BatchStatus status) =>
        Poll.UntilAsync(async () =>
        {
            var b = await http.GetFromJsonAsync($"api/batches/{batchId}", ApiJsonContext.Default.BatchView);
            return b?.Status == status ? b : null;
        }, $"batch {batchId} to be {status}", TimeSpan.FromSeconds(60));
}
