using Microsoft.Extensions.Logging;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Export;
using UcjFlow.Workflow.Shared;

namespace UcjFlow.Workflow.Intake;

/// <summary>
/// One uploaded file (a batch), instance id = batch id: validate → ask the coordinators → wait for a decision with
/// reminders and one escalation, at most until <see cref="ApprovalPlan.ExpiresAt"/> (then Expired: tell the village and the
/// coordinators) → approve (commit, BPJS export, coverage, tell the village) or reject (tell the village why). A newer
/// upload of the same village ends a waiting batch as Superseded. Deterministic: every
/// decision of substance is an activity's result; the waits are durable timers and survive restarts.
/// </summary>
public sealed class IntakeOrchestrator : TaskOrchestrator<IntakeInput, IntakeResult>
{
    public override async Task<IntakeResult> RunAsync(TaskOrchestrationContext context, IntakeInput input)
    {
        var log = context.CreateReplaySafeLogger<IntakeOrchestrator>();
        var batchId = input.BatchId;
        context.SetCustomStatus(new IntakeStatus("Validating"));

        var v = await context.CallActivityAsync<ValidationResult>(ValidateBatchActivity.Name, batchId, Retries.IO);
        IntakeResult Result(BatchStatus status, int enrolled = 0) => new(batchId, status, v.Valid, v.Rejected, enrolled);

        // Older uploads of the village that were still waiting end now (the registry already marked them).
        foreach (var older in v.SupersededBatchIds)
            context.SendEvent(older, IntakeNames.SupersededEvent, batchId);

        switch (v.Status)
        {
            case BatchStatus.Unreadable:
                await Mail(context, new BatchMail(batchId, BatchMailKind.Unreadable));
                return Finish(context, Result(BatchStatus.Unreadable));
            case BatchStatus.Rejected:
                await Mail(context, new BatchMail(batchId, BatchMailKind.RejectedByValidation));
                return Finish(context, Result(BatchStatus.Rejected));
            case BatchStatus.Superseded:
                return Finish(context, Result(BatchStatus.Superseded)); // a newer upload of the village got there first
        }

        await Mail(context, new BatchMail(batchId, BatchMailKind.Received));
        await Mail(context, new BatchMail(batchId, BatchMailKind.ApprovalNeeded));
        var askedAt = context.CurrentUtcDateTime;
        var plan = await context.CallActivityAsync<ApprovalPlan>(GetApprovalPlanActivity.Name, batchId, Retries.IO);
        var expiresAt = plan.ExpiresAt(askedAt);

        var reminders = 0;
        var escalated = false;
        while (true)
        {
            context.SetCustomStatus(new IntakeStatus(nameof(BatchStatus.AwaitingApproval), reminders, askedAt, escalated));
            var nextReminder = context.CurrentUtcDateTime.Add(plan.ReminderInterval);
            var expiring = expiresAt is { } end && end <= nextReminder;
            var signal = await WaitForSignalAsync(context, expiring ? expiresAt!.Value : nextReminder);

            if (signal is Signal.Timeout && expiring)
            {
                // The registry decides between the expiry and a decision claimed meanwhile: exactly one of them wins.
                var expiry = await context.CallActivityAsync<ExpiryOutcome>(ExpireBatchActivity.Name, batchId, Retries.IO);
                if (expiry is ExpiryOutcome.Expired or ExpiryOutcome.Replayed)
                {
                    await Mail(context, new BatchMail(batchId, BatchMailKind.Expired, AskedAt: askedAt));
                    await Mail(context, new BatchMail(batchId, BatchMailKind.ApprovalExpired, AskedAt: askedAt));
                    await context.CallActivityAsync<CoveragePublished>(PublishCoverageActivity.Name, batchId, Retries.IO);
                    return Finish(context, Result(BatchStatus.Expired));
                }
                // A decision claimed first (its event is on its way; upkeep raises it again if lost), or a newer upload
                // superseded the batch (its event is on its way): that event ends the wait, which has no end any more.
                log.LogInformation("Batch {BatchId}: approval wait ended but not expired ({Outcome})", batchId, expiry);
                expiresAt = null;
                continue;
            }

            if (signal is Signal.Timeout)
            {
                reminders++;
                await Mail(context, new BatchMail(batchId, BatchMailKind.ApprovalReminder, reminders, AskedAt: askedAt));
                if (!escalated && reminders >= plan.EscalateAfterReminders)
                {
                    escalated = true;
                    await Mail(context, new BatchMail(batchId, BatchMailKind.ApprovalEscalation, reminders, AskedAt: askedAt));
                }
                continue;
            }

            if (signal is Signal.Superseded superseded)
            {
                log.LogInformation("Batch {BatchId} superseded by {NewBatchId}", batchId, superseded.ByBatchId);
                await Mail(context, new BatchMail(batchId, BatchMailKind.Superseded, OtherBatchId: superseded.ByBatchId));
                return Finish(context, Result(BatchStatus.Superseded));
            }

            var decision = ((Signal.Decided)signal).Decision;
            if (!decision.Approve && string.IsNullOrWhiteSpace(decision.Reason))
            {
                // The host refuses this (400); should one slip through, a rejection without a reason is not a decision.
                log.LogWarning("Batch {BatchId}: rejection {DecisionId} without a reason ignored", batchId, decision.DecisionId);
                continue;
            }

            context.SetCustomStatus(new IntakeStatus("Committing", reminders, askedAt, escalated));
            var input2 = new DecisionInput(batchId, decision.DecisionId, decision.DecidedBy, decision.Reason);
            var done = await context.CallActivityAsync<DecisionOutput>(
                decision.Approve ? ApproveBatchActivity.Name : RejectBatchActivity.Name, input2, Retries.IO);
            if (!done.Stands)
            {
                // Decided some other way first, or no longer waiting (superseded meanwhile): the registry's status stands.
                log.LogWarning("Batch {BatchId}: decision {DecisionId} not recorded ({Outcome})", batchId, decision.DecisionId, done.Outcome);
                return Finish(context, Result(done.BatchStatus ?? BatchStatus.Superseded));
            }

            if (!decision.Approve)
            {
                await Mail(context, new BatchMail(batchId, BatchMailKind.Rejected, Reason: decision.Reason));
                await context.CallActivityAsync<CoveragePublished>(PublishCoverageActivity.Name, batchId, Retries.IO);
                return Finish(context, Result(BatchStatus.Rejected));
            }

            await context.CallActivityAsync<ExportOutput>(WriteBpjsExportActivity.Name, batchId, Retries.IO);
            await context.CallActivityAsync<CoveragePublished>(PublishCoverageActivity.Name, batchId, Retries.IO);
            await Mail(context, new BatchMail(batchId, BatchMailKind.Approved));
            return Finish(context, Result(BatchStatus.Approved, done.Enrolled));
        }
    }

    static Task<bool> Mail(TaskOrchestrationContext context, BatchMail mail)
        => context.CallActivityAsync<bool>(BatchMailActivity.Name, mail, Retries.IO);

    static IntakeResult Finish(TaskOrchestrationContext context, IntakeResult result)
    {
        context.SetCustomStatus(new IntakeStatus(result.Status.ToString()));
        return result;
    }

    abstract record Signal
    {
        public sealed record Timeout : Signal;
        public sealed record Decided(DecisionEvent Decision) : Signal;
        public sealed record Superseded(string ByBatchId) : Signal;
    }

    /// <summary>Waits for a decision or a supersede, or the durable timer at <paramref name="fireAt"/> (UTC), whichever comes first; cancels the others.</summary>
    static async Task<Signal> WaitForSignalAsync(TaskOrchestrationContext context, DateTime fireAt)
    {
        using var cancel = new CancellationTokenSource();
        var decision = context.WaitForExternalEvent<DecisionEvent>(IntakeNames.DecisionEvent, cancel.Token);
        var superseded = context.WaitForExternalEvent<string>(IntakeNames.SupersededEvent, cancel.Token);
        var timer = context.CreateTimer(fireAt, cancel.Token);
        var winner = await Task.WhenAny(decision, superseded, timer);
        cancel.Cancel();
        if (winner == decision) return new Signal.Decided(await decision);
        if (winner == superseded) return new Signal.Superseded(await superseded);
        return new Signal.Timeout();
    }
}
