using System.Text.Json;
using System.Text.Json.Serialization;

namespace UcjFlow.Core.Campaigns;

// The campaign file as written by people: every member nullable so a missing one is reported, not defaulted
// silently; dates and times as strings so "2024-13-01" is reported as "not a date" rather than a JSON error.
// Unknown members land in Extra and are reported (a typo must not silently drop a setting).

internal sealed class CampaignFile
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Regency { get; set; }
    public string? Funder { get; set; }
    public List<CostShareFile?>? CostShares { get; set; }
    public string? RenewsFrom { get; set; }
    public long? Workforce { get; set; }
    public long? BaselineCovered { get; set; }
    public string? WorkforceSource { get; set; }
    public List<WorkforceFigureFile?>? WorkforceFigures { get; set; }
    public decimal? TargetPercent { get; set; }
    public List<TariffFile?>? Tariffs { get; set; }
    public string? CoverageStart { get; set; }
    public int? MonthsFunded { get; set; }
    public string? SubmissionDeadline { get; set; }
    public List<int>? ReminderOffsetsDays { get; set; }
    public int? ApprovalReminderIntervalDays { get; set; }
    public int? EscalateAfterReminders { get; set; }
    public int? ApprovalExpiryDays { get; set; }
    public List<string?>? CoordinatorEmails { get; set; }
    public List<string?>? LeadershipEmails { get; set; }
    public string? DailySummaryTime { get; set; }
    public AgeRangeFile? AgeRange { get; set; }
    public List<SegmentFile?>? Segments { get; set; }
    public string? ReferenceList { get; set; }
    public List<VillageFile?>? Villages { get; set; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class TariffFile
{
    public string? From { get; set; }
    public string? To { get; set; }
    public long? Jkk { get; set; }
    public long? Jkm { get; set; }
    public List<string?>? Segments { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class WorkforceFigureFile
{
    public string? Area { get; set; }
    public long? Workforce { get; set; }
    public long? BaselineCovered { get; set; }
    public string? Source { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class CostShareFile
{
    public string? Funder { get; set; }
    public decimal? Percent { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class AgeRangeFile
{
    public int? Min { get; set; }
    public int? Max { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class SegmentFile
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public List<string?>? Aliases { get; set; }
    public bool? Default { get; set; }
    public string? Kind { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class VillageFile
{
    public string? Code { get; set; }
    public string? PicEmail { get; set; }
    public string? PicPhone { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(CampaignFile))]
internal sealed partial class CampaignFileJsonContext : JsonSerializerContext;
