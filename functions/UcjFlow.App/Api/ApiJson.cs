using System.Text.Json;
using System.Text.Json.Serialization;
using UcjFlow.App.Security;
using UcjFlow.Core.Registry;

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
    ApprovalCost? ApprovalCost = null);

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
/// The batch list; for coordinators also every mail not delivered yet (<see cref="MailProblemView"/>), empty for village PICs.
/// </summary>
public sealed record BatchList(IReadOnlyList<BatchView> Batches, IReadOnlyList<MailProblemView> MailProblems);

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
[JsonSerializable(typeof(CampaignView))]
[JsonSerializable(typeof(RevokeRequest))]
[JsonSerializable(typeof(RevocationAccepted))]
[JsonSerializable(typeof(ExportSentView))]
[JsonSerializable(typeof(AuditList))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
