using UcjFlow.Core.Roster;

namespace UcjFlow.Core.Registry;

/// <summary>Where a batch (one uploaded file) stands. Stored by name: never rename a member.</summary>
/// <remarks>
/// Expired: left undecided until the approval wait ended (workflow.md, "no decision by the campaign's coverage start").
/// Revoked: approved, then revoked by a coordinator with a reason before its BPJS export was marked sent; its enrolments are gone.
/// </remarks>
public enum BatchStatus { Validating, AwaitingApproval, Approved, Rejected, Superseded, Unreadable, Expired, Revoked }

public enum DecisionKind { Approve, Reject }

/// <summary>The row figures of a batch's validation report.</summary>
public sealed record BatchCounts(int Rows, int Valid, int Rejected, int ValidWithWarnings)
{
    public static readonly BatchCounts Zero = new(0, 0, 0, 0);
}

/// <summary>What the upload watcher knows when a file arrives.</summary>
public sealed record NewBatch(
    string BatchId,
    string CampaignId,
    string VillageCode,
    string? VillageName,
    string DistrictCode,
    string FileName,
    string ContentHash,
    string UploadBlob);

public sealed record Batch(
    string BatchId,
    string CampaignId,
    string VillageCode,
    string? VillageName,
    string DistrictCode,
    string FileName,
    string ContentHash,
    string UploadBlob,
    string? ReportBlob,
    BatchStatus Status,
    BatchCounts Counts,
    string? FileCode,
    string? SupersededBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Created is false when the batch id, or the same content for the same village and campaign, was already registered: Batch is then that earlier batch.</summary>
public sealed record BatchRegistration(Batch Batch, bool Created);

/// <summary>
/// How validation ended. Status is AwaitingApproval (valid rows to decide on), Unreadable (a file-level code in FileCode),
/// or Rejected (readable but nothing valid to approve).
/// </summary>
public sealed record ValidationOutcome(BatchStatus Status, BatchCounts Counts, string? ReportBlob, string? FileCode = null);

/// <summary>
/// The batch after validation, and the batches of the same village this one superseded in the same transaction.
/// Batch.Status is Superseded (and Batch.SupersededBy set) when a newer upload of the village got there first.
/// </summary>
public sealed record ValidationCompletion(Batch Batch, IReadOnlyList<string> SupersededBatchIds);

/// <summary>A coordinator's approval. Coverage dates are inclusive (from ≤ day ≤ to).</summary>
public sealed record Approval(string DecisionId, string BatchId, string DecidedBy, DateOnly CoverageFrom, DateOnly CoverageTo, string? Reason = null);

/// <summary>A coordinator's rejection; the reason is required.</summary>
public sealed record Rejection(string DecisionId, string BatchId, string DecidedBy, string Reason);

/// <summary>
/// A coordinator's decision as claimed through the API, before the Intake orchestration has acted on it: the decide-once
/// record (one per batch). <see cref="DecisionId"/> becomes the decision event's id, so raising it again is harmless.
/// </summary>
public sealed record DecisionClaim(string BatchId, string DecisionId, bool Approve, string? Reason, string DecidedBy, DateTimeOffset ClaimedAt);

/// <summary>The audit record of one decision: kept forever.</summary>
public sealed record DecisionRecord(
    string DecisionId,
    string BatchId,
    string CampaignId,
    DecisionKind Kind,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    string? Reason,
    int Enrolled,
    int Skipped);

public enum DecisionOutcome
{
    /// <summary>The decision was recorded now.</summary>
    Recorded,
    /// <summary>The same decision id was recorded before (a retried activity): Record is that record, same counts.</summary>
    Replayed,
    /// <summary>Another decision already decided the batch (HTTP 409): Record is that earlier decision.</summary>
    AlreadyDecided,
    /// <summary>The batch is not awaiting approval (Validating, Superseded, Unreadable, or Rejected by validation): nothing recorded.</summary>
    NotAwaitingApproval,
    /// <summary>No batch with that id.</summary>
    BatchNotFound,
}

/// <summary>What ending a batch's approval wait did (<see cref="IEnrollmentRegistry.ExpireAsync"/>).</summary>
public enum ExpiryOutcome
{
    /// <summary>The batch was AwaitingApproval with no decision claimed: it is Expired now.</summary>
    Expired,
    /// <summary>The batch was Expired already (a retried activity): nothing changed.</summary>
    Replayed,
    /// <summary>A coordinator's decision was claimed first: the batch still awaits that decision.</summary>
    DecisionClaimed,
    /// <summary>The batch had left AwaitingApproval (decided or superseded): nothing changed.</summary>
    NotAwaitingApproval,
    /// <summary>No batch with that id.</summary>
    BatchNotFound,
}

public sealed record DecisionResult(DecisionOutcome Outcome, DecisionRecord? Record, BatchStatus? BatchStatus);

/// <summary>
/// One enrolled person in one campaign: at most one per (campaign, NIK), and the enrolments of one NIK across campaigns
/// never overlap in time (a later non-overlapping one is a renewal). Coverage dates are inclusive Jakarta days.
/// </summary>
public sealed record Enrolment(
    string CampaignId,
    string Nik,
    string Name,
    DateOnly BirthDate,
    Sex Sex,
    string VillageCode,
    string DistrictCode,
    string SegmentCode,
    string BatchId,
    string DecisionId,
    DateOnly CoverageFrom,
    DateOnly CoverageTo);

/// <summary>
/// Row figures of one village for the coverage summary (see IEnrollmentRegistry.GetVillageTalliesAsync for the definitions).
/// </summary>
public sealed record VillageTally(string VillageCode, int Submitted, int Approved, int Pending, int Rejected);

/// <summary>
/// <see cref="Active"/> people of one campaign's village (code as stored on its batches) and segment code (roster.md) whose
/// enrolment is active on the day asked for (see <see cref="IEnrollmentRegistry.GetActiveCountsAsync"/>).
/// </summary>
public sealed record ActiveCount(string CampaignId, string VillageCode, string SegmentCode, int Active);

/// <summary>
/// <see cref="Count"/> enrolments of one campaign's village and segment whose coverage ends on <see cref="LastDay"/> (their
/// last covered Jakarta day, inclusive; uncovered from the next day) (see <see cref="IEnrollmentRegistry.GetEndingCountsAsync"/>).
/// </summary>
public sealed record EndingCount(string CampaignId, string VillageCode, string SegmentCode, DateOnly LastDay, int Count);

/// <summary>A coordinator's revocation of an Approved batch (workflow.md, "revoke"); the reason is required.</summary>
public sealed record Revocation(string RevocationId, string BatchId, string RevokedBy, string Reason);

/// <summary>The record of a revocation: kept forever. <see cref="Unenrolled"/> = the batch's enrolments removed by it.</summary>
public sealed record RevocationRecord(
    string RevocationId, string BatchId, string CampaignId, string RevokedBy, DateTimeOffset RevokedAt, string Reason, int Unenrolled);

/// <summary>What <see cref="IEnrollmentRegistry.RevokeAsync"/> did.</summary>
public enum RevocationOutcome
{
    /// <summary>The batch was Approved, its export not marked sent: it is Revoked now and its enrolments are removed.</summary>
    Revoked,
    /// <summary>The same revocation id was recorded before (a retried call): Record is that record.</summary>
    Replayed,
    /// <summary>Another revocation got there first: Record is that one.</summary>
    AlreadyRevoked,
    /// <summary>The batch's BPJS export was marked sent: revoking is no longer possible. Nothing changed.</summary>
    ExportSent,
    /// <summary>The batch is not Approved (still waiting, rejected, expired, ...): nothing to revoke.</summary>
    NotApproved,
    /// <summary>No batch with that id.</summary>
    BatchNotFound,
}

public sealed record RevocationResult(RevocationOutcome Outcome, RevocationRecord? Record, BatchStatus? BatchStatus);

/// <summary>A coordinator's mark that an Approved batch's BPJS export was sent to BPJS Ketenagakerjaan (ends the time to revoke).</summary>
public sealed record ExportSentMark(string BatchId, string MarkedBy, DateTimeOffset MarkedAt);

/// <summary>What <see cref="IEnrollmentRegistry.MarkExportSentAsync"/> did.</summary>
public enum ExportMarkOutcome
{
    /// <summary>Marked now.</summary>
    Marked,
    /// <summary>Marked before: Mark is that earlier mark; nothing changed.</summary>
    AlreadyMarked,
    /// <summary>The batch is not Approved (revoked, or never approved): it has no export to send.</summary>
    NotApproved,
    /// <summary>No batch with that id.</summary>
    BatchNotFound,
}

public sealed record ExportMarkResult(ExportMarkOutcome Outcome, ExportSentMark? Mark, BatchStatus? BatchStatus);

/// <summary>What an audit entry records. Stored by name: never rename a member.</summary>
public enum AuditAction { Approve, Reject, Revoke, ExportSent }

/// <summary>
/// One line of the audit trail (workflow.md: "every decision, revocation and access link is audited with the person behind
/// it"): who (<see cref="Actor"/>, the caller's name), what, on which batch, when (UTC, microseconds), and the reason given.
/// Written in the same transaction as the act itself, so an act and its entry exist together or not at all.
/// </summary>
public sealed record AuditEntry(long Seq, string CampaignId, string BatchId, AuditAction Action, string Actor, DateTimeOffset At, string? Reason);
