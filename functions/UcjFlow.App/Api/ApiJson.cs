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
    bool DecisionPending);

/// <summary>
/// The batch list; for coordinators also every mail not delivered yet (<see cref="MailProblemView"/>), empty for village PICs.
/// </summary>
public sealed record BatchList(IReadOnlyList<BatchView> Batches, IReadOnlyList<MailProblemView> MailProblems);

/// <summary>
/// A message not delivered yet: why, in Indonesian, and when it is tried again (UTC). <paramref name="Channel"/> is
/// "email" (recipients are addresses) or "text" (the gateway's WhatsApp/SMS; the recipient is the PIC's phone).
/// </summary>
public sealed record MailProblemView(
    string Key, string Subject, IReadOnlyList<string> Recipients, string Reason, int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset NextAttemptAt,
    string Channel = "email");

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
[JsonSerializable(typeof(MeView))]
[JsonSerializable(typeof(CampaignView))]
[JsonSerializable(typeof(IReadOnlyList<VillageMessageView>))]
[JsonSerializable(typeof(LateVillagesView))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
