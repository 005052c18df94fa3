using System.Text.Json;
using System.Text.Json.Serialization;

namespace UcjFlow.Core.Coverage;

/// <summary>The summary as JSON for machines (<c>reports/coverage/{regency}/latest.json</c>, <c>GET /api/coverage</c>), camelCase names.</summary>
public static class CoverageJson
{
    public static string Serialize(CoverageSummary summary) => JsonSerializer.Serialize(summary, CoverageJsonContext.Default.CoverageSummary);

    public static Task WriteAsync(Stream output, CoverageSummary summary, CancellationToken cancellationToken = default) =>
        JsonSerializer.SerializeAsync(output, summary, CoverageJsonContext.Default.CoverageSummary, cancellationToken);

    public static CoverageSummary Deserialize(string json) =>
        JsonSerializer.Deserialize(json, CoverageJsonContext.Default.CoverageSummary) ?? throw new JsonException("The coverage summary is null.");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CoverageSummary))]
internal sealed partial class CoverageJsonContext : JsonSerializerContext;
