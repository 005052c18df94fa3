using UcjFlow.Workflow.Campaigns;
using Microsoft.Extensions.Logging;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Workflow.Intake;

/// <summary>
/// Approves a batch: the registry enrols its staged rows (NIKs already enrolled are skipped) with the campaign's
/// coverage period, records the decision and sets the batch Approved, in one transaction. Idempotent per decision id.
/// </summary>
public sealed class ApproveBatchActivity(CampaignStore campaigns, IEnrollmentRegistry registry, ILoggerFactory loggers)
    : TaskActivity<DecisionInput, DecisionOutput>
{
    public const string Name = "ApproveBatch";

    public override async Task<DecisionOutput> RunAsync(TaskActivityContext context, DecisionInput input)
    {
        var campaign = await campaigns.OfBatchAsync(registry, input.BatchId);
        var result = await registry.ApproveAsync(new Approval(
            input.DecisionId, input.BatchId, input.DecidedBy, campaign.CoverageStart, campaign.CoverageEnd, input.Reason));
        loggers.CreateLogger<ApproveBatchActivity>().LogInformation(
            "Approval {DecisionId} of batch {BatchId}: {Outcome}, {Enrolled} enrolled, {Skipped} skipped",
            input.DecisionId, input.BatchId, result.Outcome, result.Record?.Enrolled ?? 0, result.Record?.Skipped ?? 0);
        return new DecisionOutput(result.Outcome, result.BatchStatus, result.Record?.Enrolled ?? 0, result.Record?.Skipped ?? 0);
    }
}

/// <summary>Rejects a batch with the coordinator's reason and records the decision. Idempotent per decision id.</summary>
public sealed class RejectBatchActivity(IEnrollmentRegistry registry, ILoggerFactory loggers)
    : TaskActivity<DecisionInput, DecisionOutput>
{
    public const string Name = "RejectBatch";

    public override async Task<DecisionOutput> RunAsync(TaskActivityContext context, DecisionInput input)
    {
        var result = await registry.RejectAsync(new Rejection(input.DecisionId, input.BatchId, input.DecidedBy, input.Reason ?? ""));
        loggers.CreateLogger<RejectBatchActivity>().LogInformation(
            "Rejection {DecisionId} of batch {BatchId}: {Outcome}", input.DecisionId, input.BatchId, result.Outcome);
        return new DecisionOutput(result.Outcome, result.BatchStatus, 0, 0);
    }
}

/// <summary>
/// Ends a batch's approval wait (<see cref="IEnrollmentRegistry.ExpireAsync"/>): Expired unless a coordinator's decision was
/// claimed first. Idempotent.
/// </summary>
public sealed class ExpireBatchActivity(IEnrollmentRegistry registry, ILoggerFactory loggers) : TaskActivity<string, ExpiryOutcome>
{
    public const string Name = "ExpireBatch";

    public override async Task<ExpiryOutcome> RunAsync(TaskActivityContext context, string batchId)
    {
        var outcome = await registry.ExpireAsync(batchId);
        loggers.CreateLogger<ExpireBatchActivity>().LogInformation("Approval wait of batch {BatchId} ended: {Outcome}", batchId, outcome);
        return outcome;
    }
}
