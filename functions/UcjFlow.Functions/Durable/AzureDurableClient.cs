using DT = Microsoft.DurableTask;
using DTClient = Microsoft.DurableTask.Client;
using Port = UcjFlow.Workflow.Durable;

namespace UcjFlow.Functions.Durable;

/// <summary>
/// The workflow port's client over the <c>[DurableClient]</c> Durable Functions binds: one forwarding line per member.
/// Scheduling an id whose instance is still active (<see cref="DedupeStatuses.Active"/>) is refused
/// (<c>OrchestrationAlreadyExistsException</c>, an <see cref="InvalidOperationException"/>), as the port promises: without
/// dedupe statuses Durable would terminate the running instance and start it again.
/// </summary>
sealed class AzureDurableClient(DTClient.DurableTaskClient inner, Port.DataConverter converter) : Port.DurableTaskClient(inner.Name)
{
    /// <summary>The port's client over the one a <c>[DurableClient]</c> parameter binds, reading statuses with the workflow's JSON.</summary>
    public static Port.DurableTaskClient For(DTClient.DurableTaskClient client) => new AzureDurableClient(client, UcjFlow.Workflow.WorkflowJson.DataConverter);

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(
        Port.TaskName orchestratorName, object? input = null, Port.StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
        => inner.ScheduleNewOrchestrationInstanceAsync(orchestratorName.Name, input,
            options is null ? null : DTClient.StartOrchestrationOptionsExtensions.WithDedupeStatuses(new DT.StartOrchestrationOptions(options.InstanceId, options.StartAt), [.. DedupeStatuses.Active]), cancellation);

    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        try
        {
            await inner.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.NotFound or Grpc.Core.StatusCode.FailedPrecondition)
        {
            // The Functions host checks the instance first (Azure Storage provider) and refuses an unknown or finished one;
            // the port drops such events, as DurableTask.Core and the embedded runner do.
        }
    }

    public override async Task<Port.OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => await inner.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation) is { } m ? DurableMapping.FromDurable(m, converter) : null;

    public override Port.AsyncPageable<Port.OrchestrationMetadata> GetAllInstancesAsync(Port.OrchestrationQuery? filter = null)
    {
        var query = filter is null ? null : new DTClient.OrchestrationQuery
        {
            CreatedFrom = filter.CreatedFrom,
            CreatedTo = filter.CreatedTo,
            Statuses = filter.Statuses?.Select(DurableMapping.ToDurable).ToList(),
            InstanceIdPrefix = filter.InstanceIdPrefix,
            PageSize = filter.PageSize,
            FetchInputsAndOutputs = filter.FetchInputsAndOutputs,
            ContinuationToken = filter.ContinuationToken,
        };
        var pages = inner.GetAllInstancesAsync(query);
        return Port.AsyncPageable<Port.OrchestrationMetadata>.Create(async (token, size, ct) =>
        {
            await foreach (var page in pages.AsPages(token, size).WithCancellation(ct))
                return new Port.Page<Port.OrchestrationMetadata>(page.Values.Select(m => DurableMapping.FromDurable(m, converter)).ToList(), page.ContinuationToken);
            return new Port.Page<Port.OrchestrationMetadata>([], null);
        });
    }

    public override async Task<Port.OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => DurableMapping.FromDurable(await inner.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation), converter);

    public override async Task<Port.OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => DurableMapping.FromDurable(await inner.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation), converter);

    public override Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellation = default)
        => inner.TerminateInstanceAsync(instanceId, output, cancellation);

    public override async Task<Port.PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation = default)
        => new((await inner.PurgeInstanceAsync(instanceId, cancellation)).PurgedInstanceCount);

    public override async Task<Port.PurgeResult> PurgeAllInstancesAsync(Port.PurgeInstancesFilter filter, CancellationToken cancellation = default)
        => new((await inner.PurgeAllInstancesAsync(
            new DTClient.PurgeInstancesFilter(filter.CreatedFrom, filter.CreatedTo, filter.Statuses?.Select(DurableMapping.ToDurable).ToList()),
            cancellation)).PurgedInstanceCount);

    // The binding owns the real client's lifetime.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>When a new start of an instance id is a duplicate, to be refused.</summary>
public static class DedupeStatuses
{
    /// <summary>
    /// The statuses of an instance that is still active: pending, running, suspended. Not ContinuedAsNew:
    /// Microsoft.DurableTask marks it obsolete ("exists only for compatibility reasons"), and the Azure Storage provider
    /// reports an orchestration that continues as new (the campaign's, every cycle) as Running throughout (the real-engine
    /// tests start such an id again while it cycles, and are refused). The one list: <see cref="AzureDurableClient"/> asks
    /// Durable to refuse these, and the real engine's client in the tests and the benchmark maps it onto DurableTask.Core's
    /// statuses.
    /// </summary>
    public static IReadOnlyList<DTClient.OrchestrationRuntimeStatus> Active { get; } =
        [DTClient.OrchestrationRuntimeStatus.Pending, DTClient.OrchestrationRuntimeStatus.Running, DTClient.OrchestrationRuntimeStatus.Suspended];
}
