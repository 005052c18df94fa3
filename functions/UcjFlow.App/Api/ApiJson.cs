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
    string? DistrictName = null,
    bool Clean = false);

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

/// <summary>A mail the server has not taken yet: why, in Indonesian, and when it is tried again (UTC).</summary>
public sealed record MailProblemView(
    string Key, string Subject, IReadOnlyList<string> Recipients, string Reason, int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset NextAttemptAt);

public sealed record MeView(CallerRole Role, string Name, string? VillageCode, string? VillageName, string? BatchId);

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
[JsonSerializable(typeof(MeView))]
[JsonSerializable(typeof(BulkDecisionRequest))]
[JsonSerializable(typeof(BulkDecisionResult))]
[JsonSerializable(typeof(BatchPeoplePage))]
[JsonSerializable(typeof(CampaignView))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
