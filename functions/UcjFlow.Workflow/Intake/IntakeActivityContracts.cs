using UcjFlow.Core.Registry;

namespace UcjFlow.Workflow.Intake;

/// <summary>
/// What the batch page shows while an intake runs (the orchestration's custom status): the stage (Validating,
/// AwaitingApproval, Committing, then the final batch status) and how many approval reminders went out.
/// </summary>
public sealed record IntakeStatus(string Stage, int Reminders = 0, DateTime? AskedAt = null, bool Escalated = false);

/// <summary>What validation concluded; the report and the aggregate are blobs (<see cref="BatchBlobs"/>).</summary>
public sealed record ValidationResult(
    string BatchId,
    BatchStatus Status,
    int Rows,
    int Valid,
    int Rejected,
    string? FileCode,
    string? SupersededBy,
    IReadOnlyList<string> SupersededBatchIds);

/// <summary>Input of the decision activities: the coordinator's decision for one batch.</summary>
public sealed record DecisionInput(string BatchId, string DecisionId, string DecidedBy, string? Reason);

/// <summary>What recording a decision did: Recorded or Replayed means this decision stands.</summary>
public sealed record DecisionOutput(DecisionOutcome Outcome, BatchStatus? BatchStatus, int Enrolled, int Skipped)
{
    public bool Stands => Outcome is DecisionOutcome.Recorded or DecisionOutcome.Replayed;
}

/// <summary>The mails about one batch.</summary>
public enum BatchMailKind
{
    /// <summary>To the village, as soon as validation ends: the result (counts and problems); the valid rows now wait for the coordinators.</summary>
    Received,
    /// <summary>To the coordinators: decide, with the signed batch link.</summary>
    ApprovalNeeded,
    /// <summary>To the coordinators: the nth reminder.</summary>
    ApprovalReminder,
    /// <summary>To the leadership, copy to the coordinators: still undecided after the reminders.</summary>
    ApprovalEscalation,
    /// <summary>To the village: approved, workers enrolled.</summary>
    Approved,
    /// <summary>To the village: rejected by a coordinator, with the reason and the report link.</summary>
    Rejected,
    /// <summary>To the village, as soon as validation ends: readable, but no row is valid (the result; no coordinator involved).</summary>
    RejectedByValidation,
    /// <summary>To the village: the file could not be read.</summary>
    Unreadable,
    /// <summary>To the village: a newer upload replaced this batch.</summary>
    Superseded,
    /// <summary>To the village: undecided until the approval wait ended (<see cref="ApprovalPlan.ExpiresAt"/>); not processed.</summary>
    Expired,
    /// <summary>To the coordinators: the same batch expired; it can no longer be decided.</summary>
    ApprovalExpired,
    /// <summary>To the village: a coordinator revoked the approved batch, with the reason (read from the registry's revocation record).</summary>
    Revoked,
}

/// <summary>Which batch mails are for the village PIC (the others go to coordinators or leadership).</summary>
public static class BatchMailKinds
{
    /// <summary>
    /// True for the mails addressed to the village (and so also to the PIC's phone); one without a PIC address goes to
    /// the coordinators to forward.
    /// </summary>
    public static bool IsToVillage(this BatchMailKind kind) => kind is BatchMailKind.Received or BatchMailKind.Approved
        or BatchMailKind.Rejected or BatchMailKind.RejectedByValidation or BatchMailKind.Unreadable
        or BatchMailKind.Superseded or BatchMailKind.Expired or BatchMailKind.Revoked;
}

/// <summary>
/// Input of the batch mail activity. <paramref name="Number"/> is the reminder number (1-based) for reminders and
/// escalation; <paramref name="Reason"/> the coordinator's reason for a rejection; <paramref name="OtherBatchId"/> the newer
/// batch for a supersede notice; <paramref name="AskedAt"/> when the coordinators were first asked.
/// </summary>
public sealed record BatchMail(
    string BatchId,
    BatchMailKind Kind,
    int Number = 0,
    string? Reason = null,
    string? OtherBatchId = null,
    DateTime? AskedAt = null)
{
    /// <summary>The idempotency key: one mail per batch, kind and number however often the activity runs.</summary>
    public string Key => Number > 0 ? $"{BatchId}:{Kind}:{Number}" : $"{BatchId}:{Kind}";
}

/// <summary>The blobs of a BPJS registration export.</summary>
public sealed record ExportOutput(string BatchId, int Rows, IReadOnlyList<string> Blobs);
