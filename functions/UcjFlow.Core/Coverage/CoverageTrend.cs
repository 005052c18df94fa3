using System.Text.Json;
using System.Text.Json.Serialization;

namespace UcjFlow.Core.Coverage;

/// <summary>
/// The daily snapshots behind the trend: one per Jakarta date, kept as one small JSON list
/// (<c>reports/coverage/daily.json</c>). Publishing again on a date replaces that date's snapshot (idempotent per date).
/// </summary>
public static class CoverageTrend
{
    /// <summary><paramref name="stored"/> with <paramref name="today"/> in place of any snapshot of its date, oldest first.</summary>
    public static IReadOnlyList<CoverageSnapshot> With(IReadOnlyList<CoverageSnapshot> stored, CoverageSnapshot today)
    {
        var list = stored.Where(s => s.Date != today.Date).Append(today).OrderBy(s => s.Date).ToList();
        return list;
    }

    public static string Serialize(IReadOnlyList<CoverageSnapshot> trend) =>
        JsonSerializer.Serialize(trend, CoverageTrendJsonContext.Default.IReadOnlyListCoverageSnapshot);

    /// <exception cref="JsonException">not a snapshot list.</exception>
    public static IReadOnlyList<CoverageSnapshot> Deserialize(string json) =>
        JsonSerializer.Deserialize(json, CoverageTrendJsonContext.Default.IReadOnlyListCoverageSnapshot) ?? [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<CoverageSnapshot>))]
internal sealed partial class CoverageTrendJsonContext : JsonSerializerContext;
