using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.Query;
using Port = UcjFlow.Workflow.Durable;

namespace UcjFlow.Functions.Tests.RealEngine;

/// <summary>
/// The workflow port's client over DurableTask.Core's <see cref="TaskHubClient"/> and the orchestration service's query
/// and purge clients (Microsoft.DurableTask has no client but the gRPC one, which needs a sidecar). Test support: the
/// Functions app gets its client from the <c>[DurableClient]</c> binding (<c>AzureDurableClient</c>).
/// Starting an id whose instance is active, in the app's own sense (<c>DedupeStatuses.Active</c>), is refused
/// with <see cref="OrchestrationAlreadyExistsException"/> (an <see cref="InvalidOperationException"/>), as the port
/// promises, provided the service throws on dedupe statuses (<c>ThrowExceptionOnInvalidDedupeStatus</c>, as
/// <see cref="RealTaskHub"/> sets it).
/// </summary>
public sealed class TaskHubDurableClient : Port.DurableTaskClient
{
    /// <summary>The statuses that make a new start of the same id a duplicate: the Azure adapter's, by name.</summary>
    static readonly OrchestrationStatus[] Active =
        [.. UcjFlow.Functions.Durable.DedupeStatuses.Active.Select(s => Enum.Parse<OrchestrationStatus>(s.ToString()))];

    static readonly OrchestrationStatus[] Terminal = [OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated];

    readonly IOrchestrationServiceClient service;
    readonly TaskHubClient client;
    readonly Port.DataConverter converter;
    readonly TimeSpan poll;

    /// <param name="service">The orchestration service as a client (it also answers queries and purges).</param>
    /// <param name="coreConverter">What DurableTask.Core writes inputs and payloads with (<see cref="CoreJsonDataConverter"/>).</param>
    /// <param name="converter">What statuses are read with (the port's, same JSON).</param>
    public TaskHubDurableClient(string name, IOrchestrationServiceClient service, DurableTask.Core.Serializing.DataConverter coreConverter,
        Port.DataConverter converter, TimeSpan? pollInterval = null) : base(name)
    {
        this.service = service;
        client = new TaskHubClient(service, coreConverter);
        this.converter = converter;
        poll = pollInterval ?? TimeSpan.FromMilliseconds(50);
    }

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        Port.TaskName orchestratorName, object? input = null, Port.StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var instance = options?.StartAt is { } startAt
            ? await client.CreateOrchestrationInstanceAsync(orchestratorName.Name, "", instanceId, input, null, Active, startAt.UtcDateTime)
            : await client.CreateOrchestrationInstanceAsync(orchestratorName.Name, "", instanceId, input, null, Active);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
        => client.RaiseEventAsync(new OrchestrationInstance { InstanceId = instanceId }, eventName, eventPayload!); // null payload: no data

    public override async Task<Port.OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => await client.GetOrchestrationStateAsync(instanceId) is { } state ? Metadata(state, getInputsAndOutputs) : null;

    public override Port.AsyncPageable<Port.OrchestrationMetadata> GetAllInstancesAsync(Port.OrchestrationQuery? filter = null)
    {
        var query = (IOrchestrationServiceQueryClient)service;
        filter ??= new Port.OrchestrationQuery();
        return Port.AsyncPageable<Port.OrchestrationMetadata>.Create(async (token, size, ct) =>
        {
            var result = await query.GetOrchestrationWithQueryAsync(new OrchestrationQuery
            {
                CreatedTimeFrom = filter.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter.CreatedTo?.UtcDateTime,
                RuntimeStatus = filter.Statuses?.Select(s => (OrchestrationStatus)(int)s).ToList(),
                InstanceIdPrefix = filter.InstanceIdPrefix,
                PageSize = size ?? filter.PageSize,
                FetchInputsAndOutputs = filter.FetchInputsAndOutputs,
                ContinuationToken = token ?? filter.ContinuationToken,
            }, ct);
            return new Port.Page<Port.OrchestrationMetadata>(
                result.OrchestrationState.Select(s => Metadata(s, filter.FetchInputsAndOutputs)).ToList(),
                string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
        });
    }

    public override Task<Port.OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => UntilAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != Port.OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<Port.OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => UntilAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    public override async Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellation = default)
    {
        if (await client.GetOrchestrationStateAsync(instanceId) is not { } state || Terminal.Contains(state.OrchestrationStatus)) return;
        await client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, converter.Serialize(output)!); // null output: no reason
    }

    public override async Task<Port.PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation = default)
    {
        if (await client.GetOrchestrationStateAsync(instanceId) is not { } state || !Terminal.Contains(state.OrchestrationStatus)) return new(0);
        return new((await ((IOrchestrationServicePurgeClient)service).PurgeInstanceStateAsync(instanceId)).DeletedInstanceCount);
    }

    public override async Task<Port.PurgeResult> PurgeAllInstancesAsync(Port.PurgeInstancesFilter filter, CancellationToken cancellation = default)
    {
        var statuses = filter.Statuses?.Select(s => (OrchestrationStatus)(int)s).Intersect(Terminal).ToList() ?? [.. Terminal];
        var result = await ((IOrchestrationServicePurgeClient)service).PurgeInstanceStateAsync(
            new PurgeInstanceFilter(filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue, filter.CreatedTo?.UtcDateTime, statuses));
        return new(result.DeletedInstanceCount);
    }

    // The orchestration service belongs to whoever created it.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    async Task<Port.OrchestrationMetadata> UntilAsync(string instanceId, bool getInputsAndOutputs, Func<Port.OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        while (true)
        {
            if (await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation) is { } m && done(m)) return m;
            await Task.Delay(poll, cancellation);
        }
    }

    Port.OrchestrationMetadata Metadata(OrchestrationState s, bool withPayloads) => new(s.Name, s.OrchestrationInstance.InstanceId)
    {
        DataConverter = withPayloads ? converter : null,
        RuntimeStatus = (Port.OrchestrationRuntimeStatus)(int)s.OrchestrationStatus,
        CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(s.CreatedTime, DateTimeKind.Utc)),
        LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(s.LastUpdatedTime, DateTimeKind.Utc)),
        SerializedInput = withPayloads ? s.Input : null,
        SerializedOutput = withPayloads ? s.Output : null,
        SerializedCustomStatus = withPayloads ? s.Status : null,
        FailureDetails = Failure(s.FailureDetails),
    };

    static Port.TaskFailureDetails? Failure(FailureDetails? d) =>
        d is null ? null : new(d.ErrorType, d.ErrorMessage, d.StackTrace, Failure(d.InnerFailure));
}
