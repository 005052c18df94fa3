using UcjFlow.Core.Campaigns;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Workflow.Intake;

/// <summary>How an intake waits for the coordinators, read from the campaign once and kept in history (replay never re-reads settings).</summary>
public sealed record ApprovalPlan(TimeSpan ReminderInterval, int EscalateAfterReminders);

/// <summary>Reads the campaign's approval reminder interval and escalation threshold.</summary>
public sealed class GetApprovalPlanActivity(Campaign campaign) : TaskActivity<string, ApprovalPlan>
{
    public const string Name = "GetApprovalPlan";

    public override Task<ApprovalPlan> RunAsync(TaskActivityContext context, string batchId) =>
        Task.FromResult(new ApprovalPlan(campaign.ApprovalReminderInterval, campaign.EscalateAfterReminders));
}
