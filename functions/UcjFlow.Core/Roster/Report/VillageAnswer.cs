using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Roster.Report;

/// <summary>
/// What a village reads when validation ends (issue 9.2), in its mail and on its batch page alike: the rejected rows'
/// problems as <see cref="RosterIssue.Line"/> (row, the person's name, column, what to do; NIK masked, never a rule code).
/// </summary>
public static class VillageAnswer
{
    /// <summary>The first <paramref name="max"/> error lines of <paramref name="report"/> in row order, and how many errors there are in all; none without a report.</summary>
    public static (IReadOnlyList<string> Lines, int Count) Problems(RosterReport? report, int max)
    {
        if (report is null) return ([], 0);
        var errors = report.Issues.Where(i => i.IsError).ToList();
        return (errors.Take(Math.Max(0, max)).Select(i => i.Line).ToList(), errors.Count);
    }
}
