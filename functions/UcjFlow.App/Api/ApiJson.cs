using System.Text.Json;
using System.Text.Json.Serialization;
using UcjFlow.App.Security;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;

namespace UcjFlow.App.Api;

// The JSON the API speaks. Source-generated (no reflection); camelCase; enums by name.

/// <summary>Every error: a short Indonesian sentence and a stable English code, never details of the server.</summary>
public sealed record ApiError(string Error, string Code);

public sealed record UploadAccepted(string BatchId, string StatusUrl, bool Duplicate);

public sealed record DecisionRequest(bool? Approve, string? Reason);

public sealed record DecisionAccepted(string BatchId, string DecisionId, string StatusUrl);

public sealed record ReportLinks(string Html, string Json, string Csv);

public sealed record DecisionView(DecisionKind Kind, string DecidedBy, DateTimeOffset DecidedAt, string? Reason, int Enrolled, int Skipped);

public sealed record BatchView(
    string BatchId,
    string VillageCode,
    string? VillageName,
    string DistrictCode,
    string FileName,
    BatchStatus Status,
    BatchCounts Counts,
    string? FileCode,
    string? SupersededBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ReportLinks? Reports,
    DecisionView? Decision,
    bool DecisionPending,
    ApprovalCost? ApprovalCost = null,
    string? DistrictName = null,
    bool Clean = false);

/// <summary>
/// What approving a batch commits the regency to: <paramref name="People"/> (its valid rows) × <paramref name="CostPerWorker"/>
/// (rupiah per worker over the campaign's <paramref name="Months"/> funded months, at the tariff of each month) =
/// <paramref name="Total"/> rupiah. From <see cref="Core.Campaigns.Campaign.CostOf"/>, the one owner of the rule.
/// </summary>
public sealed record ApprovalCost(int People, int Months, long CostPerWorker, long Total);

public sealed record RevokeRequest(string? Reason);

public sealed record RevocationAccepted(string BatchId, string RevocationId, int Unenrolled, string StatusUrl);

public sealed record ExportSentView(string BatchId, string MarkedBy, DateTimeOffset MarkedAt);

/// <summary>One audit line: who (<see cref="Actor"/>) did what to which batch, when (UTC), with what reason.</summary>
public sealed record AuditView(long Seq, string BatchId, AuditAction Action, string Actor, DateTimeOffset At, string? Reason);

public sealed record AuditList(IReadOnlyList<AuditView> Entries);

/// <summary>
/// A batch's answer to its village (GET api/batches/{id}/result): the status and counts, the first problems as the village
/// reads them (<see cref="UcjFlow.Core.Roster.Report.VillageAnswer"/>) of <paramref name="ProblemCount"/> in all, the
/// report's notes, and for an unreadable file its explanation. Empty lists while Validating.
/// </summary>
public sealed record BatchResultView(
    string BatchId, BatchStatus Status, BatchCounts Counts, IReadOnlyList<string> Problems, int ProblemCount,
    IReadOnlyList<string> Notes, string? FileMessage);

/// <summary>
/// One page of the batch list (<see cref="BatchQuery"/>); Total counts every batch matching, Page from 1, Size the page's
/// limit; for coordinators also every mail not delivered yet (<see cref="MailProblemView"/>), empty for village PICs.
/// </summary>
public sealed record BatchList(IReadOnlyList<BatchView> Batches, IReadOnlyList<MailProblemView> MailProblems, int Total = 0, int Page = 1, int Size = BatchQuery.DefaultSize);

/// <summary>Bulk approval: the batches to approve (<c>approve</c> must be true).</summary>
public sealed record BulkDecisionRequest(IReadOnlyList<string>? BatchIds, bool? Approve);

/// <summary>
/// What happened to one batch of a bulk approval: Outcome "decided" (DecisionId set), or the code a single decision would
/// get ("already_decided", "expired", "not_awaiting_approval", "not_clean", "batch_not_found", "forbidden") with its Indonesian message.
/// </summary>
public sealed record BulkDecisionOutcome(string BatchId, string Outcome, string Message, string? DecisionId);

public sealed record BulkDecisionResult(IReadOnlyList<BulkDecisionOutcome> Outcomes);

/// <summary>One person a batch would enrol, as the batch page shows them: NIK masked (NikMask), age in years on the coverage start.</summary>
public sealed record BatchPersonView(int Row, string Nik, string Name, string SegmentCode, string Segment, Sex Sex, int Age);

/// <summary>One page of a batch's people (its staged valid rows, row order); Total = the batch's valid rows.</summary>
public sealed record BatchPeoplePage(string BatchId, int Total, int Page, int Size, IReadOnlyList<BatchPersonView> People);

/// <summary>
/// A message not delivered yet: why, in Indonesian, and when it is tried again (UTC). <paramref name="Channel"/> is
/// "email" (recipients are addresses) or "text" (the gateway's WhatsApp/SMS; the recipient is the PIC's phone).
/// </summary>
public sealed record MailProblemView(
    string Key, string Subject, IReadOnlyList<string> Recipients, string Reason, int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset NextAttemptAt,
    string Channel = "email");

/// <summary>Who the caller is; <see cref="DistrictCode"/>: the kecamatan a scoped coordinator sees (null: the whole regency).</summary>
public sealed record MeView(CallerRole Role, string Name, string? VillageCode, string? VillageName, string? BatchId, string? DistrictCode);

public sealed record CampaignVillageView(string Code, string Name, string Kind, string DistrictCode, string DistrictName, string? PicEmail);

public sealed record TariffView(DateOnly From, DateOnly? To, long Jkk, long Jkm, long Premium);

public sealed record CampaignView(
    string Id,
    string Name,
    string RegencyCode,
    string RegencyName,
    long Workforce,
    long BaselineCovered,
    decimal TargetPercent,
    IReadOnlyList<TariffView> Tariffs,
    DateOnly CoverageStart,
    DateOnly CoverageEnd,
    int MonthsFunded,
    DateOnly SubmissionDeadline,
    IReadOnlyList<int> ReminderOffsetsDays,
    int ApprovalReminderIntervalDays,
    int EscalateAfterReminders,
    IReadOnlyList<string> Segments,
    IReadOnlyList<CampaignVillageView> Villages);

/// <summary>
/// One message to a village as a coordinator may send it by WhatsApp: <paramref name="Kind"/> (BatchMailKind), the
/// idempotency <paramref name="Key"/> of the mail it mirrors, its subject and short text, the PIC's phone (E.164, null when
/// none) and the wa.me link (without a phone, WhatsApp asks whom).
/// </summary>
public sealed record VillageMessageView(string Kind, string Key, string Subject, string Text, string? Phone, string WhatsAppUrl);

/// <summary>A village without an approved batch, <paramref name="Status"/> as VillageStatus, with its reminder's short text and wa.me link.</summary>
public sealed record LateVillageView(
    string Code, string Name, string Kind, string DistrictName, string Status, string? PicEmail, string? PicPhone, string Text, string WhatsAppUrl);

/// <summary>The late villages as of today: the deadline, whole days left (0 on and after it), how many villages the campaign has.</summary>
public sealed record LateVillagesView(DateOnly Deadline, int DaysLeft, int VillagesTotal, IReadOnlyList<LateVillageView> Villages);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(UploadAccepted))]
[JsonSerializable(typeof(DecisionRequest))]
[JsonSerializable(typeof(DecisionAccepted))]
[JsonSerializable(typeof(BatchView))]
[JsonSerializable(typeof(BatchList))]
[JsonSerializable(typeof(BatchResultView))]
[JsonSerializable(typeof(MeView))]
[JsonSerializable(typeof(BulkDecisionRequest))]
[JsonSerializable(typeof(BulkDecisionResult))]
[JsonSerializable(typeof(BatchPeoplePage))]
[JsonSerializable(typeof(CampaignView))]
[JsonSerializable(typeof(IReadOnlyList<VillageMessageView>))]
[JsonSerializable(typeof(LateVillagesView))]
[JsonSerializable(typeof(RevokeRequest))]
[JsonSerializable(typeof(RevocationAccepted))]
[JsonSerializable(typeof(ExportSentView))]
[JsonSerializable(typeof(AuditList))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>
/// A village access link just issued: the link to give the PIC (its upload page; the token rides in the fragment),
/// the token itself (also an <c>Authorization: Bearer</c> token for that village's calls), its expiry (UTC) and id, and
/// when the PIC has a phone (campaign <c>picPhone</c>) the wa.me link sending it to them (<see cref="Core.Mail.WhatsAppLink"/>).
/// </summary>
public sealed record AccessLinkIssued(string Url, string Token, DateTimeOffset ExpiresAt, string LinkId, string? WhatsappUrl = null);

public enum AccessLinkState { Active, Revoked, Expired }

/// <summary>An issued access link as coordinators see it (never its token): times UTC, <see cref="LastUsedAt"/> to the minute.</summary>
public sealed record AccessLinkView(
    string LinkId, string VillageCode, string? VillageName, string? DistrictName, AccessLinkState State, string IssuedBy,
    DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string? RevokedBy, DateTimeOffset? LastUsedAt);

public sealed record AccessLinkList(IReadOnlyList<AccessLinkView> Links);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AccessLinkIssued))]
[JsonSerializable(typeof(AccessLinkView))]
[JsonSerializable(typeof(AccessLinkList))]
public sealed partial class AccessJsonContext : JsonSerializerContext;
