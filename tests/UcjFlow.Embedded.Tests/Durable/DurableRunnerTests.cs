using System.Collections.Concurrent;
using UcjFlow.Embedded.Durable;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Embedded.Tests.Durable;

public sealed class DurableRunnerTests
{
    sealed class Chain : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            var value = input;
            for (var i = 0; i < 10; i++) value = await context.CallActivityAsync<int>("AddOne", value);
            return value;
        }
    }

    sealed class AddOne : TaskActivity<int, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input + 1);
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(0)] // no cache: every episode rebuilds the orchestration by replaying its history
    public async Task Sequential_chain_completes_with_the_computed_output_and_a_complete_history(int cache)
    {
        await using var h = await DurableHarness.StartAsync(r => r.AddOrchestrator<Chain>().AddActivity<AddOne>(), cache);
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 5, new StartOrchestrationOptions("chain-1"));
        Assert.Equal("chain-1", id);

        var done = await h.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(15, done.ReadOutputAs<int>());
        Assert.Equal(5, done.ReadInputAs<int>());
        var history = h.History(id);
        Assert.Equal(Enumerable.Range(0, 10), history.Where(e => e.Kind == EventKind.TaskScheduled).Select(e => e.TaskId));
        Assert.Equal(Enumerable.Range(0, 10), history.Where(e => e.Kind == EventKind.TaskCompleted).Select(e => e.TaskId));
        Assert.Single(history, e => e.Kind == EventKind.ExecutionStarted);
        Assert.Single(history, e => e.Kind == EventKind.ExecutionCompleted);
        Assert.Equal(0, h.Count("durable_inbox"));
        Assert.Equal(0, h.Count("durable_activities"));
    }

    [Fact]
    public async Task Fan_out_of_1000_activities_fans_in_every_result_once()
    {
        var runs = new ConcurrentDictionary<int, int>();
        await using var h = await DurableHarness.StartAsync(r => r
            .AddOrchestratorFunc<int, long>("FanOut", async (ctx, n) =>
            {
                var tasks = Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<long>("Square", i)).ToList();
                var results = await Task.WhenAll(tasks);
                return results.Sum();
            })
            .AddActivityFunc<int, long>("Square", (_, i) => { runs.AddOrUpdate(i, 1, (_, c) => c + 1); return (long)i * i; }));

        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 1000);
        var done = await h.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Enumerable.Range(0, 1000).Sum(i => (long)i * i), done.ReadOutputAs<long>());
        Assert.Equal(1000, runs.Count);
        Assert.All(runs.Values, c => Assert.Equal(1, c));
        var history = h.History(id);
        Assert.Equal(1000, history.Count(e => e.Kind == EventKind.TaskScheduled));
        Assert.Equal(1000, history.Where(e => e.Kind == EventKind.TaskCompleted).Select(e => e.TaskId).Distinct().Count());
    }

    [Fact]
    public async Task Activity_failure_reaches_the_orchestrator_as_TaskFailedException_and_fails_the_instance()
    {
        await using var h = await DurableHarness.StartAsync(r => r
            .AddOrchestratorFunc<string, string>("Catcher", async (ctx, _) =>
            {
                try { await ctx.CallActivityAsync<string>("Boom", "x"); return "no"; }
                catch (TaskFailedException ex) when (ex.FailureDetails.IsCausedBy<InvalidOperationException>())
                {
                    ctx.SetCustomStatus(new { caught = ex.FailureDetails.ErrorMessage, ex.TaskName, ex.TaskId });
                    await ctx.CallActivityAsync<string>("Boom", "again");
                    return "unreachable";
                }
            })
            .AddActivityFunc<string, string>("Boom", string (TaskActivityContext _, string s) => throw new InvalidOperationException("bad roster " + s)));

        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Catcher", "in");
        var done = await h.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(TaskFailedException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("bad roster again", done.FailureDetails.ErrorMessage);
        Assert.Equal("bad roster again", done.FailureDetails.InnerFailure!.ErrorMessage);
        Assert.Contains("\"caught\":\"bad roster x\"", done.SerializedCustomStatus);
        Assert.Contains("\"taskName\":\"Boom\"", done.SerializedCustomStatus);
    }

    [Fact]
    public async Task Retry_policy_waits_on_durable_timers_with_backoff_and_then_succeeds()
    {
        var attempts = 0;
        await using var h = await DurableHarness.StartAsync(r => r
            .AddOrchestratorFunc<string, string>("Retrying", (ctx, _) => ctx.CallActivityAsync<string>("Flaky", null,
                TaskOptions.FromRetryPolicy(new RetryPolicy(4, TimeSpan.FromMinutes(1), backoffCoefficient: 2))))
            .AddActivityFunc<object?, string>("Flaky", (_, _) =>
                Interlocked.Increment(ref attempts) < 3 ? throw new IOException("smtp down") : "sent"));

        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Retrying");
        await h.UntilHistoryAsync(id, EventKind.TimerCreated);
        var firstTimer = h.History(id).Single(e => e.Kind == EventKind.TimerCreated);
        Assert.Equal(DurableHarness.Start.UtcDateTime.AddMinutes(1), firstTimer.Timestamp);
        Assert.Equal(1, Volatile.Read(ref attempts));

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.UntilHistoryAsync(id, EventKind.TimerCreated, 2);
        var secondTimer = h.History(id).Where(e => e.Kind == EventKind.TimerCreated).Last();
        Assert.Equal(DurableHarness.Start.UtcDateTime.AddMinutes(1 + 2), secondTimer.Timestamp); // backoff: 1 min, then 2
        Assert.Equal(2, Volatile.Read(ref attempts));

        h.Clock.Advance(TimeSpan.FromMinutes(2));
        var done = await h.CompletionAsync(id);
        Assert.Equal("sent", done.ReadOutputAs<string>());
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task Retry_policy_gives_up_after_max_attempts()
    {
        var attempts = 0;
        await using var h = await DurableHarness.StartAsync(r => r
            .AddOrchestratorFunc<string, string>("GivesUp", (ctx, _) => ctx.CallActivityAsync<string>("Never", null,
                TaskOptions.FromRetryPolicy(new RetryPolicy(2, TimeSpan.FromSeconds(10)))))
            .AddActivityFunc<object?, string>("Never", string (TaskActivityContext _, object? _) => { Interlocked.Increment(ref attempts); throw new IOException("down"); }));

        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("GivesUp");
        await h.UntilHistoryAsync(id, EventKind.TimerCreated);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        var done = await h.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(2, attempts);
        Assert.Equal(typeof(IOException).FullName, done.FailureDetails!.InnerFailure!.ErrorType);
    }

    static Action<DurableTaskRegistry> Sleeper => r => r.AddOrchestratorFunc<string, DateTime>("Sleeper", async (ctx, _) =>
    {
        await ctx.CreateTimer(ctx.CurrentUtcDateTime.AddHours(1), CancellationToken.None);
        return ctx.CurrentUtcDateTime;
    });

    [Fact]
    public async Task Timer_fires_when_the_clock_reaches_it_and_not_before()
    {
        await using var h = await DurableHarness.StartAsync(Sleeper);
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Sleeper");
        await h.UntilHistoryAsync(id, EventKind.TimerCreated);

        h.Clock.Advance(TimeSpan.FromMinutes(59));
        // A message written now is handled after anything already due, so once the runner has handled this event,
        // a timer due at +59 min would have fired too.
        await h.Client.RaiseEventAsync(id, "probe");
        await h.UntilHistoryAsync(id, EventKind.EventRaised);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await h.Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.DoesNotContain(h.History(id), e => e.Kind == EventKind.TimerFired);

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var done = await h.CompletionAsync(id);
        Assert.Equal(DurableHarness.Start.UtcDateTime.AddHours(1), done.ReadOutputAs<DateTime>());
    }

    [Fact]
    public async Task Timer_survives_a_restart_and_fires_once_late()
    {
        await using var h = await DurableHarness.StartAsync(Sleeper);
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Sleeper");
        await h.UntilHistoryAsync(id, EventKind.TimerCreated);
        await h.StopAsync();

        h.Clock.Advance(TimeSpan.FromHours(5)); // the machine was off past the due time
        await h.RestartAsync();
        var done = await h.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(DurableHarness.Start.UtcDateTime.AddHours(5), done.ReadOutputAs<DateTime>()); // fired late, at restart
        Assert.Single(h.History(id), e => e.Kind == EventKind.TimerFired);
    }

    [Fact]
    public async Task Event_raised_before_anyone_waits_is_buffered_and_delivered()
    {
        await using var h = await DurableHarness.StartAsync(r => r.AddOrchestratorFunc<string, string>("Late", async (ctx, _) =>
        {
            await ctx.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
            var first = await ctx.WaitForExternalEvent<string>("Decision");
            var second = await ctx.WaitForExternalEvent<string>("decision"); // names are case-insensitive
            return first + "+" + second;
        }));
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Late");
        await h.UntilHistoryAsync(id, EventKind.TimerCreated);

        await h.Client.RaiseEventAsync(id, "Decision", "approve");
        await h.Client.RaiseEventAsync(id, "DECISION", "again");
        await h.UntilHistoryAsync(id, EventKind.EventRaised, 2);
        h.Clock.Advance(TimeSpan.FromHours(1));

        var done = await h.CompletionAsync(id);
        Assert.Equal("approve+again", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_waiter_cancelled_by_its_timeout_leaves_the_later_event_for_the_next_waiter()
    {
        await using var h = await DurableHarness.StartAsync(r => r.AddOrchestratorFunc<string, string>("Timeouts", async (ctx, _) =>
        {
            string first;
            try { first = await ctx.WaitForExternalEvent<string>("Approval", TimeSpan.FromDays(2)); }
            catch (TaskCanceledException) { first = "timed-out"; }
            ctx.SetCustomStatus(first);
            var second = await ctx.WaitForExternalEvent<string>("Approval");
            return first + "|" + second;
        }));
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Timeouts");
        await h.UntilHistoryAsync(id, EventKind.TimerCreated);

        h.Clock.Advance(TimeSpan.FromDays(2));
        await h.UntilAsync(id, m => m.SerializedCustomStatus == "\"timed-out\"");
        await h.Client.RaiseEventAsync(id, "Approval", "approved-late");

        var done = await h.CompletionAsync(id);
        Assert.Equal("timed-out|approved-late", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Event_arriving_in_time_beats_the_timeout()
    {
        await using var h = await DurableHarness.StartAsync(r => r.AddOrchestratorFunc<string, string>("InTime", async (ctx, _) =>
            await ctx.WaitForExternalEvent<string>("Approval", TimeSpan.FromDays(2))));
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("InTime");
        await h.UntilHistoryAsync(id, EventKind.TimerCreated);
        await h.Client.RaiseEventAsync(id, "Approval", "yes");
        var done = await h.CompletionAsync(id);
        Assert.Equal("yes", done.ReadOutputAs<string>());
    }

    static void Versioned(DurableTaskRegistry r, string activity) => r
        .AddOrchestratorFunc<string, string>("Versioned", async (ctx, _) =>
        {
            await ctx.CallActivityAsync<string>(activity, "x");
            return await ctx.WaitForExternalEvent<string>("Go");
        })
        .AddActivityFunc<string, string>("ValidateRoster", (_, s) => s)
        .AddActivityFunc<string, string>("AggregateRoster", (_, s) => s);

    [Fact]
    public async Task Changed_code_replayed_against_old_history_fails_the_instance_naming_the_step()
    {
        await using var h = await DurableHarness.StartAsync(r => Versioned(r, "ValidateRoster"));
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Versioned");
        await h.UntilHistoryAsync(id, EventKind.TaskCompleted);
        await h.UntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await h.RestartAsync(r => Versioned(r, "AggregateRoster")); // deploy different code
        await h.Client.RaiseEventAsync(id, "Go", "now");
        var done = await h.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("step 0", done.FailureDetails.ErrorMessage);
        Assert.Contains("CallActivityAsync(\"ValidateRoster\")", done.FailureDetails.ErrorMessage);
        Assert.Contains("CallActivityAsync(\"AggregateRoster\")", done.FailureDetails.ErrorMessage);
    }

    [Theory]
    [InlineData(true, "second")]
    [InlineData(false, "none")]
    public async Task ContinueAsNew_truncates_history_and_carries_unprocessed_events_when_asked(bool preserve, string expected)
    {
        await using var h = await DurableHarness.StartAsync(r => r
            .AddOrchestratorFunc<int, string>("Cycle", async (ctx, generation) =>
            {
                await ctx.CallActivityAsync<int>("Echo", generation);
                if (generation < 5)
                {
                    ctx.ContinueAsNew(generation + 1);
                    return "";
                }
                if (generation == 5)
                {
                    await ctx.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
                    await ctx.WaitForExternalEvent<string>("Tick");
                    ctx.ContinueAsNew(generation + 1, preserve);
                    return "";
                }
                try { return await ctx.WaitForExternalEvent<string>("Tick", TimeSpan.FromHours(1)); }
                catch (TaskCanceledException) { return "none"; }
            })
            .AddActivityFunc<int, int>("Echo", (_, i) => i));

        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Cycle", 0);
        await h.UntilAsync(id, m => m.ReadInputAs<int>() == 5);
        await h.UntilHistoryAsync(id, EventKind.TimerCreated);
        await h.Client.RaiseEventAsync(id, "Tick", "first");
        await h.Client.RaiseEventAsync(id, "Tick", "second");
        await h.UntilHistoryAsync(id, EventKind.EventRaised, 2);
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.UntilAsync(id, m => m.ReadInputAs<int>() == 6);
        await h.UntilHistoryAsync(id, EventKind.TimerCreated);
        h.Clock.Advance(TimeSpan.FromHours(1));

        var done = await h.CompletionAsync(id);
        Assert.Equal(expected, done.ReadOutputAs<string>());
        var history = h.History(id);
        // Only the last generation remains: one start, one activity.
        Assert.Single(history, e => e.Kind == EventKind.ExecutionStarted);
        Assert.Single(history, e => e.Kind == EventKind.TaskScheduled);
        Assert.Equal("6", history.Single(e => e.Kind == EventKind.ExecutionStarted).Data);
    }

    static Action<DurableTaskRegistry> Waiter => r => r.AddOrchestratorFunc<string, string>("Waiter", async (ctx, _) =>
        await ctx.WaitForExternalEvent<string>("Go"));

    [Fact]
    public async Task Terminate_ends_a_waiting_instance_with_the_given_output_and_later_events_are_dropped()
    {
        await using var h = await DurableHarness.StartAsync(Waiter);
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        await h.UntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await h.Client.TerminateInstanceAsync(id, "superseded");
        var done = await h.CompletionAsync(id);
        await h.Client.RaiseEventAsync(id, "Go", "too late");

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("superseded", done.ReadOutputAs<string>());
        Assert.Single(h.History(id), e => e.Kind == EventKind.ExecutionTerminated);
        Assert.Equal(0, h.Count("durable_inbox"));
    }

    [Fact]
    public async Task Purge_deletes_finished_instances_only()
    {
        await using var h = await DurableHarness.StartAsync(Waiter);
        var finished = await h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        var running = await h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        await h.Client.RaiseEventAsync(finished, "Go", "done");
        await h.CompletionAsync(finished);
        await h.UntilAsync(running, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        Assert.Equal(0, (await h.Client.PurgeInstanceAsync(running)).PurgedInstanceCount);
        Assert.Equal(1, (await h.Client.PurgeInstanceAsync(finished)).PurgedInstanceCount);

        Assert.Null(await h.Client.GetInstanceAsync(finished));
        Assert.Empty(h.History(finished));
        Assert.NotNull(await h.Client.GetInstanceAsync(running));
        Assert.NotEmpty(h.History(running));

        await h.Client.TerminateInstanceAsync(running);
        await h.CompletionAsync(running);
        var purged = await h.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(Statuses: [OrchestrationRuntimeStatus.Terminated]));
        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Equal(0, h.Count("durable_instances"));
    }

    [Fact]
    public async Task Query_filters_by_status_and_creation_time_and_pages()
    {
        await using var h = await DurableHarness.StartAsync(Waiter);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions($"q{i}")));
            h.Clock.Advance(TimeSpan.FromHours(1));
        }
        foreach (var id in ids.Take(2))
        {
            await h.UntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
            await h.Client.RaiseEventAsync(id, "Go", "x");
            await h.CompletionAsync(id);
        }
        foreach (var id in ids.Skip(2)) await h.UntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        async Task<List<string>> Ids(OrchestrationQuery q)
        {
            var list = new List<string>();
            await foreach (var m in h.Client.GetAllInstancesAsync(q)) list.Add(m.InstanceId);
            return list;
        }

        Assert.Equal(["q0", "q1"], await Ids(new OrchestrationQuery(Statuses: [OrchestrationRuntimeStatus.Completed])));
        Assert.Equal(["q2", "q3", "q4"], await Ids(new OrchestrationQuery(Statuses: [OrchestrationRuntimeStatus.Running], PageSize: 2)));
        Assert.Equal(["q1", "q2"], await Ids(new OrchestrationQuery(
            CreatedFrom: DurableHarness.Start.AddHours(1), CreatedTo: DurableHarness.Start.AddHours(2))));
        Assert.Equal(5, (await Ids(new OrchestrationQuery(PageSize: 2))).Count);
        var pages = new List<int>();
        await foreach (var page in h.Client.GetAllInstancesAsync(new OrchestrationQuery(PageSize: 2)).AsPages()) pages.Add(page.Values.Count);
        Assert.Equal([2, 2, 1], pages);
    }

    [Fact]
    public async Task Scheduling_an_id_that_is_still_running_is_refused_and_allowed_again_once_it_finished()
    {
        await using var h = await DurableHarness.StartAsync(Waiter);
        await h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("batch-42"));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("batch-42")));
        Assert.Contains("batch-42", refused.Message);

        await h.Client.RaiseEventAsync("batch-42", "Go", "first");
        Assert.Equal("first", (await h.CompletionAsync("batch-42")).ReadOutputAs<string>());
        await h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("batch-42"));
        await h.Client.RaiseEventAsync("batch-42", "Go", "second");
        Assert.Equal("second", (await h.CompletionAsync("batch-42")).ReadOutputAs<string>());
    }

    [Fact]
    public async Task StartAt_keeps_the_instance_pending_until_its_time()
    {
        await using var h = await DurableHarness.StartAsync(Waiter);
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null,
            new StartOrchestrationOptions("later", DurableHarness.Start.AddDays(1)));
        await h.Client.RaiseEventAsync(id, "Go", "early event");

        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await h.Client.GetInstanceAsync(id))!.RuntimeStatus);
        h.Clock.Advance(TimeSpan.FromDays(1));
        var done = await h.CompletionAsync(id);
        Assert.Equal("early event", done.ReadOutputAs<string>());
        Assert.Equal(DurableHarness.Start.AddDays(1).UtcDateTime, h.History(id).First(e => e.Kind == EventKind.OrchestratorStarted).Timestamp);
    }

    [Fact]
    public async Task Sub_orchestrations_return_results_and_surface_failures()
    {
        await using var h = await DurableHarness.StartAsync(r => r
            .AddOrchestratorFunc<int, string>("Parent", async (ctx, n) =>
            {
                var doubled = await ctx.CallSubOrchestratorAsync<int>("Child", n, new SubOrchestrationOptions(InstanceId: ctx.InstanceId + ":child"));
                try { await ctx.CallSubOrchestratorAsync<int>("Child", -1); }
                catch (TaskFailedException ex) { return $"{doubled}:{ex.FailureDetails.ErrorMessage}"; }
                return "no failure";
            })
            .AddOrchestratorFunc<int, int>("Child", (ctx, n) =>
                n < 0 ? throw new ArgumentException("negative") : Task.FromResult(n * 2)));

        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Parent", 21, new StartOrchestrationOptions("parent"));
        var done = await h.CompletionAsync(id);

        Assert.Equal("42:negative", done.ReadOutputAs<string>());
        var child = await h.Client.GetInstanceAsync("parent:child", true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.Equal(42, child.ReadOutputAs<int>());
    }

    [Fact]
    public async Task NewGuid_and_time_are_the_same_on_replay()
    {
        await using var h = await DurableHarness.StartAsync(r => r.AddOrchestratorFunc<string, string>("Ids", async (ctx, _) =>
        {
            var before = ctx.NewGuid();
            var at = ctx.CurrentUtcDateTime;
            ctx.SetCustomStatus(before);
            await ctx.CreateTimer(TimeSpan.FromMinutes(5), CancellationToken.None);
            return $"{before}|{ctx.NewGuid()}|{at:O}|{ctx.IsReplaying}";
        }), cache: 0); // force replay in the second episode

        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Ids");
        var waiting = await h.UntilAsync(id, m => m.SerializedCustomStatus is not null);
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var parts = (await h.CompletionAsync(id)).ReadOutputAs<string>()!.Split('|');

        Assert.Equal(waiting.ReadCustomStatusAs<Guid>().ToString(), parts[0]);
        Assert.NotEqual(parts[0], parts[1]);
        Assert.Equal(DurableHarness.Start.UtcDateTime.ToString("O"), parts[2]);
        Assert.Equal("False", parts[3]);
    }

    [Fact]
    public async Task Unknown_orchestrator_fails_the_instance_clearly()
    {
        await using var h = await DurableHarness.StartAsync(_ => { });
        var id = await h.Client.ScheduleNewOrchestrationInstanceAsync("Missing");
        var done = await h.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("No orchestrator named 'Missing'", done.FailureDetails!.ErrorMessage);
    }

    sealed class ThrowsBeforeReturning : ITaskOrchestrator
    {
        public Type InputType => typeof(string);
        public Type OutputType => typeof(string);
        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) => throw new InvalidOperationException("not even a task");
    }

    [Fact]
    public async Task An_orchestrator_that_throws_synchronously_fails_only_its_own_instance()
    {
        await using var h = await DurableHarness.StartAsync(r => r
            .AddOrchestrator("Broken", () => new ThrowsBeforeReturning())
            .AddOrchestrator<Chain>().AddActivity<AddOne>());
        var broken = await h.Client.ScheduleNewOrchestrationInstanceAsync("Broken");
        var fine = await h.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 0);

        var failed = await h.CompletionAsync(broken);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal("not even a task", failed.FailureDetails!.ErrorMessage);
        Assert.Equal(10, (await h.CompletionAsync(fine)).ReadOutputAs<int>());
    }
}
