using Microsoft.Extensions.Logging;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.App.Hosting;

/// <summary>
/// Keeps the long-running part of the workflow going: the campaign's orchestration runs, and every decision claimed over
/// HTTP whose batch still waits reaches its orchestration (a crash may come between the claim and the event). The local
/// host runs it at start; the Azure Functions app on its campaign timer. Safe to run any number of times.
/// </summary>
public sealed class WorkflowUpkeep(Campaign campaign, IEnrollmentRegistry registry, ILogger<WorkflowUpkeep> logger)
{
    public async Task RunAsync(DurableTaskClient client, CancellationToken ct)
    {
        if (await client.EnsureCampaignStartedAsync(campaign.Id, ct))
            logger.LogInformation("Campaign orchestration of {CampaignId} started", campaign.Id);

        foreach (var claim in await registry.ListPendingDecisionClaimsAsync(campaign.Id, ct))
        {
            // Same decision id: if the first event did arrive, the orchestration has moved on and this one is ignored.
            await client.RaiseEventAsync(claim.BatchId, IntakeNames.DecisionEvent, ToEvent(claim), ct);
            logger.LogInformation("Decision on batch {BatchId} raised again", claim.BatchId);
        }
    }

    /// <summary>The decision event of a claim: the one owner of that mapping (the API raises the same).</summary>
    public static DecisionEvent ToEvent(DecisionClaim claim) => new(claim.DecisionId, claim.Approve, claim.Reason, claim.DecidedBy);
}
