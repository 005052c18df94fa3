using UcjFlow.Embedded.Durable;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Export;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Embedded.Tests.Durable;

public sealed class ActivityLanesTests
{
    static readonly ActivityLane Urgent = new("urgent", 0);
    static readonly ActivityLane Heavy = new("heavy", 1, MaxConcurrent: 1);

    static ActivityWorkItem Call(long id, string name) => new(id, $"instance-{id}", "execution", 0, name, null);

    static ActivityLanes Lanes() => new(name => name.StartsWith("Heavy", StringComparison.Ordinal) ? Heavy : Urgent);

    [Fact]
    public async Task A_call_of_an_earlier_lane_starts_before_calls_queued_before_it_in_a_later_lane_and_each_lane_keeps_its_order()
    {
        var lanes = Lanes();
        lanes.Add(Call(1, "Heavy"));
        lanes.Add(Call(2, "Heavy"));
        lanes.Add(Call(3, "Decide"));
        lanes.Add(Call(4, "Decide"));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await lanes.TakeAsync(deadline.Token);
        var second = await lanes.TakeAsync(deadline.Token);
        var third = await lanes.TakeAsync(deadline.Token);

        Assert.Equal([3, 4, 1], new[] { first.Id, second.Id, third.Id });
    }

    [Fact]
    public async Task A_lane_at_its_limit_starts_its_next_call_only_when_a_running_one_ends()
    {
        var lanes = Lanes();
        lanes.Add(Call(1, "Heavy"));
        lanes.Add(Call(2, "Heavy"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var running = await lanes.TakeAsync(deadline.Token);

        // Nothing else runs on the lanes: the take is decided now, under their lock, not later.
        var next = lanes.TakeAsync(deadline.Token);
        Assert.False(next.IsCompleted);
        lanes.Add(Call(3, "Decide")); // another lane is not held back by the full one
        Assert.Equal(3, (await next).Id);

        var blocked = lanes.TakeAsync(deadline.Token);
        Assert.False(blocked.IsCompleted);
        lanes.Done(running);
        Assert.Equal(2, (await blocked).Id);
    }

    [Fact]
    public async Task On_the_runner_a_decision_runs_while_heavy_calls_hold_their_lane_and_every_heavy_call_still_runs_once()
    {
        var folder = Directory.CreateTempSubdirectory("ucj-lanes-").FullName;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstHeavyStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var heavyRuns = 0;
        var registry = new DurableTaskRegistry()
            .AddOrchestratorFunc<int, int>("Backlog", async (context, n) =>
                (await Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("HeavyWork", i)))).Sum())
            .AddOrchestratorFunc<int, int>("Decision", (context, x) => context.CallActivityAsync<int>("Decide", x))
            .AddActivityFunc<int, int>("HeavyWork", async (_, i) =>
            {
                Interlocked.Increment(ref heavyRuns);
                firstHeavyStarted.TrySetResult();
                await gate.Task;
                return i;
            })
            .AddActivityFunc<int, int>("Decide", (_, x) => x + 1);
        // Two workers: the heavy lane may hold one; without lanes both would sit on the backlog's blocked calls.
        var runner = EmbeddedDurableRunner.Create(Path.Combine(folder, "durable.db"), registry,
            new EmbeddedDurableOptions { MaxConcurrentActivities = 2, ActivityLanes = name => name == "HeavyWork" ? Heavy : Urgent });
        try
        {
            await runner.StartAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await runner.Client.ScheduleNewOrchestrationInstanceAsync("Backlog", 3, new StartOrchestrationOptions("backlog"));
            await firstHeavyStarted.Task.WaitAsync(deadline.Token);

            await runner.Client.ScheduleNewOrchestrationInstanceAsync("Decision", 41, new StartOrchestrationOptions("decision"));
            var decided = await runner.Client.WaitForInstanceCompletionAsync("decision", getInputsAndOutputs: true, deadline.Token);
            Assert.Equal(42, decided.ReadOutputAs<int>());
            Assert.Equal(1, Volatile.Read(ref heavyRuns)); // the first heavy call still holds the lane

            gate.SetResult();
            var backlog = await runner.Client.WaitForInstanceCompletionAsync("backlog", getInputsAndOutputs: true, deadline.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, backlog.RuntimeStatus);
            Assert.Equal(0 + 1 + 2, backlog.ReadOutputAs<int>());
            Assert.Equal(3, Volatile.Read(ref heavyRuns));
        }
        finally
        {
            gate.TrySetResult();
            await runner.DisposeAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void The_workflow_puts_decisions_first_and_validations_then_exports_last_leaving_a_worker_for_decisions()
    {
        var approve = WorkflowActivityLanes.Of(ApproveBatchActivity.Name);
        var mail = WorkflowActivityLanes.Of(BatchMailActivity.Name);
        var validate = WorkflowActivityLanes.Of(ValidateBatchActivity.Name);
        var export = WorkflowActivityLanes.Of(WriteBpjsExportActivity.Name);

        Assert.True(approve.Order < mail.Order);
        Assert.True(mail.Order < validate.Order);
        Assert.True(validate.Order < export.Order);
        Assert.True(validate.MaxConcurrent + export.MaxConcurrent < new EmbeddedDurableOptions().MaxConcurrentActivities);
    }
}
