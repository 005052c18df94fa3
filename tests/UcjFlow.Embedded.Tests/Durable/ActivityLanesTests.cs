using UcjFlow.Embedded.Durable;
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
