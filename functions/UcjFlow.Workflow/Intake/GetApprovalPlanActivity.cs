using UcjFlow.Workflow.Campaigns;
using UcjFlow.Core.Campaigns;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Workflow.Intake;

/// <summary>
/// How an intake waits for the coordinators, read from the campaign once and kept in history (replay never re-reads settings).
/// <paramref name="CoverageStartsAt"/> is the campaign's coverage start (00:00 WIB) in UTC; <paramref name="WaitLimit"/> the
/// campaign's <c>approvalExpiryDays</c>. Both are null in the history of intakes asked before the wait had an end.
/// </summary>
public sealed record ApprovalPlan(TimeSpan ReminderInterval, int EscalateAfterReminders, DateTime? CoverageStartsAt = null, TimeSpan? WaitLimit = null)
{
    /// <summary>The plan of <paramref name="campaign"/>.</summary>
    public static ApprovalPlan For(Campaign campaign) => new(
        campaign.ApprovalReminderInterval, campaign.EscalateAfterReminders,
        JakartaTime.ToInstant(campaign.CoverageStart, TimeOnly.MinValue).UtcDateTime, campaign.ApprovalWaitLimit);

    /// <summary>
    /// When a batch whose coordinators were asked at <paramref name="askedAt"/> (UTC) ends Expired if still undecided
    /// (workflow.md: "no decision by the campaign's coverage start, or a configured number of days"): the coverage start
    /// when the batch was asked before it (approving later would enrol workers for days already past), and
    /// <paramref name="askedAt"/> + <see cref="WaitLimit"/> when configured; whichever comes first. Null: no end (a batch
    /// asked after the coverage start of a campaign without a limit).
    /// </summary>
    public DateTime? ExpiresAt(DateTime askedAt)
    {
        DateTime? byStart = CoverageStartsAt is { } start && askedAt < start ? start : null;
        DateTime? byLimit = WaitLimit is { } limit ? askedAt + limit : null;
        return byStart is null ? byLimit : byLimit is null ? byStart : byStart < byLimit ? byStart : byLimit;
    }

    /// <summary>True when the wait of a batch asked at <paramref name="askedAt"/> ends at the coverage start (not by the limit).</summary>
    public bool EndsAtCoverageStart(DateTime askedAt) => ExpiresAt(askedAt) is { } end && end == CoverageStartsAt;
}

/// <summary>Reads the campaign's approval reminder interval, escalation threshold and the end of the wait.</summary>
public sealed class GetApprovalPlanActivity(CampaignStore campaigns, Core.Registry.IEnrollmentRegistry registry) : TaskActivity<string, ApprovalPlan>
{
    public const string Name = "GetApprovalPlan";

    public override async Task<ApprovalPlan> RunAsync(TaskActivityContext context, string batchId) =>
        ApprovalPlan.For(await campaigns.OfBatchAsync(registry, batchId));
}
