using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Registry;

/// <summary>
/// The system of record for batches, their staged valid rows, enrolments and decisions.
/// Two implementations behave identically: SQLite (embedded default) and PostgreSQL (scale-out).
/// Every write is safe to repeat (activities run at least once). NIK and KK are never logged.
/// </summary>
public interface IEnrollmentRegistry
{
    /// <summary>
    /// Registers an uploaded file as a batch in status Validating. Idempotent: the same BatchId, or the same
    /// (CampaignId, VillageCode, ContentHash), returns the earlier batch with Created = false ("once per content").
    /// </summary>
    Task<BatchRegistration> RegisterBatchAsync(NewBatch batch, CancellationToken ct = default);

    Task<Batch?> GetBatchAsync(string batchId, CancellationToken ct = default);

    /// <summary>Batches of a campaign, oldest first, optionally filtered by status and village.</summary>
    Task<IReadOnlyList<Batch>> ListBatchesAsync(string campaignId, BatchStatus? status = null, string? villageCode = null, CancellationToken ct = default);

    Task<Batch?> FindBatchByContentHashAsync(string campaignId, string villageCode, string contentHash, CancellationToken ct = default);

    /// <summary>The village's batches awaiting approval, oldest first (normally zero or one).</summary>
    Task<IReadOnlyList<Batch>> FindWaitingBatchesAsync(string campaignId, string villageCode, CancellationToken ct = default);

    /// <summary>
    /// Ends validation in one transaction: replaces the batch's staged rows with <paramref name="validRows"/>, stores counts,
    /// report blob and file code, and moves the batch from Validating to outcome.Status. When it becomes AwaitingApproval,
    /// older batches of the village still awaiting approval become Superseded by it; if a newer batch of the village is
    /// already awaiting approval or was decided by a coordinator, this batch becomes Superseded instead (so the result does
    /// not depend on which validation finishes first). Unreadable and Rejected outcomes supersede nothing. Repeating the call once the batch has
    /// left Validating changes nothing and returns the same completion.
    /// </summary>
    Task<ValidationCompletion> CompleteValidationAsync(string batchId, ValidationOutcome outcome, IAsyncEnumerable<Enrollee> validRows, CancellationToken ct = default);

    /// <summary>Moves a Validating or AwaitingApproval batch to Superseded; false when it was in another status.</summary>
    Task<bool> SupersedeAsync(string batchId, string supersededBy, CancellationToken ct = default);

    /// <summary>The staged valid rows of a batch in row order.</summary>
    IAsyncEnumerable<Enrollee> ReadStagedRowsAsync(string batchId, CancellationToken ct = default);

    /// <summary>The staged rows this batch actually enrolled (skipped NIKs left out), in row order: the BPJS export.</summary>
    IAsyncEnumerable<Enrollee> ReadEnrolledRowsAsync(string batchId, CancellationToken ct = default);

    /// <summary>
    /// Batched conflict look-up with the shape of <see cref="NikConflictLookup"/> (bind campaign, village and the campaign's
    /// coverage period): <c>(niks, ct) =&gt; registry.FindConflictsAsync(campaignId, villageCode, niks, from, to, ct)</c>.
    /// Returns at most one conflict per NIK and kind, only for NIKs that have one:
    /// AlreadyEnrolled when the NIK has an enrolment in ANY campaign whose coverage overlaps [<paramref name="coverageFrom"/>,
    /// <paramref name="coverageTo"/>] (both inclusive, Jakarta days), naming that enrolment's campaign, the enrolling batch's
    /// village and its coverage start (the earliest such enrolment when there are several); an enrolment whose period does not
    /// overlap is a renewal, not a conflict (issue 13);
    /// InOtherVillageBatch when staged in a batch of another village (not <paramref name="villageCode"/>, compared as given)
    /// of the SAME campaign that awaits approval or is approved, naming the campaign, the oldest such batch's village and its
    /// upload day (Asia/Jakarta) — the batch whose approval produced an enrolment overlapping the period is not counted
    /// again (that is AlreadyEnrolled alone).
    /// </summary>
    /// <exception cref="ArgumentException">the period ends before it starts.</exception>
    ValueTask<IReadOnlyList<NikConflict>> FindConflictsAsync(
        string campaignId, string villageCode, IReadOnlyCollection<string> niks, DateOnly coverageFrom, DateOnly coverageTo, CancellationToken ct = default);

    /// <summary>
    /// Approves an AwaitingApproval batch: in ONE transaction enrols each staged row whose NIK has no enrolment, in any
    /// campaign, whose coverage overlaps the approval's period (others count as skipped), adds the enrolments to the running
    /// tallies (<see cref="GetActiveCountsAsync"/>), records the decision and sets the batch Approved. Idempotent per decision id.
    /// </summary>
    Task<DecisionResult> ApproveAsync(Approval approval, CancellationToken ct = default);

    /// <summary>Rejects an AwaitingApproval batch (reason required) and records the decision, in one transaction.</summary>
    Task<DecisionResult> RejectAsync(Rejection rejection, CancellationToken ct = default);

    /// <summary>
    /// Decide-once: stores <paramref name="claim"/> unless the batch already has a claim or no longer awaits approval (e.g.
    /// Expired); true when this one is the batch's first. Atomic across hosts and processes (a unique key, and the batch row
    /// locked as <see cref="ExpireAsync"/> locks it), so of two racing decisions, or a decision and the expiry, exactly one
    /// wins. A claim is never taken back: once its batch has left AwaitingApproval it is history.
    /// </summary>
    Task<bool> ClaimDecisionAsync(DecisionClaim claim, CancellationToken ct = default);

    /// <summary>
    /// Ends an undecided batch's approval wait: in one transaction, with the batch row locked, moves an AwaitingApproval
    /// batch without a decision claim to Expired. A claim taken first wins (<see cref="ExpiryOutcome.DecisionClaimed"/>):
    /// the decision stands and the batch keeps waiting for it. Safe to repeat (<see cref="ExpiryOutcome.Replayed"/>).
    /// </summary>
    Task<ExpiryOutcome> ExpireAsync(string batchId, CancellationToken ct = default);

    Task<DecisionClaim?> GetDecisionClaimAsync(string batchId, CancellationToken ct = default);

    /// <summary>Claims of the campaign whose batch still awaits approval (the orchestration has not acted yet), oldest first.</summary>
    Task<IReadOnlyList<DecisionClaim>> ListPendingDecisionClaimsAsync(string campaignId, CancellationToken ct = default);

    Task<DecisionRecord?> GetDecisionAsync(string batchId, CancellationToken ct = default);

    /// <summary>Every decision of a campaign, oldest first: the audit trail.</summary>
    Task<IReadOnlyList<DecisionRecord>> ListDecisionsAsync(string campaignId, CancellationToken ct = default);

    Task<Enrolment?> GetEnrolmentAsync(string campaignId, string nik, CancellationToken ct = default);

    /// <summary>
    /// Per village with at least one counted batch or an enrolment active on asOf, ordered by village code (a village absent has all zeros).
    /// Counted batches are those AwaitingApproval, Approved or Rejected (Validating, Superseded and Unreadable never count).
    /// Submitted = valid rows of counted batches; Pending = valid rows of AwaitingApproval batches;
    /// Rejected = valid rows of batches a coordinator Rejected (rows rejected by validation are in each batch's report, not here);
    /// Approved = enrolments of the village in this campaign active on <paramref name="asOf"/> (coverage from ≤ asOf ≤ to),
    /// read from the running tallies.
    /// Submitted = (valid rows of Approved batches) + Pending + Rejected; Approved can be less than the first term
    /// (NIKs skipped as enrolled by another batch, or coverage not active on asOf).
    /// </summary>
    Task<IReadOnlyList<VillageTally>> GetVillageTalliesAsync(string campaignId, DateOnly asOf, CancellationToken ct = default);

    /// <summary>Stores a newly issued village access link (<see cref="AccessLink"/>); the same link id again changes nothing.</summary>
    Task IssueAccessLinkAsync(AccessLink link, CancellationToken ct = default);

    Task<AccessLink?> GetAccessLinkAsync(string linkId, CancellationToken ct = default);

    /// <summary>The campaign's access links, newest first, optionally of one village only.</summary>
    Task<IReadOnlyList<AccessLink>> ListAccessLinksAsync(string campaignId, string? villageCode = null, CancellationToken ct = default);

    /// <summary>Revokes a link at <paramref name="at"/>; false when there is no such link or it was revoked already (the first revocation stands).</summary>
    Task<bool> RevokeAccessLinkAsync(string linkId, string revokedBy, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>
    /// Records a use of the link at <paramref name="at"/>: writes only when the stored last use is older than
    /// <see cref="AccessLinkUse.Interval"/> (one cheap conditional UPDATE; most calls change nothing).
    /// </summary>
    Task RecordAccessLinkUseAsync(string linkId, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>
    /// Revokes an Approved batch whose BPJS export is not marked sent: in ONE transaction, with the batch row locked, removes
    /// exactly the enrolments this batch made (NIKs it skipped stay with the batch that enrolled them; each removed NIK can
    /// be enrolled again by a later batch) and takes them out of the running tallies, records the revocation and its audit entry, and sets the batch Revoked. A batch
    /// is revoked at most once: of racing revocations exactly one gets <see cref="RevocationOutcome.Revoked"/>; a revocation
    /// and <see cref="MarkExportSentAsync"/> queue on the same lock, so exactly one of them wins.
    /// </summary>
    /// <exception cref="ArgumentException">the reason is empty.</exception>
    Task<RevocationResult> RevokeAsync(Revocation revocation, CancellationToken ct = default);

    Task<RevocationRecord?> GetRevocationAsync(string batchId, CancellationToken ct = default);

    /// <summary>Every revocation of a campaign, oldest first.</summary>
    Task<IReadOnlyList<RevocationRecord>> ListRevocationsAsync(string campaignId, CancellationToken ct = default);

    /// <summary>
    /// Marks an Approved batch's BPJS export as sent, with who and when, and writes its audit entry, in one transaction with
    /// the batch row locked. Once marked, <see cref="RevokeAsync"/> refuses (<see cref="RevocationOutcome.ExportSent"/>).
    /// </summary>
    Task<ExportMarkResult> MarkExportSentAsync(string batchId, string markedBy, CancellationToken ct = default);

    /// <summary>The audit trail of a campaign (or of one batch), in the order it was written.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string campaignId, string? batchId = null, CancellationToken ct = default);

    /// <summary>
    /// Stores a new campaign (<see cref="StoredCampaign.Version"/> and the close fields are set by the registry); false,
    /// changing nothing, when a campaign with that id exists.
    /// </summary>
    Task<bool> AddCampaignAsync(string campaignId, string regencyCode, string document, string savedBy, CancellationToken ct = default);

    /// <summary>Replaces the document of an existing campaign (an edit); false when there is no campaign with that id.</summary>
    Task<bool> ReplaceCampaignAsync(string campaignId, string regencyCode, string document, string savedBy, CancellationToken ct = default);

    /// <summary>Closes a campaign; false when there is none with that id or it is closed already (the first close stands).</summary>
    Task<bool> CloseCampaignAsync(string campaignId, string closedBy, CancellationToken ct = default);

    /// <summary>Every stored campaign, in the order they were added.</summary>
    Task<IReadOnlyList<StoredCampaign>> ListCampaignsAsync(CancellationToken ct = default);

    /// <summary>The highest <see cref="StoredCampaign.Version"/> (0 when there is none): one cheap read to learn whether the catalog changed.</summary>
    Task<long> GetCampaignsVersionAsync(CancellationToken ct = default);

    /// <summary>
    /// Enrolments active on <paramref name="asOf"/> (a Jakarta day; coverage from ≤ asOf ≤ to) per campaign, village and
    /// segment, over the campaigns in <paramref name="campaignIds"/> (a campaign without enrolments, or unknown, adds nothing).
    /// Read from the running tallies, not the enrolments: the cost grows with campaigns × villages × segments × distinct
    /// coverage days, not with people. Only groups with at least one active enrolment; ordered by campaign, village, segment.
    /// A person enrolled in two of the campaigns counts once in each, but never twice on one day: enrolments of one NIK
    /// never overlap.
    /// </summary>
    Task<IReadOnlyList<ActiveCount>> GetActiveCountsAsync(IReadOnlyCollection<string> campaignIds, DateOnly asOf, CancellationToken ct = default);

    /// <summary>
    /// Enrolments whose coverage ends (coverage to, a Jakarta day) in <paramref name="fromExclusive"/> &lt; day ≤
    /// <paramref name="toInclusive"/>, per campaign, village, segment and last day, over <paramref name="campaignIds"/>:
    /// the lapse ahead (e.g. from today to today + 1, 3 or 6 months). Whether a person is renewed by a later enrolment is
    /// not looked at here. Read from the running tallies; ordered by campaign, village, segment, last day.
    /// </summary>
    /// <exception cref="ArgumentException">the window ends before it starts.</exception>
    Task<IReadOnlyList<EndingCount>> GetEndingCountsAsync(IReadOnlyCollection<string> campaignIds, DateOnly fromExclusive, DateOnly toInclusive, CancellationToken ct = default);

    /// <summary>
    /// The village's enrolments in the campaign (<paramref name="villageCode"/> compared as stored, as batches carry it),
    /// in NIK order (ordinal): the roster a renewal starts from. Streamed; empty when there are none.
    /// </summary>
    IAsyncEnumerable<Enrolment> ReadEnrolmentsAsync(string campaignId, string villageCode, CancellationToken ct = default);
}
