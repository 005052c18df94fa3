using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using UcjFlow.App.Api;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Embedded.CrashHost;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;
using UcjFlow.Workflow.Durable;
using Xunit.Abstractions;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// The fault matrix: `serve` (the crash host's, composed as `ucjflow serve` is) is stopped dead at one step of an intake
/// or an approval (<see cref="FaultPoints"/>), killed with SIGKILL there, and started again on the same data folder. Then
/// every accepted upload ends waiting or decided, each enrolment is there once, each mail of an event was written once,
/// and no temp file of any kind is left.
/// </summary>
public sealed class FaultMatrixTests(ITestOutputHelper output)
{
    const string VillageCode = "15.03.01.2001";
    const int Rows = 12;

    public static TheoryData<string> Steps => new()
    {
        FaultPoints.UploadWrite, FaultPoints.Validation, FaultPoints.Staging, FaultPoints.MailApprovalNeeded,
        FaultPoints.Commit, FaultPoints.Export, FaultPoints.Coverage, FaultPoints.MailApproved,
    };

    static bool IsApprovalStep(string step) => step is FaultPoints.Commit or FaultPoints.Export or FaultPoints.Coverage or FaultPoints.MailApproved;

    /// <summary>Steps that die inside a write of the blob store: the write's temp file is there at the kill.</summary>
    static bool DiesMidWrite(string step) => step is FaultPoints.UploadWrite or FaultPoints.Validation or FaultPoints.Export or FaultPoints.Coverage;

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Killed_at_a_step_and_restarted_nothing_is_lost_doubled_or_left_behind(string step)
    {
        using var folder = new TempFolder();
        var campaignFile = TestCampaign.Write(folder.Path);
        var village = CampaignLoader.LoadFile(campaignFile.Path).Village(VillageCode)!;
        var (fileName, content) = RosterGenerator.Csv(village, 50, Rows);
        var data = Path.Combine(folder.Path, "data");
        var signal = Path.Combine(folder.Path, "stopped-at");
        var token = Guid.NewGuid().ToString("N");
        string? batchId = null;

        await using (var faulty = await ServeProcess.StartAsync(ServeProcess.CrashHostDll, ["serve", step, signal], data, campaignFile.Path, token))
        {
            var upload = UploadAsync(faulty.Http, fileName, content);
            if (step != FaultPoints.UploadWrite)
            {
                batchId = await upload;
                if (IsApprovalStep(step))
                {
                    await UntilAsync(async () => await StatusAsync(faulty.Http, batchId) == BatchStatus.AwaitingApproval, "awaiting approval", faulty);
                    Assert.Equal(HttpStatusCode.Accepted, (await faulty.Http.PostAsJsonAsync($"api/batches/{batchId}/decision",
                        new DecisionRequest(true, null), ApiJsonContext.Default.DecisionRequest)).StatusCode);
                }
            }
            await UntilAsync(() => Task.FromResult(File.Exists(signal)), $"the host to stop at {step}", faulty);
            var left = TempFiles(data);
            output.WriteLine($"{step}: stopped at {File.ReadAllLines(signal)[1]}; temp files at the kill: {(left.Count == 0 ? "none" : string.Join(", ", left))}");
            if (DiesMidWrite(step)) Assert.NotEmpty(left); // the fault leaves a half-written temp file behind
            faulty.KillHard();
            if (step == FaultPoints.UploadWrite)
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => upload); // the village saw its upload fail, nothing was accepted
        }

        await using (var serve = await ServeProcess.StartAsync(ServeProcess.CrashHostDll, ["serve", "none", signal + ".unused"], data, campaignFile.Path, token))
        {
            if (step == FaultPoints.UploadWrite)
            {
                Assert.Empty((await serve.Http.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!.Batches);
                batchId = await UploadAsync(serve.Http, fileName, content); // the village tries again
            }
            var expected = IsApprovalStep(step) ? BatchStatus.Approved : BatchStatus.AwaitingApproval;
            await UntilAsync(async () => await StatusAsync(serve.Http, batchId!) == expected, $"batch {batchId} {expected}", serve);
            await UntilAsync(() => Task.FromResult(Quiescent(data, batchId!, expected)), "the workflow to finish what it started", serve);
            await serve.StopAsync();
        }

        // Read once nothing runs any more.
        Assert.Empty(TempFiles(data));
        using var registry = Open(Path.Combine(data, "registry.db"));
        Assert.Equal(1L, Scalar(registry, "SELECT COUNT(*) FROM batches WHERE village_code = $v", ("$v", VillageCode)));
        Assert.Equal(expectedStatus(step), Scalar(registry, "SELECT status FROM batches WHERE batch_id = $b", ("$b", batchId!)));
        var valid = (long)Scalar(registry, "SELECT rows_valid FROM batches WHERE batch_id = $b", ("$b", batchId!))!;
        Assert.Equal(Rows, valid);
        var enrolled = (long)Scalar(registry, "SELECT COUNT(*) FROM enrolments WHERE batch_id = $b", ("$b", batchId!))!;
        Assert.Equal(IsApprovalStep(step) ? valid : 0, enrolled);
        Assert.Equal(IsApprovalStep(step) ? 1L : 0L, Scalar(registry, "SELECT COUNT(*) FROM decisions WHERE batch_id = $b", ("$b", batchId!)));

        var mails = OutboxMail.ReadAll(Path.Combine(data, "outbox")).Select(m => m.Subject).ToList();
        Assert.Single(mails, s => s.Contains($"Hasil pemeriksaan: Desa {village.Name}"));
        Assert.Single(mails, s => s.Contains($"Persetujuan diperlukan: Desa {village.Name}"));
        Assert.Equal(IsApprovalStep(step) ? 1 : 0, mails.Count(s => s.Contains($"Berkas disetujui: Desa {village.Name}")));
        if (IsApprovalStep(step))
        {
            // The regency's published summary counts the batch; on today's clock the sample's enrolments have ended
            // (issue 13.3: coverage is not clamped into the funded period), so its submitted rows show it.
            var coverage = CoverageJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(data, "reports", "coverage", "1503", "latest.json")));
            Assert.Equal(valid, coverage.Submitted);
            Assert.Equal(2, Directory.GetFiles(Path.Combine(data, "exports", "1503"), $"{batchId}.*").Length);
        }
        output.WriteLine($"{step}: after the restart batch {batchId} {expectedStatus(step)}, {enrolled} of {valid} enrolled, mails: {string.Join(" | ", mails)}; no temp file");

        static string expectedStatus(string step) => IsApprovalStep(step) ? nameof(BatchStatus.Approved) : nameof(BatchStatus.AwaitingApproval);
    }

    static async Task<string> UploadAsync(HttpClient http, string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        using var response = await http.PostAsync($"api/uploads/{VillageCode}", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.UploadAccepted))!.BatchId;
    }

    static async Task<BatchStatus> StatusAsync(HttpClient http, string batchId) =>
        (await http.GetFromJsonAsync($"api/batches/{batchId}", ApiJsonContext.Default.BatchView))!.Status;

    /// <summary>
    /// The batch's orchestration reached <paramref name="status"/>'s resting point (waiting for a decision, or completed)
    /// and the runner has nothing due: no activity outstanding, no message due in any inbox. Read from the runner's file.
    /// </summary>
    static bool Quiescent(string data, string batchId, BatchStatus status)
    {
        using var durable = Open(Path.Combine(data, "durable.db"));
        var instance = Scalar(durable, "SELECT status || ':' || COALESCE(custom_status, '') FROM durable_instances WHERE instance_id = $id", ("$id", batchId)) as string;
        var resting = status == BatchStatus.Approved
            ? instance?.StartsWith($"{(int)OrchestrationRuntimeStatus.Completed}:", StringComparison.Ordinal) == true
            : instance?.StartsWith($"{(int)OrchestrationRuntimeStatus.Running}:", StringComparison.Ordinal) == true && instance.Contains("AwaitingApproval", StringComparison.Ordinal);
        var pending = (long)Scalar(durable, "SELECT (SELECT COUNT(*) FROM durable_activities) + (SELECT COUNT(*) FROM durable_inbox WHERE visible_at <= $now)",
            ("$now", DateTimeOffset.UtcNow.UtcTicks))!;
        return resting && pending == 0;
    }

    /// <summary>Every temp file in the data folder: the blob store's .part, the outbox's and the secrets' .tmp, any other.</summary>
    static List<string> TempFiles(string data) =>
        Directory.Exists(data)
            ? Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".part", StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(data, f)).ToList()
            : [];

    static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    static object? Scalar(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteScalar();
    }

    static async Task UntilAsync(Func<Task<bool>> condition, string what, ServeProcess process)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (process.HasExited) Assert.Fail($"the host exited while waiting for {what}: {process.Errors}");
            if (DateTime.UtcNow > until) Assert.Fail($"timed out waiting for {what}: {process.Errors}");
            await Task.Delay(50);
        }
    }
}
