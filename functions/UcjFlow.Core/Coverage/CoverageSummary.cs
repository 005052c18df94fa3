using System.Text.Json.Serialization;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;

namespace UcjFlow.Core.Coverage;

/// <summary>
/// The coverage of one campaign on one day: regency totals, per district and village, and the villages that have
/// sent nothing. Row counts are people; money is whole rupiah. No NIK is ever part of it.
/// </summary>
public sealed record CoverageSummary
{
    public required string CampaignId { get; init; }
    public required string CampaignName { get; init; }
    public required string RegencyCode { get; init; }
    public required string RegencyName { get; init; }
    /// <summary>The Jakarta date enrolments are counted as active on.</summary>
    public required DateOnly AsOf { get; init; }
    /// <summary>When it was computed, with the Jakarta offset (+07:00).</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    public required long Workforce { get; init; }
    public required long BaselineCovered { get; init; }
    /// <summary>Valid rows of counted batches (awaiting approval, approved, rejected by a coordinator).</summary>
    public required long Submitted { get; init; }
    /// <summary>People with an enrolment, of any of the regency's campaigns, active on <see cref="AsOf"/>.</summary>
    public required long Approved { get; init; }
    /// <summary>
    /// People approved whose enrolment starts after <see cref="AsOf"/> (not yet in <see cref="Approved"/>): the submission
    /// weeks before a coverage start do not look empty.
    /// </summary>
    public long ApprovedStartingLater { get; init; }
    public required long Pending { get; init; }
    public required long Rejected { get; init; }
    /// <summary><see cref="BaselineCovered"/> + <see cref="Approved"/>.</summary>
    public required long Covered { get; init; }
    /// <summary>Covered / workforce × 100, two decimals.</summary>
    public required decimal CoveragePercent { get; init; }
    public required decimal TargetPercent { get; init; }
    /// <summary>People needed for the target: ⌈workforce × target / 100⌉.</summary>
    public required long TargetCovered { get; init; }
    /// <summary>People still to enrol to reach the target (0 once reached).</summary>
    public required long GapToTarget { get; init; }
    /// <summary>What enrolling <see cref="GapToTarget"/> people would cost over the funded months.</summary>
    public required long GapToTargetRupiah { get; init; }
    /// <summary>
    /// Cost of the enrolments active on <see cref="AsOf"/> or approved to start later, each priced with its own campaign's
    /// tariffs for its segment over that campaign's funded months (the sum of <see cref="Funders"/>' committed budgets).
    /// </summary>
    public required long BudgetCommitted { get; init; }
    /// <summary>Cost of the presenting campaign's pending rows, if all were approved (default segment's tariff).</summary>
    public required long BudgetPending { get; init; }
    /// <summary>One worker over the funded months (premium × months, per-period tariffs).</summary>
    public required long CostPerWorker { get; init; }
    public required int MonthsFunded { get; init; }
    public required DateOnly CoverageStart { get; init; }
    public required DateOnly SubmissionDeadline { get; init; }

    public required int VillageCount { get; init; }
    public required IReadOnlyList<DistrictCoverage> Districts { get; init; }
    public required IReadOnlyList<MissingVillage> VillagesMissing { get; init; }

    /// <summary>The regency's workforce figure valid on <see cref="AsOf"/> (its source and period; the denominator above).</summary>
    public WorkforceFigure? WorkforceFigure { get; init; }
    /// <summary>Villages on time, late and not sent over the whole regency (<see cref="Reporting.Rates"/>).</summary>
    public ReportingRates? Reporting { get; init; }
    /// <summary>Kecamatan with a workforce figure valid on <see cref="AsOf"/>, highest coverage first (the bar chart's order).</summary>
    public IReadOnlyList<RankedDistrict> Ranking { get; init; } = [];
    /// <summary>One figure per Jakarta date coverage was published on, oldest first (the trend).</summary>
    public IReadOnlyList<CoverageSnapshot> Trend { get; init; } = [];

    /// <summary>Per funder (<see cref="Campaign.Funder"/>, budgets split by cost shares), in <see cref="Funder.All"/> order (issue 13.6).</summary>
    public IReadOnlyList<FunderCoverage> Funders { get; init; } = [];
    /// <summary>Per segment (code order): people active on <see cref="AsOf"/> and starting later.</summary>
    public IReadOnlyList<SegmentCoverage> Segments { get; init; } = [];
    /// <summary>The lapse ahead: one window per <see cref="CoverageCalculator.LapseMonths"/> (1, 3, 6 months), shortest first (issue 13.4).</summary>
    public IReadOnlyList<LapseWindow> Lapse { get; init; } = [];
    /// <summary>A fall of more than one point within 60 days (<see cref="CoverageCalculator.WarningDays"/>), or null.</summary>
    public LapseWarning? LapseWarning { get; init; }

    /// <summary>The figures the daily summary email shows.</summary>
    public DailySummaryMail ToDailySummaryMail(string? summaryLink = null) => new(
        GeneratedAt, Workforce, BaselineCovered, Approved, Pending, CoveragePercent, TargetPercent,
        GapToTarget, GapToTargetRupiah, BudgetCommitted, VillageCount, VillagesMissing.Count, summaryLink)
    {
        Districts = Districts.Select(d => new DistrictSummaryLine(d.Name, d.Approved, d.CoveragePercent, d.Reporting)).ToList(),
        Reporting = Reporting,
        SubmissionDeadline = SubmissionDeadline,
        LapseWarning = LapseWarning,
        ApprovedStartingLater = ApprovedStartingLater,
    };
}

/// <summary>
/// One funder's part (issue 13.3/13.6): <see cref="Approved"/> and <see cref="ApprovedStartingLater"/> are people of the
/// campaigns it funds (<see cref="Campaign.Funder"/>); the budgets (whole rupiah) are its shares (<see cref="Campaign.CostByFunder"/>)
/// of the committed cost (active or starting later), the presenting campaign's pending rows and of the gap to the target.
/// </summary>
public sealed record FunderCoverage(string Code, string Name, long Approved, long ApprovedStartingLater, long BudgetCommitted, long BudgetPending, long BudgetGap);

/// <summary>One segment: code, name, <see cref="Kind"/> "BPU" or "PU" (<see cref="Roster.SegmentKind"/>), people active on the date and approved to start later.</summary>
public sealed record SegmentCoverage(string Code, string Name, string Kind, long Approved, long ApprovedStartingLater);

/// <summary>
/// Enrolments ending in the <see cref="Months"/> months after the summary's date, up to <see cref="Until"/> (inclusive).
/// <see cref="Lapsing"/> = those not renewed by an enrolment already approved (netted per village); <see cref="CoveredAfter"/>
/// and <see cref="PercentAfter"/> = coverage the day after <see cref="Until"/> from what is approved so far (percent null
/// without a figure valid then); <see cref="RenewalBudget"/> = rupiah to renew the lapsing people, estimated with the ending
/// campaign's tariffs per segment over its funded months.
/// </summary>
public sealed record LapseWindow(int Months, DateOnly Until, long Ending, long Lapsing, long CoveredAfter, decimal? PercentAfter, long RenewalBudget,
    IReadOnlyList<LapseDistrict> ByDistrict, IReadOnlyList<LapseFunder> ByFunder);

/// <summary>A kecamatan's lapse in one window (covered/percent null without a workforce figure valid the day after).</summary>
public sealed record LapseDistrict(string Code, string Name, long Ending, long Lapsing, long? CoveredAfter, decimal? PercentAfter);

/// <summary>A funder's lapse in one window: people of its campaigns ending and lapsing, and its share of the renewal budget.</summary>
public sealed record LapseFunder(string Code, string Name, long Ending, long Lapsing, long RenewalBudget);

/// <summary>
/// Coverage would fall from <see cref="PercentNow"/> to <see cref="PercentAfter"/> on <see cref="Date"/> (the first uncovered
/// day) as <see cref="Ending"/> enrolments end before it (issue 13.4: warned from 60 days ahead, for a fall of more than one point).
/// </summary>
public sealed record LapseWarning(DateOnly Date, decimal PercentNow, decimal PercentAfter, long Ending)
{
    /// <summary>
    /// The one Indonesian line the daily mail and the pages show: "Peringatan: cakupan akan turun dari 52,10% menjadi 39,80%
    /// pada 1 November 2025 (4.120 peserta berakhir) bila tidak diperpanjang." Percentages with two decimals as everywhere
    /// else (one decimal would round the rounded figure twice); no NIK.
    /// </summary>
    public string Text =>
        $"Peringatan: cakupan akan turun dari {IndonesianFormat.Percent(PercentNow)} menjadi {IndonesianFormat.Percent(PercentAfter)} " +
        $"pada {IndonesianFormat.Date(Date)} ({IndonesianFormat.Number(Ending)} peserta berakhir) bila tidak diperpanjang.";
}

/// <summary>
/// A kecamatan's figures and its villages. <see cref="CoveragePercent"/> and <see cref="Covered"/> are null without a
/// workforce figure valid on the summary's date (counts only: never a derived denominator).
/// </summary>
public sealed record DistrictCoverage(
    string Code, string Name, int Submitted, int Approved, int Pending, int Rejected, IReadOnlyList<VillageCoverage> Villages)
{
    public WorkforceFigure? WorkforceFigure { get; init; }
    /// <summary>The figure's baseline + approved.</summary>
    public long? Covered { get; init; }
    /// <summary>Covered / workforce × 100, two decimals (<see cref="CoverageCalculator.Percent"/>).</summary>
    public decimal? CoveragePercent { get; init; }
    /// <summary>1 = highest coverage among kecamatan with a figure; null without one.</summary>
    public int? Rank { get; init; }
    public ReportingRates? Reporting { get; init; }
}

/// <summary>A village's figures. <see cref="Kind"/> is "Desa" or "Kelurahan". Percent as for <see cref="DistrictCoverage"/>.</summary>
public sealed record VillageCoverage(string Code, string Name, string Kind, int Submitted, int Approved, int Pending, int Rejected)
{
    public WorkforceFigure? WorkforceFigure { get; init; }
    public long? Covered { get; init; }
    public decimal? CoveragePercent { get; init; }
    /// <summary>On time, late or not sent (DHIS2's reporting: <see cref="Coverage.Reporting"/>).</summary>
    public ReportingStatus Reporting { get; init; } = ReportingStatus.NotSent;
    /// <summary>When its first batch counted as sent arrived (Jakarta offset), null when none.</summary>
    public DateTimeOffset? FirstSentAt { get; init; }
}

/// <summary>A kecamatan in the ranking (the bar chart): rank 1 is the highest percentage.</summary>
public sealed record RankedDistrict(int Rank, string Code, string Name, decimal CoveragePercent, long Covered, long Workforce);

/// <summary>Whether a village sent its roster by the submission deadline (DHIS2's reporting rates).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportingStatus>))]
public enum ReportingStatus { OnTime, Late, NotSent }

/// <summary>
/// Reporting rates of a set of villages: counts, and percentages of <see cref="Expected"/> (two decimals; they add up
/// to 100 within rounding). Expected = every village of the campaign in the set.
/// </summary>
public sealed record ReportingRates(int Expected, int OnTime, int Late, int NotSent, decimal OnTimePercent, decimal LatePercent, decimal NotSentPercent);

/// <summary>
/// The regency's figures on one Jakarta date (the date it was published on, not the clamped <see cref="CoverageSummary.AsOf"/>):
/// one per date, the day's last publication (<c>reports/coverage/daily.json</c>).
/// </summary>
public sealed record CoverageSnapshot(DateOnly Date, long Workforce, long Covered, long Approved, long Pending, decimal CoveragePercent, int VillagesSent);

/// <summary>A village that has not submitted anything yet.</summary>
public sealed record MissingVillage(string Code, string Name, string Kind, string DistrictCode, string DistrictName);

/// <summary>One kecamatan's line in the daily summary mail.</summary>
public sealed record DistrictSummaryLine(string Name, int Approved, decimal? CoveragePercent, ReportingRates? Reporting);
