using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;

namespace UcjFlow.Core.Coverage;

/// <summary>
/// Computes a <see cref="CoverageSummary"/> from a campaign and the registry's per-village tallies: the one calculation
/// behind the page, <c>GET /api/coverage</c>, the published HTML/JSON/CSV/SVG and the daily mail.
/// </summary>
public static class CoverageCalculator
{
    /// <param name="tallies">From <c>IEnrollmentRegistry.GetVillageTalliesAsync(campaign.Id, asOf)</c>; villages absent count as zeros.</param>
    /// <param name="asOf">The Jakarta date the tallies were taken for; also the date workforce figures must be valid on.</param>
    /// <param name="now">The current instant; shown in Jakarta time; its Jakarta date is the trend's date.</param>
    /// <param name="firstSent">Per village, when its first roster counting as sent arrived (<see cref="Reporting.FirstSent"/>); null: none sent.</param>
    /// <param name="storedTrend">The snapshots published before (<see cref="CoverageTrend"/>); this summary's replaces the one of its date.</param>
    public static CoverageSummary Compute(Campaign campaign, IReadOnlyList<VillageTally> tallies, DateOnly asOf, DateTimeOffset now,
        IReadOnlyDictionary<string, DateTimeOffset>? firstSent = null, IReadOnlyList<CoverageSnapshot>? storedTrend = null)
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
                var sentAt = firstSent?.GetValueOrDefault(v.Code) is { } at && at != default ? at : (DateTimeOffset?)null;
                var vc = WithPercent(new VillageCoverage(v.Code, v.Name, v.Kind, t?.Submitted ?? 0, t?.Approved ?? 0, t?.Pending ?? 0, t?.Rejected ?? 0)
                {
                    Reporting = Reporting.StatusOf(sentAt, campaign.SubmissionDeadline),
                    FirstSentAt = sentAt is { } x ? JakartaTime.ToLocal(x) : null,
                }, campaign.WorkforceOn(v.Code, asOf));
                villages.Add(vc);
                if (vc is { Submitted: 0, Approved: 0, Pending: 0, Rejected: 0 })
                    missing.Add(new MissingVillage(v.Code, v.Name, v.Kind, v.DistrictCode, v.DistrictName));
            }
            var district = new DistrictCoverage(group.Key.DistrictCode, group.Key.DistrictName,
                villages.Sum(v => v.Submitted), villages.Sum(v => v.Approved), villages.Sum(v => v.Pending), villages.Sum(v => v.Rejected), villages)
            {
                Reporting = Reporting.Rates(villages.Select(v => v.Reporting)),
            };
            var figure = campaign.WorkforceOn(district.Code, asOf);
            if (figure is not null)
            {
                var districtCovered = figure.BaselineCovered + district.Approved;
                district = district with { WorkforceFigure = figure, Covered = districtCovered, CoveragePercent = Percent(districtCovered, figure.Workforce) };
            }
            districts.Add(district);
        }

        // Highest coverage first; equal percentages share a rank (1, 2, 2, 4), listed by name.
        var ranked = districts.Where(d => d.CoveragePercent is not null)
            .OrderByDescending(d => d.CoveragePercent).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        var ranking = new List<RankedDistrict>(ranked.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            var d = ranked[i];
            var rank = i > 0 && ranked[i - 1].CoveragePercent == d.CoveragePercent ? ranking[i - 1].Rank : i + 1;
            ranking.Add(new RankedDistrict(rank, d.Code, d.Name, d.CoveragePercent!.Value, d.Covered!.Value, d.WorkforceFigure!.Workforce));
        }
        var ranks = ranking.ToDictionary(r => r.Code, r => r.Rank, StringComparer.Ordinal);
        for (var i = 0; i < districts.Count; i++)
            if (ranks.TryGetValue(districts[i].Code, out var r)) districts[i] = districts[i] with { Rank = r };

        // Totals over every tally, including any village outside the campaign list: those people are enrolled and paid for.
        long submitted = byVillage.Values.Sum(t => (long)t.Submitted);
        long approved = byVillage.Values.Sum(t => (long)t.Approved);
        long pending = byVillage.Values.Sum(t => (long)t.Pending);
        long rejected = byVillage.Values.Sum(t => (long)t.Rejected);

        var regency = campaign.WorkforceOn(campaign.RegencyCode, asOf)!;
        var covered = regency.BaselineCovered + approved;
        var targetCovered = (long)Math.Ceiling(regency.Workforce * campaign.TargetPercent / 100m);
        var gap = Math.Max(0, targetCovered - covered);
        var percent = Percent(covered, regency.Workforce)!.Value;
        var reporting = Reporting.Rates(districts.SelectMany(d => d.Villages).Select(v => v.Reporting));

        var today = new CoverageSnapshot(DateOnly.FromDateTime(JakartaTime.ToLocal(now).DateTime), regency.Workforce, covered, approved, pending,
            percent, campaign.Villages.Count - missing.Count);

        return new CoverageSummary
        {
            CampaignId = campaign.Id,
            CampaignName = campaign.Name,
            RegencyCode = campaign.RegencyCode,
            RegencyName = campaign.RegencyName,
            AsOf = asOf,
            GeneratedAt = JakartaTime.ToLocal(now),
            Workforce = regency.Workforce,
            BaselineCovered = regency.BaselineCovered,
            Submitted = submitted,
            Approved = approved,
            Pending = pending,
            Rejected = rejected,
            Covered = covered,
            CoveragePercent = percent,
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
            WorkforceFigure = regency,
            Reporting = reporting,
            Ranking = ranking,
            Trend = CoverageTrend.With(storedTrend ?? [], today),
        };
    }

    /// <summary>part / whole × 100 rounded to two decimals (half away from zero); null when whole is 0 (no denominator).</summary>
    public static decimal? Percent(long part, long whole) =>
        whole <= 0 ? null : Math.Round(part * 100m / whole, 2, MidpointRounding.AwayFromZero);

    static VillageCoverage WithPercent(VillageCoverage v, WorkforceFigure? figure)
    {
        if (figure is null) return v;
        var covered = figure.BaselineCovered + v.Approved;
        return v with { WorkforceFigure = figure, Covered = covered, CoveragePercent = Percent(covered, figure.Workforce) };
    }
}
