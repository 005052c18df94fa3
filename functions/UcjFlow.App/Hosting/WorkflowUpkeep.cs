using Microsoft.Extensions.Logging;
using UcjFlow.Adapters.Notify;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.App.Hosting;

/// <summary>
/// Keeps the long-running part of the workflow going: the campaign's orchestration runs, and every decision claimed over
/// HTTP whose batch still waits reaches a running Intake orchestration (a crash may come between the claim and the
/// event; an intake that failed, e.g. on a registry outage longer than its retries, is started again: its validation
/// replays what is recorded and it waits for the decision; a mail outage fails nothing, the mail is kept pending), and every
/// revoked batch has its revocation follow-up (<see cref="RevocationOrchestrator"/>). Both hosts run it at start and every
/// <see cref="Interval"/>; safe to run any number of times. It also sends again the pending mail that is due
/// and the pending texts of the gateway (<see cref="Notifier.ResendDueAsync"/>).
/// </summary>
public sealed class WorkflowUpkeep(CampaignStore campaigns, IEnrollmentRegistry registry, Notifier mail, ILogger<WorkflowUpkeep> logger)
{
    /// <summary>How often the hosts run it (the Azure timer's schedule says the same: every 10 minutes).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    public async Task RunAsync(DurableTaskClient client, CancellationToken ct)
    {
        // Every campaign of the catalog, also one added since the last run (page, API or `ucjflow campaign new`).
        var catalog = await campaigns.CurrentAsync(ct);
        foreach (var entry in catalog.Entries)
            await RunAsync(client, entry, ct);

        try
        {
            var (sent, pending) = await mail.ResendDueAsync(ct);
            if (sent + pending > 0) logger.LogInformation("Pending mail and texts: {Sent} sent again, {Pending} still pending", sent, pending);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Pending mail could not be read or resent; trying again at the next upkeep");
        }
    }

    async Task RunAsync(DurableTaskClient client, CatalogEntry entry, CancellationToken ct)
    {
        var campaign = entry.Campaign;
        // A closed campaign sends no more reminders or summaries; its batches' decisions and revocations still go through.
        if (!entry.Closed && await client.EnsureCampaignStartedAsync(campaign.Id, ct))
            logger.LogInformation("Campaign orchestration of {CampaignId} started", campaign.Id);

        foreach (var claim in await registry.ListPendingDecisionClaimsAsync(campaign.Id, ct))
        {
            try
            {
                var intake = await client.GetInstanceAsync(claim.BatchId, cancellation: ct);
                if (intake is null or { RuntimeStatus: OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated }
                    && await client.StartIntakeAsync(claim.BatchId, ct))
                    logger.LogWarning("Intake {BatchId} was {Status} with a decision waiting; started again", claim.BatchId, intake?.RuntimeStatus.ToString() ?? "gone");
                // Same decision id: if the first event did arrive, the orchestration has moved on and this one is ignored.
                await client.RaiseEventAsync(claim.BatchId, IntakeNames.DecisionEvent, ToEvent(claim), ct);
                logger.LogInformation("Decision on batch {BatchId} raised again", claim.BatchId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One batch must not hold up the others; it is tried again next time.
                logger.LogError(e, "Decision on batch {BatchId} could not be delivered; trying again at the next upkeep", claim.BatchId);
            }
        }

        // A revocation is committed by the API before its follow-up (coverage, the village's mail) starts: a crash in between
        // leaves a revoked batch without one, started here.
        foreach (var revocation in await registry.ListRevocationsAsync(campaign.Id, ct))
        {
            try
            {
                if (await client.EnsureRevocationFollowUpAsync(revocation.BatchId, ct))
                    logger.LogWarning("Revocation follow-up of batch {BatchId} was missing; started", revocation.BatchId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Revocation follow-up of batch {BatchId} could not be started; trying again at the next upkeep", revocation.BatchId);
            }
        }
    }

    /// <summary>The decision event of a claim: the one owner of that mapping (the API raises the same).</summary>
    public static DecisionEvent ToEvent(DecisionClaim claim) => new(claim.DecisionId, claim.Approve, claim.Reason, claim.DecidedBy);
}
