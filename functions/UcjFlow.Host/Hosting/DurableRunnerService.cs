using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Embedded.Durable;
using UcjFlow.Host.Api;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Host.Hosting;

/// <summary>
/// Runs the embedded durable runner for the life of the host. At start: the runner resumes whatever was in flight
/// (timers, waits, unfinished activities), the campaign's orchestration is started if it is not running, and decisions
/// claimed over HTTP whose batch still waits are raised again (a crash may have come between claim and event).
/// </summary>
public sealed class DurableRunnerService(
    EmbeddedDurableRunner runner, Campaign campaign, IEnrollmentRegistry registry, DecisionClaims claims, ILogger<DurableRunnerService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runner.StartAsync(cancellationToken);
        var client = runner.Client;

        if (await client.EnsureCampaignStartedAsync(campaign.Id, cancellationToken))
            logger.LogInformation("Campaign orchestration of {CampaignId} started", campaign.Id);

        foreach (var claim in claims.All())
        {
            var batch = await registry.GetBatchAsync(claim.BatchId, cancellationToken);
            if (batch?.Status != BatchStatus.AwaitingApproval) continue;
            // Same decision id: if the first event did arrive, the orchestration has moved on and this one is ignored.
            await client.RaiseEventAsync(claim.BatchId, IntakeNames.DecisionEvent, BatchEndpoints.ToEvent(claim), cancellationToken);
            logger.LogInformation("Decision on batch {BatchId} raised again after a restart", claim.BatchId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => runner.StopAsync(cancellationToken);
}
