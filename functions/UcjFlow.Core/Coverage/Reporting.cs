using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;

namespace UcjFlow.Core.Coverage;

/// <summary>
/// Reporting rates in DHIS2's sense (a village is expected to send its roster by the campaign's submission deadline):
/// on time (its first roster arrived on or before the deadline day, Asia/Jakarta), late (after it) or not sent.
/// </summary>
public static class Reporting
{
    /// <summary>
    /// Whether a batch counts as the village having sent its roster: a file that was read (awaiting approval, approved,
    /// rejected by a coordinator, replaced by a newer upload, or left undecided until it expired). A file still being
    /// validated, or unreadable, is not a report yet.
    /// </summary>
    public static bool CountsAsSent(BatchStatus status) => status is not (BatchStatus.Validating or BatchStatus.Unreadable);

    /// <summary>Per village (dotted code): when its first batch counting as sent arrived (<see cref="Batch.CreatedAt"/>).</summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> FirstSent(IEnumerable<Batch> batches)
    {
        var first = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var b in batches)
        {
            if (!CountsAsSent(b.Status)) continue;
            var code = Regions.RegionCodes.Normalize(b.VillageCode) ?? b.VillageCode;
            if (!first.TryGetValue(code, out var at) || b.CreatedAt < at) first[code] = b.CreatedAt;
        }
        return first;
    }

    /// <summary>On time when sent on or before <paramref name="deadline"/> (Jakarta date), late after it; not sent when null.</summary>
    public static ReportingStatus StatusOf(DateTimeOffset? firstSent, DateOnly deadline) =>
        firstSent is not { } at ? ReportingStatus.NotSent
        : DateOnly.FromDateTime(JakartaTime.ToLocal(at).DateTime) <= deadline ? ReportingStatus.OnTime
        : ReportingStatus.Late;

    /// <summary>Counts and percentages of expected villages (two decimals, half away from zero; 0 % of none).</summary>
    public static ReportingRates Rates(IEnumerable<ReportingStatus> villages)
    {
        int onTime = 0, late = 0, notSent = 0;
        foreach (var v in villages)
        {
            if (v == ReportingStatus.OnTime) onTime++;
            else if (v == ReportingStatus.Late) late++;
            else notSent++;
        }
        var expected = onTime + late + notSent;
        return new ReportingRates(expected, onTime, late, notSent,
            CoverageCalculator.Percent(onTime, expected) ?? 0, CoverageCalculator.Percent(late, expected) ?? 0, CoverageCalculator.Percent(notSent, expected) ?? 0);
    }
}
