namespace UcjFlow.Workflow.Durable;

/// <summary>What an activity knows about its call. Mirrors <c>Microsoft.DurableTask.TaskActivityContext</c>.</summary>
public abstract class TaskActivityContext
{
    /// <summary>Maps to <c>TaskActivityContext.Name</c>.</summary>
    public abstract TaskName Name { get; }

    /// <summary>Maps to <c>TaskActivityContext.InstanceId</c>: the calling orchestration instance.</summary>
    public abstract string InstanceId { get; }
}

/// <summary>Untyped activity, as the runner sees it. Mirrors <c>Microsoft.DurableTask.ITaskActivity</c>.</summary>
public interface ITaskActivity
{
    /// <summary>Maps to <c>ITaskActivity.InputType</c>.</summary>
    Type InputType { get; }

    /// <summary>Maps to <c>ITaskActivity.OutputType</c>.</summary>
    Type OutputType { get; }

    /// <summary>Maps to <c>ITaskActivity.RunAsync(TaskActivityContext, object?)</c>.</summary>
    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

/// <summary>
/// Base class for activities: the only place where I/O happens. Runs at least once per call (again after a crash),
/// so make it idempotent. Mirrors <c>Microsoft.DurableTask.TaskActivity&lt;TInput, TOutput&gt;</c>.
/// </summary>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    /// <inheritdoc/>
    public Type InputType => typeof(TInput);

    /// <inheritdoc/>
    public Type OutputType => typeof(TOutput);

    /// <summary>Maps to <c>TaskActivity&lt;TInput, TOutput&gt;.RunAsync(TaskActivityContext, TInput)</c>.</summary>
    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input)
        => await RunAsync(context, input is null ? default! : (TInput)input).ConfigureAwait(false);
}

/// <summary>Untyped orchestrator, as the runner sees it. Mirrors <c>Microsoft.DurableTask.ITaskOrchestrator</c>.</summary>
public interface ITaskOrchestrator
{
    /// <summary>Maps to <c>ITaskOrchestrator.InputType</c>.</summary>
    Type InputType { get; }

    /// <summary>Maps to <c>ITaskOrchestrator.OutputType</c>.</summary>
    Type OutputType { get; }

    /// <summary>Maps to <c>ITaskOrchestrator.RunAsync(TaskOrchestrationContext, object?)</c>.</summary>
    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>
/// Base class for orchestrators: deterministic code that only decides, replayed from history.
/// Mirrors <c>Microsoft.DurableTask.TaskOrchestrator&lt;TInput, TOutput&gt;</c>.
/// </summary>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    /// <inheritdoc/>
    public Type InputType => typeof(TInput);

    /// <inheritdoc/>
    public Type OutputType => typeof(TOutput);

    /// <summary>Maps to <c>TaskOrchestrator&lt;TInput, TOutput&gt;.RunAsync(TaskOrchestrationContext, TInput)</c>.</summary>
    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    // No ConfigureAwait(false): the continuation must stay on the orchestration's own synchronization context.
    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input)
        => await RunAsync(context, input is null ? default! : (TInput)input);
}
