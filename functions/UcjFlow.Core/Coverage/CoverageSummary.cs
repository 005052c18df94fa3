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
    /// <summary>Enrolments active on <see cref="AsOf"/>.</summary>
    public required long Approved { get; init; }
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
    /// <summary>Cost of the approved enrolments: approved × premium × months, with each month's tariff.</summary>
    public required long BudgetCommitted { get; init; }
    /// <summary>Cost of the pending rows, if all were approved.</summary>
    public required long BudgetPending { get; init; }
    /// <summary>One worker over the funded months (premium × months, per-period tariffs).</summary>
    public required long CostPerWorker { get; init; }
    public required int MonthsFunded { get; init; }
    public required DateOnly CoverageStart { get; init; }
    public required DateOnly SubmissionDeadline { get; init; }

    public required int VillageCount { get; init; }
    public required IReadOnlyList<DistrictCoverage> Districts { get; init; }
    public required IReadOnlyList<MissingVillage> VillagesMissing { get; init; }

    /// <summary>The figures the daily summary email shows.</summary>
    public DailySummaryMail ToDailySummaryMail(string? summaryLink = null) => new(
        GeneratedAt, Workforce, BaselineCovered, Approved, Pending, CoveragePercent, TargetPercent,
        GapToTarget, GapToTargetRupiah, BudgetCommitted, VillageCount, VillagesMissing.Count, summaryLink);
}

/// <summary>A kecamatan's figures and its villages.</summary>
public sealed record DistrictCoverage(
    string Code, string Name, int Submitted, int Approved, int Pending, int Rejected, IReadOnlyList<VillageCoverage> Villages);

/// <summary>A village's figures. <see cref="Kind"/> is "Desa" or "Kelurahan".</summary>
public sealed record VillageCoverage(string Code, string Name, string Kind, int Submitted, int Approved, int Pending, int Rejected);

/// <summary>A village that has not submitted anything yet.</summary>
public sealed record MissingVillage(string Code, string Name, string Kind, string DistrictCode, string DistrictName);
