using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Export;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Embedded.Durable;

/// <summary>
/// The lanes of the enrolment workflow's activities on this runner (<see cref="EmbeddedDurableOptions.ActivityLanes"/>).
/// A coordinator's decision and the small look-ups of a waiting orchestration go first: a burst of approvals must not
/// queue behind the exports and mails of the approvals before it. Then coverage and mails (short, and a publication
/// coalesces the decisions committed before it). Last the CPU-heavy validations and BPJS exports, at most
/// <see cref="HeavyAtOnce"/> at a time, so that a worker is always free for the lanes before them.
/// </summary>
public static class WorkflowActivityLanes
{
    /// <summary>Validations and exports running at once: two per core (each also waits on files and the registry's write turn).</summary>
    public static int HeavyAtOnce { get; } = Math.Max(2, Environment.ProcessorCount * 2);

    public static ActivityLane Decisions { get; } = new("decisions", 0);
    public static ActivityLane FollowUps { get; } = new("follow-ups", 1);
    public static ActivityLane Heavy { get; } = new("heavy", 2, HeavyAtOnce);

    /// <summary>The lane of the activity named <paramref name="activity"/>; an activity not named here goes with the follow-ups.</summary>
    public static ActivityLane Of(string activity) => activity switch
    {
        ApproveBatchActivity.Name or RejectBatchActivity.Name or ExpireBatchActivity.Name
            or GetApprovalPlanActivity.Name or GetCampaignPlanActivity.Name => Decisions,
        ValidateBatchActivity.Name or WriteBpjsExportActivity.Name => Heavy,
        _ => FollowUps,
    };
}
