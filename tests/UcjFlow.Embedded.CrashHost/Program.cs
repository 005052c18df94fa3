// Child process for the crash-recovery test (tests/UcjFlow.Embedded.Tests/Durable/CrashRecoveryTests.cs).
//   UcjFlow.Embedded.CrashHost <database> <side-effect log> <block|run> <timer fire time, ISO 8601>
// block: step 3 of "CrashFlow" writes <log>.blocked and never returns, so the test can kill the process mid-activity.
// run:   everything completes; prints "DONE <instance>=<output> ..." and exits 0.
//   UcjFlow.Embedded.CrashHost serve <fault point|none> <signal file> [serve options]
// `ucjflow serve` that stops dead at one step (see FaultPoints) for the fault matrix (tests/UcjFlow.Host.Tests).
using UcjFlow.Embedded.CrashHost;
using UcjFlow.Embedded.Durable;
using UcjFlow.Workflow.Durable;

if (args.Length > 0 && args[0] == "serve") return await FaultyServe.RunAsync(args[1], args[2], args[3..]);

var (database, log, mode, timerAt) = (args[0], args[1], args[2], DateTime.Parse(args[3], null, System.Globalization.DateTimeStyles.RoundtripKind));

var registry = new DurableTaskRegistry()
    .AddOrchestratorFunc<int, int>("CrashFlow", async (ctx, steps) =>
    {
        var sum = 0;
        for (var i = 0; i < steps; i++) sum += await ctx.CallActivityAsync<int>("Step", i);
        return sum;
    })
    .AddOrchestratorFunc<string, int>("TimerFlow", async (ctx, _) =>
    {
        await ctx.CreateTimer(timerAt, CancellationToken.None);
        return await ctx.CallActivityAsync<int>("Step", 100);
    })
    .AddActivityFunc<int, int>("Step", async (ctx, i) =>
    {
        // The side effect the test counts: one line per execution of a step.
        await File.AppendAllTextAsync(log, $"{ctx.InstanceId}:{i}\n");
        if (mode == "block" && i == 3)
        {
            await File.WriteAllTextAsync(log + ".blocked", "");
            await Task.Delay(Timeout.Infinite);
        }
        return i * 10;
    });

await using var runner = EmbeddedDurableRunner.Create(database, registry);
await runner.StartAsync();
var client = runner.Client;
foreach (var (id, name, input) in new[] { ("crash-1", "CrashFlow", (object)6), ("timer-1", "TimerFlow", "x") })
    if (await client.GetInstanceAsync(id) is null)
        await client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(id));

if (mode == "block")
{
    await Task.Delay(Timeout.Infinite);
    return 1;
}

using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
var crash = await client.WaitForInstanceCompletionAsync("crash-1", true, cts.Token);
var timer = await client.WaitForInstanceCompletionAsync("timer-1", true, cts.Token);
Console.WriteLine($"DONE crash-1={crash.RuntimeStatus}:{crash.SerializedOutput} timer-1={timer.RuntimeStatus}:{timer.SerializedOutput}");
return 0;
