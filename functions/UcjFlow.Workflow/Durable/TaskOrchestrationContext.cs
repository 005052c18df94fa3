using Microsoft.Extensions.Logging;

namespace UcjFlow.Workflow.Durable;

/// <summary>The orchestration that started a sub-orchestration. Mirrors <c>Microsoft.DurableTask.ParentOrchestrationInstance</c>.</summary>
public sealed record ParentOrchestrationInstance(TaskName Name, string InstanceId);

/// <summary>
/// What orchestrator code may do. Mirrors <c>Microsoft.DurableTask.TaskOrchestrationContext</c> member for member
/// (same names, parameter order, defaults and meaning), so the Azure Functions adapter wraps the real context with
/// one line per member. Orchestrator code must be deterministic: no I/O, no <c>DateTime.UtcNow</c>, no
/// <c>Guid.NewGuid()</c>, no <c>Task.Run</c> or <c>ConfigureAwait(false)</c>; everything that decides goes through this context.
/// </summary>
public abstract class TaskOrchestrationContext
{
    /// <summary>Maps to <c>TaskOrchestrationContext.Name</c>.</summary>
    public abstract TaskName Name { get; }

    /// <summary>Maps to <c>TaskOrchestrationContext.InstanceId</c>.</summary>
    public abstract string InstanceId { get; }

    /// <summary>Maps to <c>TaskOrchestrationContext.Parent</c>; null when not started as a sub-orchestration.</summary>
    public abstract ParentOrchestrationInstance? Parent { get; }

    /// <summary>
    /// Maps to <c>TaskOrchestrationContext.CurrentUtcDateTime</c>: the replay-safe time, recorded in history when
    /// the current episode started (DateTimeKind.Utc).
    /// </summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>Maps to <c>TaskOrchestrationContext.IsReplaying</c>: true while re-running code against recorded history.</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>Maps to <c>TaskOrchestrationContext.GetInput&lt;T&gt;()</c>.</summary>
    public abstract T? GetInput<T>();

    /// <summary>Maps to <c>TaskOrchestrationContext.CallActivityAsync(TaskName, object?, TaskOptions?)</c>.</summary>
    public virtual Task CallActivityAsync(TaskName name, object? input = null, TaskOptions? options = null)
        => CallActivityAsync<object>(name, input, options);

    /// <summary>
    /// Maps to <c>TaskOrchestrationContext.CallActivityAsync&lt;T&gt;(TaskName, object?, TaskOptions?)</c>. Activities run at
    /// least once; a failure surfaces as <see cref="TaskFailedException"/> after the retry policy in
    /// <paramref name="options"/> (if any) is exhausted. Retry delays are durable timers.
    /// </summary>
    public abstract Task<T> CallActivityAsync<T>(TaskName name, object? input = null, TaskOptions? options = null);

    /// <summary>Maps to <c>TaskOrchestrationContext.CreateTimer(TimeSpan, CancellationToken)</c>.</summary>
    public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken)
        => CreateTimer(CurrentUtcDateTime.Add(delay), cancellationToken);

    /// <summary>
    /// Maps to <c>TaskOrchestrationContext.CreateTimer(DateTime, CancellationToken)</c>: a durable timer that fires once at
    /// <paramref name="fireAt"/> (UTC), late if the host was down; cancelling the token cancels the returned task.
    /// </summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>
    /// Maps to <c>TaskOrchestrationContext.WaitForExternalEvent&lt;T&gt;(string, CancellationToken)</c>. Event names are
    /// case-insensitive; an event raised before anyone waits is buffered and handed to the first waiter; each event
    /// completes exactly one waiter; a cancelled waiter never consumes an event.
    /// </summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Maps to <c>TaskOrchestrationContext.WaitForExternalEvent&lt;T&gt;(string, TimeSpan)</c>: waits on a durable timer and the
    /// event together; on timeout the returned task is cancelled (awaiting it throws <see cref="TaskCanceledException"/>),
    /// and a later event stays for the next waiter.
    /// </summary>
    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using CancellationTokenSource timerCts = new();
        Task timeoutTask = CreateTimer(timeout, timerCts.Token);
        using CancellationTokenSource eventCts = new();
        Task<T> eventTask = WaitForExternalEvent<T>(eventName, eventCts.Token);
        Task winner = await Task.WhenAny(timeoutTask, eventTask);
        if (winner == eventTask) timerCts.Cancel();
        else eventCts.Cancel();
        return await eventTask;
    }

    /// <summary>Maps to <c>TaskOrchestrationContext.SendEvent(string, string, object)</c>: raises an event on another instance (dropped if it does not exist).</summary>
    public abstract void SendEvent(string instanceId, string eventName, object payload);

    /// <summary>Maps to <c>TaskOrchestrationContext.SetCustomStatus(object?)</c>; visible through <see cref="OrchestrationMetadata.SerializedCustomStatus"/>.</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>Maps to <c>TaskOrchestrationContext.CallSubOrchestratorAsync(TaskName, object?, TaskOptions?)</c>.</summary>
    public virtual Task CallSubOrchestratorAsync(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
        => CallSubOrchestratorAsync<object>(orchestratorName, input, options);

    /// <summary>
    /// Maps to <c>TaskOrchestrationContext.CallSubOrchestratorAsync&lt;TResult&gt;(TaskName, object?, TaskOptions?)</c>; pass
    /// <see cref="SubOrchestrationOptions"/> to choose the child's instance id. Failures surface as <see cref="TaskFailedException"/>.
    /// </summary>
    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null);

    /// <summary>
    /// Maps to <c>TaskOrchestrationContext.ContinueAsNew(object?, bool)</c>: when the orchestrator returns, the instance
    /// restarts with <paramref name="newInput"/> and an empty history; events received but not yet consumed are carried
    /// over when <paramref name="preserveUnprocessedEvents"/> is true. Return right after calling it.
    /// </summary>
    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>Maps to <c>TaskOrchestrationContext.NewGuid()</c>: a name-based (v5) GUID, the same on every replay.</summary>
    public abstract Guid NewGuid();

    /// <summary>The logger factory behind the replay-safe loggers. Maps to the protected <c>TaskOrchestrationContext.LoggerFactory</c>.</summary>
    protected abstract ILoggerFactory LoggerFactory { get; }

    /// <summary>Maps to <c>TaskOrchestrationContext.CreateReplaySafeLogger(string)</c>: writes only when not replaying.</summary>
    public ILogger CreateReplaySafeLogger(string categoryName)
        => new ReplaySafeLogger(this, LoggerFactory.CreateLogger(categoryName));

    /// <summary>Maps to <c>TaskOrchestrationContext.CreateReplaySafeLogger(Type)</c>.</summary>
    public virtual ILogger CreateReplaySafeLogger(Type type)
        => new ReplaySafeLogger(this, LoggerFactory.CreateLogger(type));

    /// <summary>Maps to <c>TaskOrchestrationContext.CreateReplaySafeLogger&lt;T&gt;()</c>.</summary>
    public virtual ILogger CreateReplaySafeLogger<T>()
        => new ReplaySafeLogger(this, LoggerFactory.CreateLogger<T>());

    sealed class ReplaySafeLogger(TaskOrchestrationContext context, ILogger logger) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logger.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplaying) logger.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
