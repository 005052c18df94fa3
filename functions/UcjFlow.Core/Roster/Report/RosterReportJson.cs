using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Roster.Report;

/// <summary>The report as JSON, with roster.md's names (file, village, status, fileCode, ... issues). Other tools read it.</summary>
public static class RosterReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = RosterReportJsonContext.Default,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Indonesian text and "–" stay readable; the JSON never goes into HTML unescaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(RosterReport report) => JsonSerializer.Serialize(report, Options);

    public static Task WriteAsync(Stream stream, RosterReport report, CancellationToken ct = default) =>
        JsonSerializer.SerializeAsync(stream, report, Options, ct);

    public static RosterReport Deserialize(string json) =>
        JsonSerializer.Deserialize<RosterReport>(json, Options) ?? throw new JsonException("The report JSON is null.");

    public static async Task<RosterReport> ReadAsync(Stream stream, CancellationToken ct = default) =>
        await JsonSerializer.DeserializeAsync<RosterReport>(stream, Options, ct).ConfigureAwait(false)
        ?? throw new JsonException("The report JSON is null.");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(RosterReport))]
internal sealed partial class RosterReportJsonContext : JsonSerializerContext;
