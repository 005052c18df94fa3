using DurableTask.Core.Exceptions;
using UcjFlow.Functions.Durable;
using UcjFlow.Workflow;
using DT = Microsoft.DurableTask;
using DTClient = Microsoft.DurableTask.Client;

namespace UcjFlow.Functions.Tests.Durable;

/// <summary>
/// The port promises that scheduling an instance id that is still active is refused with an InvalidOperationException
/// (IntakeStarter and EnsureCampaignStartedAsync rely on it when the API, the watcher or the blob trigger race). Durable
/// Functions' client only refuses when asked to (dedupe statuses); otherwise it terminates the running instance and starts
/// it again.
/// </summary>
public sealed class AzureDurableClientTests
{
    [Fact]
    public async Task Scheduling_an_instance_id_asks_Durable_to_refuse_a_pending_running_or_suspended_one()
    {
        var durable = new RecordingClient();

        await AzureDurableClient.For(durable).StartIntakeAsync("1503012001-abcdef123456");

        var options = Assert.Single(durable.Scheduled);
        Assert.Equal("1503012001-abcdef123456", options!.InstanceId);
        Assert.Equal(["Pending", "Running", "Suspended"], options.DedupeStatuses!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_refusal_is_what_the_port_expects_so_a_racing_start_is_not_an_error()
    {
        var durable = new RecordingClient { Refuse = true };

        Assert.False(await AzureDurableClient.For(durable).StartIntakeAsync("1503012001-abcdef123456"));
        Assert.IsAssignableFrom<InvalidOperationException>(new OrchestrationAlreadyExistsException("exists"));
    }

    [Theory]
    [InlineData(Grpc.Core.StatusCode.NotFound)]
    [InlineData(Grpc.Core.StatusCode.FailedPrecondition)]
    public async Task An_event_for_an_unknown_or_finished_instance_is_dropped_as_the_port_promises(Grpc.Core.StatusCode refusal)
    {
        // What the Functions host answers with the Azure Storage provider (it checks the instance before raising).
        var durable = new RecordingClient { RaiseFailure = new Grpc.Core.RpcException(new Grpc.Core.Status(refusal, "instance")) };

        await AzureDurableClient.For(durable).RaiseEventAsync("1503012001-abcdef123456", "Decision", new { approve = true });

        Assert.Equal(1, durable.Raised);
    }

    [Fact]
    public async Task Any_other_failure_to_raise_an_event_is_the_callers_to_see()
    {
        var durable = new RecordingClient { RaiseFailure = new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "host")) };

        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => AzureDurableClient.For(durable).RaiseEventAsync("b", "Decision"));
    }

    /// <summary>Durable's client as the binding hands it over, recording what it was asked to schedule.</summary>
    sealed class RecordingClient() : DTClient.DurableTaskClient("test")
    {
        public List<DT.StartOrchestrationOptions?> Scheduled { get; } = [];
        public bool Refuse { get; init; }
        public Exception? RaiseFailure { get; init; }
        public int Raised { get; private set; }

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(DT.TaskName orchestratorName, object? input = null,
            DT.StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
        {
            Scheduled.Add(options);
            return Refuse ? throw new OrchestrationAlreadyExistsException($"{options?.InstanceId} exists") : Task.FromResult(options?.InstanceId ?? "x");
        }

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
        {
            Raised++;
            return RaiseFailure is null ? Task.CompletedTask : Task.FromException(RaiseFailure);
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        // Not called by these tests.
        public override Microsoft.DurableTask.AsyncPageable<DTClient.OrchestrationMetadata> GetAllInstancesAsync(DTClient.OrchestrationQuery? filter = null) => throw new NotSupportedException();
        public override Task<DTClient.OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();
        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();
        public override Task<DTClient.OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
        public override Task<DTClient.OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
    }
}
