using UcjFlow.Workflow.Durable;

namespace UcjFlow.Embedded.Durable;

/// <summary>The <see cref="DurableTaskClient"/> of an <see cref="EmbeddedDurableRunner"/> (same process, same database).</summary>
public sealed class EmbeddedDurableClient : DurableTaskClient
{
    readonly EmbeddedDurableRunner runner;

    internal EmbeddedDurableClient(EmbeddedDurableRunner runner) : base("embedded") => this.runner = runner;

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName.Name, nameof(orchestratorName));
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        runner.Store.Schedule(instanceId, orchestratorName.Name, runner.Converter.Serialize(input), runner.Time.GetUtcNow(), options?.StartAt);
        runner.Signal();
        runner.PulseStateChanged();
        return Task.FromResult(instanceId);
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        if (runner.Store.RaiseEvent(instanceId, eventName, runner.Converter.Serialize(eventPayload), runner.Time.GetUtcNow()))
            runner.Signal();
        return Task.CompletedTask;
    }

    public override Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => Task.FromResult(runner.Store.GetInstance(instanceId) is { } row ? ToMetadata(row, getInputsAndOutputs) : null);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        var query = filter ?? new OrchestrationQuery();
        return AsyncPageable<OrchestrationMetadata>.Create((token, pageSize, _) =>
        {
            var offset = int.TryParse(token ?? query.ContinuationToken, out var o) ? o : 0;
            var size = Math.Max(1, pageSize ?? query.PageSize);
            var rows = runner.Store.Query(query, offset, size);
            var page = new Page<OrchestrationMetadata>(rows.Select(r => ToMetadata(r, query.FetchInputsAndOutputs)).ToList(),
                rows.Count == size ? (offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
            return Task.FromResult(page);
        });
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => WaitAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => WaitAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    async Task<OrchestrationMetadata> WaitAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        while (true)
        {
            // Take the change signal before reading, so a change in between is not missed.
            var changed = runner.StateChanged;
            if (await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false) is { } metadata && done(metadata))
                return metadata;
            await changed.WaitAsync(cancellation).ConfigureAwait(false);
        }
    }

    public override Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellation = default)
    {
        if (runner.Store.Terminate(instanceId, runner.Converter.Serialize(output), runner.Time.GetUtcNow())) runner.Signal();
        return Task.CompletedTask;
    }

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation = default)
        => Task.FromResult(new PurgeResult(runner.Store.Purge(instanceId)));

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default)
        => Task.FromResult(new PurgeResult(runner.Store.PurgeAll(filter)));

    /// <summary>The runner owns the database; disposing the client does nothing.</summary>
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    OrchestrationMetadata ToMetadata(InstanceRow row, bool withData) => new(row.Name, row.InstanceId)
    {
        RuntimeStatus = row.Status,
        CreatedAt = row.CreatedAt,
        LastUpdatedAt = row.LastUpdatedAt,
        SerializedInput = withData ? row.Input : null,
        SerializedOutput = withData ? row.Output : null,
        SerializedCustomStatus = withData ? row.CustomStatus : null,
        FailureDetails = withData ? row.Failure : null,
        DataConverter = withData ? runner.Converter : null,
    };
}
