using System.Text.Json;
using System.Text.Json.Serialization;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Values;

namespace UcjFlow.Workflow.Intake;

/// <summary>
/// The aggregate of a batch's valid rows that coordinators decide on: by segment, sex and age band (age on the
/// campaign's coverage start), with the cost of each group (rows × premium × months). Stored as
/// <c>reports/batches/{batchId}/summary.json</c>. No NIK.
/// </summary>
public sealed record BatchSummary(
    string BatchId,
    string VillageCode,
    int ValidRows,
    long CostPerWorker,
    long Cost,
    IReadOnlyList<SummaryGroup> BySegment,
    IReadOnlyList<SummaryGroup> BySex,
    IReadOnlyList<SummaryGroup> ByAgeBand)
{
    public static BatchSummary Read(string json) =>
        JsonSerializer.Deserialize(json, BatchSummaryJsonContext.Default.BatchSummary) ?? throw new JsonException("Empty batch summary.");

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, BatchSummaryJsonContext.Default.BatchSummary);
}

/// <summary>One group: its key ("rentan", "L", "25-34"), its Indonesian label, the rows and what they cost.</summary>
public sealed record SummaryGroup(string Key, string Label, int Count, long Cost);

/// <summary>Adds up valid rows as they stream out of the validator.</summary>
public sealed class BatchAggregator(Campaign campaign)
{
    // Ten-year bands from the usual minimum age; the edges stay fixed so batches compare.
    static readonly (int From, int To, string Key)[] Bands =
    [
        (0, 14, "<15"), (15, 24, "15-24"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"), (55, 64, "55-64"), (65, int.MaxValue, "65+"),
    ];

    readonly Dictionary<string, int> _segments = new(StringComparer.Ordinal);
    readonly int[] _sex = new int[2];
    readonly int[] _bands = new int[Bands.Length];
    int _rows;

    public void Add(Enrollee row)
    {
        _rows++;
        _segments[row.SegmentCode] = _segments.GetValueOrDefault(row.SegmentCode) + 1;
        _sex[row.Sex == Sex.Male ? 0 : 1]++;
        var age = Ages.On(row.BirthDate, campaign.CoverageStart);
        _bands[Array.FindIndex(Bands, b => age >= b.From && age <= b.To) is var i and >= 0 ? i : 0]++;
    }

    public BatchSummary Build(string batchId, string villageCode)
    {
        var perWorker = campaign.CostPerWorker;
        SummaryGroup Group(string key, string label, int count) => new(key, label, count, campaign.CostOf(count));
        var segments = campaign.Segments
            .Select(s => Group(s.Code, s.Name, _segments.GetValueOrDefault(s.Code)))
            .Concat(_segments.Keys.Where(k => campaign.Segments.All(s => s.Code != k)).Order(StringComparer.Ordinal)
                .Select(k => Group(k, k, _segments[k])))
            .ToList();
        return new BatchSummary(batchId, villageCode, _rows, perWorker, campaign.CostOf(_rows),
            segments,
            [Group("L", "Laki-laki", _sex[0]), Group("P", "Perempuan", _sex[1])],
            Bands.Select((b, i) => Group(b.Key, b.Key == "65+" ? "65 tahun ke atas" : b.Key == "<15" ? "di bawah 15 tahun" : $"{b.Key} tahun", _bands[i])).ToList());
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(BatchSummary))]
internal sealed partial class BatchSummaryJsonContext : JsonSerializerContext;
