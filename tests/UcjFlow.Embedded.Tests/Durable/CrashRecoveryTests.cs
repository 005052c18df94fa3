using System.Diagnostics;
using Microsoft.Data.Sqlite;
using UcjFlow.Embedded.Durable;

namespace UcjFlow.Embedded.Tests.Durable;

/// <summary>Kills a real process running the embedded runner mid-orchestration and restarts it on the same database.</summary>
public sealed class CrashRecoveryTests
{
    static string HostDll => Path.Combine(AppContext.BaseDirectory, "UcjFlow.Embedded.CrashHost.dll");

    [Fact]
    public async Task Killed_host_resumes_every_instance_on_restart_without_losing_or_doubling_history()
    {
        Assert.True(File.Exists(HostDll), $"The crash host was not built next to the tests: {HostDll}");
        var folder = Path.Combine(Path.GetTempPath(), "ucj-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var db = Path.Combine(folder, "durable.db");
        var log = Path.Combine(folder, "side-effects.log");
        // The timer instance is still waiting when the host is killed, and due by the time it restarts.
        var timerAt = DateTime.UtcNow.AddSeconds(8).ToString("O");
        try
        {
            using (var first = StartHost(db, log, "block", timerAt))
            {
                await UntilAsync(() => File.Exists(log + ".blocked") || first.HasExited, TimeSpan.FromSeconds(60));
                if (first.HasExited) Assert.Fail("the host exited early: " + await first.StandardError.ReadToEndAsync());
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }

            // At the kill: CrashFlow is mid-activity (step 3 is in the work table, not in history), the timer has not fired.
            Assert.Equal(1L, Scalar(db, "SELECT COUNT(*) FROM durable_activities WHERE instance_id='crash-1' AND task_id=3"));
            Assert.Equal((long)OrchestrationStatusRunning, Scalar(db, "SELECT status FROM durable_instances WHERE instance_id='crash-1'"));
            Assert.Equal(0, Events(db, "timer-1").Count(e => e.Kind == EventKind.TimerFired));

            using (var second = StartHost(db, log, "run", timerAt))
            {
                var output = await second.StandardOutput.ReadToEndAsync();
                await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
                Assert.True(second.ExitCode == 0, "restart failed: " + output + await second.StandardError.ReadToEndAsync());
                Assert.Contains("crash-1=Completed:150", output); // 0+10+20+30+40+50
                Assert.Contains("timer-1=Completed:1000", output);
            }

            var history = Events(db, "crash-1");
            Assert.Equal(Enumerable.Range(0, 6), history.Where(e => e.Kind == EventKind.TaskScheduled).Select(e => e.TaskId));
            Assert.Equal(Enumerable.Range(0, 6), history.Where(e => e.Kind == EventKind.TaskCompleted).Select(e => e.TaskId));
            Assert.Single(history, e => e.Kind == EventKind.ExecutionStarted);
            Assert.Single(history, e => e.Kind == EventKind.ExecutionCompleted);
            var timerHistory = Events(db, "timer-1");
            Assert.Single(timerHistory, e => e.Kind == EventKind.TimerCreated);
            Assert.Single(timerHistory, e => e.Kind == EventKind.TimerFired);

            // Side effects: completed steps ran once; the step running at the kill ran again (at-least-once), once more only.
            var runs = File.ReadAllLines(log).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(1, runs["crash-1:0"]);
            Assert.Equal(1, runs["crash-1:1"]);
            Assert.Equal(1, runs["crash-1:2"]);
            Assert.Equal(2, runs["crash-1:3"]);
            Assert.Equal(1, runs["crash-1:4"]);
            Assert.Equal(1, runs["crash-1:5"]);
            Assert.Equal(1, runs["timer-1:100"]);
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    const int OrchestrationStatusRunning = 0;

    static Process StartHost(string db, string log, string mode, string timerAt)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { HostDll, db, log, mode, timerAt }) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    static async Task UntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(50); // polling interval for a condition in another process
        }
    }

    static object? Scalar(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    static List<HistoryEvent> Events(string db, string instanceId) => DurableHarness.ReadHistory(db, instanceId);
}
