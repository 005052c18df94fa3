using Microsoft.Extensions.Logging;
using DT = Microsoft.DurableTask;
using Port = UcjFlow.Workflow.Durable;

namespace UcjFlow.Functions.Durable;

/// <summary>
/// The workflow port's orchestration context over Durable Functions' real one: one line per member. Failures of
/// activities and sub-orchestrations are rethrown as the port's <see cref="Port.TaskFailedException"/> so the
/// orchestrators catch the same type in both hosts.
/// </summary>
sealed class AzureOrchestrationContext(DT.TaskOrchestrationContext inner, ILoggerFactory loggerFactory) : Port.TaskOrchestrationContext
{
    public override Port.TaskName Name => inner.Name.Name;
    public override string InstanceId => inner.InstanceId;
    public override Port.ParentOrchestrationInstance? Parent => inner.Parent is { } p ? new(p.Name.Name, p.InstanceId) : null;
    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;
    public override bool IsReplaying => inner.IsReplaying;
    protected override ILoggerFactory LoggerFactory => loggerFactory;

    public override T? GetInput<T>() where T : default => inner.GetInput<T>();

    public override Task<T> CallActivityAsync<T>(Port.TaskName name, object? input = null, Port.TaskOptions? options = null)
        => Translate(name, () => inner.CallActivityAsync<T>(name.Name, input, DurableMapping.ToDurable(options)));

    /// <summary>
    /// Completes at or after <paramref name="fireAt"/>, never before (as the embedded runner's timers). The Azure Storage
    /// provider delays a timer's queue message by whole seconds, cut down, so Durable alone can wake the orchestrator up
    /// to a second early, with <see cref="CurrentUtcDateTime"/> before <paramref name="fireAt"/>: the timer is asked one
    /// second later, and asked again should the orchestrator still wake early (clocks apart). Replays take the same path.
    /// <paramref name="fireAt"/> is read once, as the embedded runner reads it: a Local time converted to UTC, any other
    /// kind taken as UTC. Durable would take an unmarked (Unspecified) time as local and, east of UTC, fire at once while
    /// the loop still waits for the time: one timer after another, in a tight loop.
    /// </summary>
    public override async Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var due = fireAt.Kind == DateTimeKind.Local ? fireAt.ToUniversalTime() : DateTime.SpecifyKind(fireAt, DateTimeKind.Utc);
        do await inner.CreateTimer(due.AddSeconds(1), cancellationToken);
        while (inner.CurrentUtcDateTime < due);
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
        => inner.WaitForExternalEvent<T>(eventName, cancellationToken);

    public override void SendEvent(string instanceId, string eventName, object payload) => inner.SendEvent(instanceId, eventName, payload);

    public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(Port.TaskName orchestratorName, object? input = null, Port.TaskOptions? options = null)
        => Translate(orchestratorName, () => inner.CallSubOrchestratorAsync<TResult>(orchestratorName.Name, input, DurableMapping.ToDurable(options)));

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

    public override Guid NewGuid() => inner.NewGuid();

    static async Task<T> Translate<T>(Port.TaskName name, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (DT.TaskFailedException e)
        {
            throw new Port.TaskFailedException(e.TaskName, e.TaskId, DurableMapping.FromDurable(e.FailureDetails));
        }
    }
}

/// <summary>The port's activity context over the values Durable Functions binds to an activity trigger.</summary>
sealed class AzureActivityContext(string name, string instanceId) : Port.TaskActivityContext
{
    public override Port.TaskName Name => name;
    public override string InstanceId => instanceId;
}
