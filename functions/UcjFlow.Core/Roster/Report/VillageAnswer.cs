using System.Globalization;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Roster.Report;

/// <summary>
/// What a village reads when validation ends (issue 9.2), in its mail and on its batch page alike: the rejected rows'
/// problems as <see cref="RosterIssue.Line"/> (row, the person's name, column, what to do; NIK masked, never a rule code),
/// and for a renewal roster how many people it does not continue, per reason.
/// </summary>
public static class VillageAnswer
{
    private static readonly CultureInfo Id = CultureInfo.GetCultureInfo("id-ID");

    /// <summary>The first <paramref name="max"/> error lines of <paramref name="report"/> in row order, and how many errors there are in all; none without a report.</summary>
    public static (IReadOnlyList<string> Lines, int Count) Problems(RosterReport? report, int max)
    {
        if (report is null) return ([], 0);
        var errors = report.Issues.Where(i => i.IsError).ToList();
        return (errors.Take(Math.Max(0, max)).Select(i => i.Line).ToList(), errors.Count);
    }

    /// <summary>
    /// A renewal roster's removals in one Indonesian sentence, per reason in the drop-down's order:
    /// "3 orang tidak dilanjutkan: 1 meninggal, 2 pindah" (with "1 tanpa alasan" for a removal without a reason);
    /// null when the report removed nobody. The one place that words it: the HTML and CSV reports and <see cref="Notes"/> use it.
    /// </summary>
    public static string? Removals(RosterReport? report)
    {
        if (report is not { Removed: > 0 }) return null;
        var parts = (report.RemovedByReason ?? new Dictionary<string, int>()).Select(r => $"{N(r.Value)} {r.Key}");
        return $"{N(report.Removed)} orang tidak dilanjutkan: {string.Join(", ", parts)}";
    }

    /// <summary>
    /// What the village is told once about the whole file: the report's <see cref="RosterReport.Notes"/> (a month-first
    /// date column), then <see cref="Removals"/>; empty without a report.
    /// </summary>
    public static IReadOnlyList<string> Notes(RosterReport? report)
    {
        if (report is null) return [];
        var removals = Removals(report);
        if (removals is null) return report.Notes ?? [];
        return [.. report.Notes ?? [], removals + "."];
    }

    /// <summary>One removed row as the village reads it: "Baris 7 (SITI AMINAH): meninggal" (the reason's own words for "lainnya").</summary>
    public static string RemovalLine(RosterRemoval removal) =>
        $"Baris {removal.Row}{(removal.Name is { Length: > 0 } name ? $" ({name})" : "")}: " +
        (removal.Text is { } text ? $"{removal.Reason} ({Values.TextValues.Quote(text)})" : removal.Reason);

    private static string N(int value) => value.ToString("N0", Id);
}
