namespace UcjFlow.Workflow.Durable;

/// <summary>
/// Starts, queries, signals, terminates and purges orchestration instances. Mirrors
/// <c>Microsoft.DurableTask.Client.DurableTaskClient</c> member for member (the subset the workflow uses),
/// so the Azure adapter forwards each call to the real client in one line.
/// </summary>
public abstract class DurableTaskClient : IAsyncDisposable
{
    /// <summary>Maps to <c>DurableTaskClient(string name)</c>.</summary>
    protected DurableTaskClient(string name) => Name = name;

    /// <summary>Maps to <c>DurableTaskClient.Name</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Maps to <c>DurableTaskClient.ScheduleNewOrchestrationInstanceAsync(TaskName, object?, StartOrchestrationOptions?, CancellationToken)</c>.
    /// Returns the instance id (<see cref="StartOrchestrationOptions.InstanceId"/> or a new GUID). The instance starts
    /// <see cref="OrchestrationRuntimeStatus.Pending"/>, at <see cref="StartOrchestrationOptions.StartAt"/> if given.
    /// Scheduling an id whose instance is not yet in a terminal state is refused with <see cref="InvalidOperationException"/>
    /// (Durable's default dedupe); an id whose instance completed, failed or was terminated is started afresh.
    /// </summary>
    public abstract Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default);

    /// <summary>Maps to <c>DurableTaskClient.ScheduleNewOrchestrationInstanceAsync(TaskName, StartOrchestrationOptions, CancellationToken)</c>.</summary>
    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, StartOrchestrationOptions options, CancellationToken cancellation = default)
        => ScheduleNewOrchestrationInstanceAsync(orchestratorName, null, options, cancellation);

    /// <summary>
    /// Maps to <c>DurableTaskClient.RaiseEventAsync(string, string, object?, CancellationToken)</c>. The event is stored and
    /// delivered to the next waiter on that (case-insensitive) name; events for a finished or unknown instance are dropped.
    /// </summary>
    public abstract Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default);

    /// <summary>Maps to <c>DurableTaskClient.GetInstanceAsync(string, bool, CancellationToken)</c>; null when unknown.</summary>
    public abstract Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <summary>Maps to <c>DurableTaskClient.GetInstanceAsync(string, CancellationToken)</c>.</summary>
    public virtual Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellation)
        => GetInstanceAsync(instanceId, false, cancellation);

    /// <summary>Maps to <c>DurableTaskClient.GetAllInstancesAsync(OrchestrationQuery?)</c>: newest-first is not promised; order is by creation time.</summary>
    public abstract AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null);

    /// <summary>Maps to <c>DurableTaskClient.WaitForInstanceStartAsync(string, bool, CancellationToken)</c>.</summary>
    public abstract Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <summary>
    /// Maps to <c>DurableTaskClient.WaitForInstanceCompletionAsync(string, bool, CancellationToken)</c>: returns when the
    /// instance is Completed, Failed or Terminated. Give a cancellation token: eternal orchestrations never complete.
    /// </summary>
    public abstract Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <summary>Maps to <c>DurableTaskClient.WaitForInstanceCompletionAsync(string, CancellationToken)</c>.</summary>
    public virtual Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, CancellationToken cancellation)
        => WaitForInstanceCompletionAsync(instanceId, false, cancellation);

    /// <summary>
    /// Maps to <c>DurableTaskClient.TerminateInstanceAsync(string, object?, CancellationToken)</c>: the instance becomes
    /// Terminated with <paramref name="output"/>; activities already running finish but their results are discarded.
    /// No effect on finished or unknown instances.
    /// </summary>
    public abstract Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellation = default);

    /// <summary>
    /// Maps to <c>DurableTaskClient.PurgeInstanceAsync(string, CancellationToken)</c>: deletes a finished instance and its
    /// history; <see cref="PurgeResult.PurgedInstanceCount"/> is 0 when unknown or not finished.
    /// </summary>
    public abstract Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation = default);

    /// <summary>Maps to <c>DurableTaskClient.PurgeAllInstancesAsync(PurgeInstancesFilter, CancellationToken)</c>; only finished instances are purged.</summary>
    public abstract Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default);

    /// <summary>Maps to <c>DurableTaskClient.DisposeAsync()</c>.</summary>
    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// Runtime status. Mirrors <c>Microsoft.DurableTask.Client.OrchestrationRuntimeStatus</c> with the same names and numeric values
/// (ContinuedAsNew and Canceled are kept for the numbering; this runner never reports them).
/// </summary>
public enum OrchestrationRuntimeStatus
{
    /// <summary>Started and not finished.</summary>
    Running = 0,
    /// <summary>Returned normally.</summary>
    Completed = 1,
    /// <summary>Obsolete in Durable; never reported.</summary>
    ContinuedAsNew = 2,
    /// <summary>Threw an unhandled exception (see <see cref="OrchestrationMetadata.FailureDetails"/>).</summary>
    Failed = 3,
    /// <summary>Obsolete in Durable; never reported.</summary>
    Canceled = 4,
    /// <summary>Stopped through <see cref="DurableTaskClient.TerminateInstanceAsync"/>.</summary>
    Terminated = 5,
    /// <summary>Scheduled, not started yet.</summary>
    Pending = 6,
    /// <summary>Suspended (not used by this runner).</summary>
    Suspended = 7,
}

/// <summary>
/// A snapshot of one instance. Mirrors <c>Microsoft.DurableTask.Client.OrchestrationMetadata</c>: same properties and
/// Read*As methods, which need the metadata to have been fetched with inputs and outputs.
/// </summary>
public sealed class OrchestrationMetadata(string name, string instanceId)
{
    /// <summary>Maps to <c>OrchestrationMetadata.Name</c>.</summary>
    public string Name { get; } = name;

    /// <summary>Maps to <c>OrchestrationMetadata.InstanceId</c>.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>Maps to <c>OrchestrationMetadata.DataConverter</c>: set only when inputs and outputs were fetched.</summary>
    public DataConverter? DataConverter { get; init; }

    /// <summary>Maps to <c>OrchestrationMetadata.RuntimeStatus</c>.</summary>
    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>Maps to <c>OrchestrationMetadata.CreatedAt</c> (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Maps to <c>OrchestrationMetadata.LastUpdatedAt</c> (UTC).</summary>
    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>Maps to <c>OrchestrationMetadata.SerializedInput</c>.</summary>
    public string? SerializedInput { get; init; }

    /// <summary>Maps to <c>OrchestrationMetadata.SerializedOutput</c>.</summary>
    public string? SerializedOutput { get; init; }

    /// <summary>Maps to <c>OrchestrationMetadata.SerializedCustomStatus</c>.</summary>
    public string? SerializedCustomStatus { get; init; }

    /// <summary>Maps to <c>OrchestrationMetadata.FailureDetails</c>.</summary>
    public TaskFailureDetails? FailureDetails { get; init; }

    /// <summary>Maps to <c>OrchestrationMetadata.IsRunning</c>.</summary>
    public bool IsRunning => RuntimeStatus == OrchestrationRuntimeStatus.Running;

    /// <summary>Maps to <c>OrchestrationMetadata.IsCompleted</c>: Completed, Failed or Terminated.</summary>
    public bool IsCompleted => RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    /// <summary>Maps to <c>OrchestrationMetadata.ReadInputAs&lt;T&gt;()</c>.</summary>
    public T? ReadInputAs<T>() => Converter(nameof(ReadInputAs)).Deserialize<T>(SerializedInput);

    /// <summary>Maps to <c>OrchestrationMetadata.ReadOutputAs&lt;T&gt;()</c>.</summary>
    public T? ReadOutputAs<T>() => Converter(nameof(ReadOutputAs)).Deserialize<T>(SerializedOutput);

    /// <summary>Maps to <c>OrchestrationMetadata.ReadCustomStatusAs&lt;T&gt;()</c>.</summary>
    public T? ReadCustomStatusAs<T>() => Converter(nameof(ReadCustomStatusAs)).Deserialize<T>(SerializedCustomStatus);

    DataConverter Converter(string method) => DataConverter ?? throw new InvalidOperationException(
        $"{method} can only be used on metadata fetched with getInputsAndOutputs: true.");

    /// <inheritdoc/>
    public override string ToString() => $"[Name: '{Name}', ID: '{InstanceId}', RuntimeStatus: {RuntimeStatus}, CreatedAt: {CreatedAt:s}]";
}

/// <summary>
/// Instance query. Mirrors <c>Microsoft.DurableTask.Client.OrchestrationQuery</c>, same parameters in the same order
/// (the embedded runner has one task hub and ignores <paramref name="TaskHubNames"/>).
/// CreatedFrom and CreatedTo are both inclusive bounds on the creation time.
/// </summary>
public sealed record OrchestrationQuery(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IEnumerable<OrchestrationRuntimeStatus>? Statuses = null,
    IEnumerable<string>? TaskHubNames = null,
    string? InstanceIdPrefix = null,
    int PageSize = OrchestrationQuery.DefaultPageSize,
    bool FetchInputsAndOutputs = false,
    string? ContinuationToken = null)
{
    /// <summary>Maps to <c>OrchestrationQuery.DefaultPageSize</c>.</summary>
    public const int DefaultPageSize = 100;
}

/// <summary>Mirrors <c>Microsoft.DurableTask.Client.PurgeInstancesFilter(CreatedFrom, CreatedTo, Statuses)</c>.</summary>
public sealed record PurgeInstancesFilter(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IEnumerable<OrchestrationRuntimeStatus>? Statuses = null);

/// <summary>Mirrors <c>Microsoft.DurableTask.Client.PurgeResult</c>.</summary>
public sealed record PurgeResult(int PurgedInstanceCount);

/// <summary>One page of results. Mirrors <c>Microsoft.DurableTask.Page&lt;T&gt;</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Values, string? ContinuationToken) where T : notnull;

/// <summary>
/// Results fetched page by page; <c>await foreach</c> walks all of them. Mirrors <c>Microsoft.DurableTask.AsyncPageable&lt;T&gt;</c>.
/// </summary>
public abstract class AsyncPageable<T> : IAsyncEnumerable<T> where T : notnull
{
    /// <summary>Maps to <c>AsyncPageable&lt;T&gt;.AsPages(string?, int?)</c>.</summary>
    public abstract IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null);

    /// <inheritdoc/>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var page in AsPages().WithCancellation(cancellationToken))
            foreach (var value in page.Values)
                yield return value;
    }

    /// <summary>Builds a pageable from a page fetcher (continuation token, page size) → page.</summary>
    public static AsyncPageable<T> Create(Func<string?, int?, CancellationToken, Task<Page<T>>> fetch) => new FuncPageable(fetch);

    sealed class FuncPageable(Func<string?, int?, CancellationToken, Task<Page<T>>> fetch) : AsyncPageable<T>
    {
        public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
        {
            do
            {
                var page = await fetch(continuationToken, pageSizeHint, CancellationToken.None).ConfigureAwait(false);
                yield return page;
                continuationToken = page.ContinuationToken;
            }
            while (continuationToken is not null);
        }
    }
}
