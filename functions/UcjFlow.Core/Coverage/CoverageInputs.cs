using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;

namespace UcjFlow.Core.Coverage;

/// <summary>
/// What <see cref="CoverageCalculator"/> needs for a regency on one date (issue 13.3/13.4), read from the registry by the
/// workflow's <c>CoveragePublisher</c>: which days to read is <see cref="CoverageCalculator.DaysToRead"/>.
/// </summary>
public sealed record CoverageInputs
{
    /// <summary>The campaign of the submission round: its calendar, target, village list, submitted/pending/rejected and reporting rates.</summary>
    public required Campaign Presenting { get; init; }
    /// <summary>Every campaign of the regency (the presenting one included): enrolments, funders, tariffs and workforce figures.</summary>
    public required IReadOnlyList<Campaign> Campaigns { get; init; }
    /// <summary>The Jakarta day coverage is shown for (never clamped into a campaign's period).</summary>
    public required DateOnly AsOf { get; init; }
    /// <summary>The presenting campaign's <c>GetVillageTalliesAsync</c>: only Submitted, Pending and Rejected are used.</summary>
    public required IReadOnlyList<VillageTally> Submissions { get; init; }
    /// <summary><c>GetActiveCountsAsync(campaigns, day)</c> for <see cref="AsOf"/> and, when <see cref="Ending"/> is given, each later day of <see cref="CoverageCalculator.DaysToRead"/>.</summary>
    public required IReadOnlyDictionary<DateOnly, IReadOnlyList<ActiveCount>> Active { get; init; }
    /// <summary>
    /// <c>GetEndingCountsAsync(campaigns, AsOf − 1 day, AsOf + <see cref="CoverageCalculator.EndingHorizonYears"/> years)</c>:
    /// every enrolment still active on or starting after <see cref="AsOf"/>, by last day. Null: not read (no lapse ahead,
    /// no warning, no one starting later: a single-campaign view from tallies).
    /// </summary>
    public required IReadOnlyList<EndingCount>? Ending { get; init; }
}
