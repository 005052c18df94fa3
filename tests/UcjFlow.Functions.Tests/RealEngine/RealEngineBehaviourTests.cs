using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using UcjFlow.Functions.Tests.Support;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Tests.Scenarios;
using UcjFlow.Workflow.Tests.Support;
using Xunit.Abstractions;

namespace UcjFlow.Functions.Tests.RealEngine;

/// <summary>
/// What the real engine does where the port promises something and the scenarios only pass through it: duplicate instance
/// ids, events for finished or unknown instances, timers, activity failures and retries through the app's adapter.
/// Each on a small registry of its own, on the same <see cref="RealTaskHub"/> the scenarios run on.
/// </summary>
public sealed class RealEngineBehaviourTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The cycle at which "Cycles" stops continuing as new and waits for its "stop" event.</summary>
    const int LastCycle = 8;

    readonly CapturingLoggerFactory logs = new();
    readonly Dictionary<string, int> attempts = [];
    RealTaskHub hub = null!;

    DurableTaskRegistry Registry() => new DurableTaskRegistry()
        .AddOrchestratorFunc<string, string>("WaitForGo", async (ctx, input) => input + ":" + await ctx.WaitForExternalEvent<string>("go"))
        .AddOrchestratorFunc<double, DateTime[]>("Timer", async (ctx, seconds) =>
        {
            var fireAt = ctx.CurrentUtcDateTime.AddSeconds(seconds);
            await ctx.CreateTimer(fireAt, CancellationToken.None);
            return [fireAt, ctx.CurrentUtcDateTime];
        })
        .AddOrchestratorFunc<int, int>("Cycles", async (ctx, cycle) =>
        {
            ctx.SetCustomStatus(cycle);
            await ctx.CallActivityAsync<int>("Count", "cycles");
            if (cycle == LastCycle) return cycle + await ctx.WaitForExternalEvent<int>("stop");
            ctx.ContinueAsNew(cycle + 1);
            return -1;
        })
        .AddActivityFunc<string, int>("Count", (_, key) =>
        {
            lock (attempts) return attempts[key] = attempts.GetValueOrDefault(key) + 1;
        })
        .AddOrchestratorFunc<string, string>("Flaky", async (ctx, key) =>
        {
            var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromMilliseconds(200)));
            var recovered = await ctx.CallActivityAsync<int>("FailFirst", key + ":2", retry);
            try
            {
                await ctx.CallActivityAsync<int>("FailFirst", key + ":9", retry);
                return "no failure";
            }
            catch (TaskFailedException e)
            {
                return $"{recovered} {e.TaskName} {e.FailureDetails.ErrorType} {e.FailureDetails.IsCausedBy<InvalidOperationException>()} {e.FailureDetails.ErrorMessage}";
            }
        })
        .AddActivityFunc<string, int>("FailFirst", (_, key) =>
        {
            // Fails until the given attempt ("x:2" succeeds on its second call).
            var (name, succeedAt) = (key[..key.IndexOf(':')], int.Parse(key[(key.IndexOf(':') + 1)..]));
            int n;
            lock (attempts) attempts[key] = n = attempts.GetValueOrDefault(key) + 1;
            if (n < succeedAt) throw new InvalidOperationException($"{name} attempt {n} failed");
            return n;
        });

    public async Task InitializeAsync() =>
        hub = await RealTaskHub.StartAsync(Azurite.ConnectionString, Azurite.UniqueName("ucjbehaviour"), Registry(),
            _ => new Services(), logs, new MinimumLevelLoggerFactory(logs, LogLevel.Information));

    public async Task DisposeAsync() => await hub.DisposeAsync();

    [Fact]
    public async Task Starting_an_active_instance_id_again_is_refused_a_finished_one_starts_afresh()
    {
        var client = hub.Client;
        Assert.Equal("one", await client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "first", new StartOrchestrationOptions("one")));
        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "second", new StartOrchestrationOptions("one")));
        output.WriteLine($"second start of a running id: {refused.GetType().FullName}: {refused.Message}");

        await client.RaiseEventAsync("one", "go", "now");
        Assert.Equal("first:now", (await UntilDoneAsync("one")).ReadOutputAs<string>());

        // Finished: the same id starts afresh, with its new input.
        await client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "again", new StartOrchestrationOptions("one"));
        // The event once the new execution runs: raised at once, the Azure Storage provider may hand it to the finished
        // execution, which drops it (seen once in CI: the second run stayed Running).
        await UntilAsync("one", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running && m.ReadInputAs<string>() == "again", "start of the second run");
        await client.RaiseEventAsync("one", "go", "later");
        var again = await UntilAsync("one", m => m.IsCompleted && m.ReadOutputAs<string>() == "again:later", "the second run");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, again.RuntimeStatus);
    }

    [Fact]
    public async Task Starting_the_id_of_an_orchestration_that_continues_as_new_is_refused_while_it_cycles()
    {
        // As the campaign's: one instance id, a new execution per cycle. A start of its id between or during cycles must be
        // refused (the app's dedupe statuses), not restart it.
        var client = hub.Client;
        await client.ScheduleNewOrchestrationInstanceAsync("Cycles", 0, new StartOrchestrationOptions("cycles"));
        var statuses = new HashSet<OrchestrationRuntimeStatus>();
        var refusals = 0;
        await Poll.UntilAsync(async () =>
            {
                var m = await client.GetInstanceAsync("cycles", getInputsAndOutputs: true);
                if (m is not null) statuses.Add(m.RuntimeStatus);
                if (CycleOf(m) != LastCycle)
                {
                    await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
                        client.ScheduleNewOrchestrationInstanceAsync("Cycles", 0, new StartOrchestrationOptions("cycles")));
                    refusals++;
                }
                return m;
            },
            m => CycleOf(m) == LastCycle, m => $"cycles: at {m?.SerializedCustomStatus}");
        await client.RaiseEventAsync("cycles", "stop", 100);

        Assert.Equal(LastCycle + 100, (await UntilDoneAsync("cycles")).ReadOutputAs<int>());
        lock (attempts) Assert.Equal(LastCycle + 1, attempts["cycles"]); // one run through the cycles: never started afresh
        output.WriteLine($"{refusals} starts refused; statuses seen: {string.Join(", ", statuses)}");

        static int? CycleOf(OrchestrationMetadata? m) => m?.SerializedCustomStatus is null ? null : m.ReadCustomStatusAs<int>();
    }

    [Fact]
    public async Task Events_for_a_finished_or_an_unknown_instance_are_dropped_without_an_error()
    {
        var client = hub.Client;
        await client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "x", new StartOrchestrationOptions("done"));
        await client.RaiseEventAsync("done", "go", "1");
        var done = await UntilDoneAsync("done");

        await client.RaiseEventAsync("done", "go", "2");
        await client.RaiseEventAsync("nobody", "go", "3");
        await UntilQuiescentAsync();

        var after = (await client.GetInstanceAsync("done", getInputsAndOutputs: true))!;
        Assert.Equal((OrchestrationRuntimeStatus.Completed, "x:1", done.LastUpdatedAt), (after.RuntimeStatus, after.ReadOutputAs<string>(), after.LastUpdatedAt));
        Assert.Null(await client.GetInstanceAsync("nobody"));
        foreach (var line in logs.Lines.Where(l => l.Contains("done") || l.Contains("nobody")).Where(l => !l.StartsWith("Information Microsoft.DurableTask.Worker")))
            output.WriteLine(line);
    }

    [Fact]
    public async Task A_timer_fires_at_its_time_or_a_little_after_never_before()
    {
        var client = hub.Client;
        var ids = new List<string>();
        foreach (var seconds in new[] { 1.3, 2.7, 3.5 })
            ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Timer", seconds));
        var lateness = new List<TimeSpan>();
        foreach (var id in ids)
        {
            var times = (await UntilDoneAsync(id)).ReadOutputAs<DateTime[]>()!;
            lateness.Add(times[1] - times[0]);
            output.WriteLine($"timer due {times[0]:HH:mm:ss.fff}, woke {times[1]:HH:mm:ss.fff}: {(times[1] - times[0]).TotalMilliseconds:0} ms late");
        }
        Assert.All(lateness, late => Assert.True(late >= TimeSpan.Zero, $"woke {-late.TotalMilliseconds:0} ms early"));
    }

    [Fact]
    public async Task An_activity_is_retried_by_the_ports_policy_and_its_last_failure_reaches_the_orchestrator_as_the_ports_exception()
    {
        var id = await hub.Client.ScheduleNewOrchestrationInstanceAsync("Flaky", "k");
        var result = (await UntilDoneAsync(id)).ReadOutputAs<string>();
        Assert.Equal("2 FailFirst System.InvalidOperationException True k attempt 3 failed", result);
        lock (attempts) Assert.Equal((2, 3), (attempts["k:2"], attempts["k:9"]));
    }

    Task<OrchestrationMetadata> UntilDoneAsync(string id) => UntilAsync(id, m => m.IsCompleted, "completion");

    async Task<OrchestrationMetadata> UntilAsync(string id, Func<OrchestrationMetadata, bool> condition, string what) =>
        (await Poll.UntilAsync(async () =>
            {
                var m = await hub.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
                if (m is { RuntimeStatus: OrchestrationRuntimeStatus.Failed }) throw new Xunit.Sdk.XunitException($"{id} failed: {m.FailureDetails}");
                return m;
            },
            m => m is not null && condition(m), m => $"{id}: no {what} ({m?.RuntimeStatus})"))!;

    /// <summary>
    /// Quiescent: the hub's control and work-item queues hold no message (visible or not), so every event and task sent
    /// so far has been taken and acted upon. Only then is an absence worth asserting.
    /// </summary>
    async Task UntilQuiescentAsync()
    {
        var queues = new QueueServiceClient(Azurite.ConnectionString);
        var names = Enumerable.Range(0, 1).Select(p => $"{hub.TaskHubName}-control-{p:00}").Append($"{hub.TaskHubName}-workitems").ToList();
        await Poll.UntilAsync(async () =>
            {
                var counts = new List<int>();
                foreach (var name in names) counts.Add((await queues.GetQueueClient(name).GetPropertiesAsync()).Value.ApproximateMessagesCount);
                return counts;
            },
            counts => counts.All(c => c == 0), counts => $"queues not empty: {string.Join(", ", counts)}");
    }
}
