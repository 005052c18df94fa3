using System.Net;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.App.Hosting;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// A decision the API accepted reaches the batch even when its Intake orchestration is not there to hear it (failed or
/// terminated): the claim stays, and the upkeep the hosts run at start and every 10 minutes starts the intake again and
/// delivers it, once.
/// </summary>
public sealed class DecisionDeliveryTests : IAsyncLifetime
{
    readonly TempFolder folder = new();
    InProcessApp app = null!;

    public async Task InitializeAsync() => app = await InProcessApp.StartAsync(folder.Path);

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task A_decision_for_a_batch_whose_intake_died_is_kept_and_the_upkeep_restarts_the_intake_and_applies_it_once()
    {
        var village = app.Campaign.Villages[0];
        var (name, content) = RosterGenerator.Csv(village, 21, 12);
        var batchId = (await app.UploadAsync(village.Code, name, content)).BatchId;
        await app.WaitForBatchAsync(batchId, b => b.Status == BatchStatus.AwaitingApproval, TimeSpan.FromSeconds(30));
        await app.Durable.TerminateInstanceAsync(batchId, "test: the intake died");
        await Poll.UntilAsync(async () => await app.Durable.GetInstanceAsync(batchId) is { RuntimeStatus: OrchestrationRuntimeStatus.Terminated } m ? m : null,
            "the intake terminated");

        var decided = await app.DecideAsync(batchId, approve: true);
        Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);
        await app.SettleAsync(TimeSpan.FromSeconds(30));
        var waiting = await app.GetBatchAsync(batchId);
        Assert.Equal(BatchStatus.AwaitingApproval, waiting.Status); // nobody heard it...
        Assert.True(waiting.DecisionPending);                         // ...but it is kept
        Assert.Equal(HttpStatusCode.Conflict, (await app.DecideAsync(batchId, approve: false, reason: "terlambat")).StatusCode);

        await app.App.Services.GetRequiredService<WorkflowUpkeep>().RunAsync(app.Durable, CancellationToken.None);

        var approved = await app.WaitForBatchAsync(batchId, InProcessApp.Decided, TimeSpan.FromSeconds(30));
        Assert.Equal(BatchStatus.Approved, approved.Status);
        Assert.Equal(12, approved.Decision!.Enrolled);
        Assert.Single(await app.Registry.ListDecisionsAsync(app.Campaign.Id));
    }
}
