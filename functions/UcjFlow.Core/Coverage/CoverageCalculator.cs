using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;

namespace UcjFlow.Core.Coverage;

/// <summary>Computes a <see cref="CoverageSummary"/> from a campaign and the registry's per-village tallies.</summary>
public static class CoverageCalculator
{
    /// <param name="tallies">From <c>IEnrollmentRegistry.GetVillageTalliesAsync(campaign.Id, asOf)</c>; villages absent count as zeros.</param>
    /// <param name="asOf">The Jakarta date the tallies were taken for.</param>
    /// <param name="now">The current instant; shown in Jakarta time.</param>
    public static CoverageSummary Compute(Campaign campaign, IReadOnlyList<VillageTally> tallies, DateOnly asOf, DateTimeOffset now)
    {
        var byVillage = new Dictionary<string, VillageTally>(StringComparer.Ordinal);
        foreach (var t in tallies)
        {
            var code = Regions.RegionCodes.Normalize(t.VillageCode) ?? t.VillageCode;
            // Tolerate one village reported twice: add the figures rather than lose some.
            byVillage[code] = byVillage.TryGetValue(code, out var seen)
                ? new VillageTally(code, seen.Submitted + t.Submitted, seen.Approved + t.Approved, seen.Pending + t.Pending, seen.Rejected + t.Rejected)
                : t with { VillageCode = code };
        }

        var districts = new List<DistrictCoverage>();
        var missing = new List<MissingVillage>();
        foreach (var group in campaign.Villages.GroupBy(v => (v.DistrictCode, v.DistrictName)).OrderBy(g => g.Key.DistrictCode, StringComparer.Ordinal))
        {
            var villages = new List<VillageCoverage>();
            foreach (var v in group.OrderBy(v => v.Code, StringComparer.Ordinal))
            {
                var t = byVillage.GetValueOrDefault(v.Code);
                var vc = new VillageCoverage(v.Code, v.Name, v.Kind, t?.Submitted ?? 0, t?.Approved ?? 0, t?.Pending ?? 0, t?.Rejected ?? 0);
                villages.Add(vc);
                if (vc is { Submitted: 0, Approved: 0, Pending: 0, Rejected: 0 })
                    missing.Add(new MissingVillage(v.Code, v.Name, v.Kind, v.DistrictCode, v.DistrictName));
            }
            districts.Add(new DistrictCoverage(group.Key.DistrictCode, group.Key.DistrictName,
                villages.Sum(v => v.Submitted), villages.Sum(v => v.Approved), villages.Sum(v => v.Pending), villages.Sum(v => v.Rejected), villages));
        }

        // Totals over every tally, including any village outside the campaign list: those people are enrolled and paid for.
        long submitted = byVillage.Values.Sum(t => (long)t.Submitted);
        long approved = byVillage.Values.Sum(t => (long)t.Approved);
        long pending = byVillage.Values.Sum(t => (long)t.Pending);
        long rejected = byVillage.Values.Sum(t => (long)t.Rejected);

        var covered = campaign.BaselineCovered + approved;
        var targetCovered = (long)Math.Ceiling(campaign.Workforce * campaign.TargetPercent / 100m);
        var gap = Math.Max(0, targetCovered - covered);

        return new CoverageSummary
        {
            CampaignId = campaign.Id,
            CampaignName = campaign.Name,
            RegencyCode = campaign.RegencyCode,
            RegencyName = campaign.RegencyName,
            AsOf = asOf,
            GeneratedAt = JakartaTime.ToLocal(now),
            Workforce = campaign.Workforce,
            BaselineCovered = campaign.BaselineCovered,
            Submitted = submitted,
            Approved = approved,
            Pending = pending,
            Rejected = rejected,
            Covered = covered,
            CoveragePercent = Math.Round(covered * 100m / campaign.Workforce, 2, MidpointRounding.AwayFromZero),
            TargetPercent = campaign.TargetPercent,
            TargetCovered = targetCovered,
            GapToTarget = gap,
            GapToTargetRupiah = campaign.CostOf(gap),
            BudgetCommitted = campaign.CostOf(approved),
            BudgetPending = campaign.CostOf(pending),
            CostPerWorker = campaign.CostPerWorker,
            MonthsFunded = campaign.MonthsFunded,
            CoverageStart = campaign.CoverageStart,
            SubmissionDeadline = campaign.SubmissionDeadline,
            VillageCount = campaign.Villages.Count,
            Districts = districts,
            VillagesMissing = missing,
        };
    }
}
