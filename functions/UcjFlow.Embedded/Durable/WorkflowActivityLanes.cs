using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Export;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Embedded.Durable;

/// <summary>
/// The lanes of the enrolment workflow's activities on this runner (<see cref="EmbeddedDurableOptions.ActivityLanes"/>).
/// A coordinator's decision and the small look-ups of a waiting orchestration go first: a burst of approvals must not
/// queue behind the exports and mails of the approvals before it. Then coverage and mails (short; a publication
/// coalesces the decisions committed before it). Then validations, whose village waits for the answer, two per core;
/// last the BPJS exports, which nobody waits on at once, one per core. The CPU-heavy lanes together stay below the
/// runner's worker count, so a worker is always free for a decision.
/// </summary>
public static class WorkflowActivityLanes
{
    public static ActivityLane Decisions { get; } = new("decisions", 0);
    public static ActivityLane FollowUps { get; } = new("follow-ups", 1);
    public static ActivityLane Validations { get; } = new("validations", 2, Math.Max(2, Environment.ProcessorCount * 2));
    public static ActivityLane Exports { get; } = new("exports", 3, Math.Max(1, Environment.ProcessorCount));

    /// <summary>The lane of the activity named <paramref name="activity"/>; an activity not named here goes with the follow-ups.</summary>
    public static ActivityLane Of(string activity) => activity switch
    {
        ApproveBatchActivity.Name or RejectBatchActivity.Name or ExpireBatchActivity.Name
            or GetApprovalPlanActivity.Name or GetCampaignPlanActivity.Name => Decisions,
        ValidateBatchActivity.Name => Validations,
        WriteBpjsExportActivity.Name => Exports,
        _ => FollowUps,
    };
}
