using Microsoft.Extensions.Logging;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Shared;

namespace UcjFlow.Workflow.Campaigns;

/// <summary>
/// One per campaign (instance "campaign-{id}"), one cycle per wake-up: sleep on a durable timer until the next due
/// moment of the calendar, do what is due (a deadline reminder round or the escalation, the daily summary), then
/// continue as new with the moment reached, so history stays a few events long. Ends after the last funded day.
/// </summary>
public sealed class CampaignOrchestrator : TaskOrchestrator<CampaignInput, CampaignStatus?>
{
    public override async Task<CampaignStatus?> RunAsync(TaskOrchestrationContext context, CampaignInput input)
    {
        var log = context.CreateReplaySafeLogger<CampaignOrchestrator>();
        var plan = await context.CallActivityAsync<CampaignPlan>(GetCampaignPlanActivity.Name, input.CampaignId, Retries.IO);
        var doneUntil = input.DoneUntil ?? context.CurrentUtcDateTime;

        if (CampaignSchedule.Next(plan, doneUntil) is not { } next)
        {
            var finished = new CampaignStatus(input.Cycle, null, doneUntil, null, Finished: true);
            context.SetCustomStatus(finished);
            return finished;
        }

        context.SetCustomStatus(new CampaignStatus(input.Cycle, next, doneUntil, null));
        await context.CreateTimer(next, CancellationToken.None);

        // Woken at or after `next` (later if the host was down): do what fell due since the last cycle, once.
        var now = context.CurrentUtcDateTime;
        var due = CampaignSchedule.Due(plan, doneUntil, now);
        if (due.Escalate)
            await context.CallActivityAsync<RoundOutcome>(SendDeadlineEscalationActivity.Name, plan.CampaignId, Retries.IO);
        else if (due.ReminderOffsetDays is { } offset)
            await context.CallActivityAsync<RoundOutcome>(SendDeadlineRemindersActivity.Name, new ReminderRound(plan.CampaignId, offset), Retries.IO);
        if (due.SummaryDay is { } day)
            await context.CallActivityAsync<CoveragePublished?>(SendDailySummaryActivity.Name, new DailySummaryInput(plan.CampaignId, day), Retries.IO);

        log.LogInformation("Campaign {CampaignId} cycle {Cycle}: reminder {Offset}, escalation {Escalate}, summary {Day}",
            plan.CampaignId, input.Cycle, due.ReminderOffsetDays, due.Escalate, due.SummaryDay);
        context.SetCustomStatus(new CampaignStatus(input.Cycle, null, now, due));
        context.ContinueAsNew(input with { DoneUntil = now, Cycle = input.Cycle + 1 });
        return null;
    }
}
