using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;

namespace UcjFlow.Core.Coverage;

/// <summary>
/// Computes a <see cref="CoverageSummary"/> from a campaign and the registry's per-village tallies: the one calculation
/// behind the page, <c>GET /api/coverage</c>, the published HTML/JSON/CSV/SVG and the daily mail.
/// </summary>
public static class CoverageCalculator
{
    /// <summary>The lapse windows: enrolments ending within this many months after the date shown (issue 13.4).</summary>
    public static readonly IReadOnlyList<int> LapseMonths = [1, 3, 6];

    /// <summary>The daily summary warns of a fall this many days ahead at most (issue 13.4)...</summary>
    public const int WarningDays = 60;

    /// <summary>...when coverage would fall by more than this many percentage points.</summary>
    public const decimal WarningFallPoints = 1m;

    /// <summary>How far <see cref="CoverageInputs.Ending"/> looks ahead: beyond any funded period.</summary>
    public const int EndingHorizonYears = 20;

    /// <summary>At most this many days on which enrolments end are checked for the warning (the first ones).</summary>
    const int WarningCandidates = 8;

    /// <summary>
    /// The days <see cref="CoverageInputs.Active"/> must hold: <paramref name="asOf"/>, the day after each lapse window
    /// (<see cref="LapseMonths"/>) and the first uncovered day after each of the first 8 last days within
    /// <see cref="WarningDays"/> (the warning's candidates), ascending and distinct.
    /// </summary>
    /// <param name="ending">The inputs' <see cref="CoverageInputs.Ending"/>.</param>
    public static IReadOnlyList<DateOnly> DaysToRead(DateOnly asOf, IReadOnlyList<EndingCount> ending)
    {
        var days = new SortedSet<DateOnly>(WindowDays(asOf)) { asOf };
        foreach (var d in WarningDaysOf(asOf, ending)) days.Add(d);
        return days.ToList();
    }

    /// <summary>The day after each lapse window (<see cref="LapseMonths"/>): known before the ending counts are read.</summary>
    public static IReadOnlyList<DateOnly> WindowDays(DateOnly asOf) => LapseMonths.Select(m => WindowEnd(asOf, m).AddDays(1)).ToList();

    /// <summary>The last day of the window of <paramref name="months"/> months after <paramref name="asOf"/> (asOf + months).</summary>
    public static DateOnly WindowEnd(DateOnly asOf, int months) => asOf.AddMonths(months);

    static IEnumerable<DateOnly> WarningDaysOf(DateOnly asOf, IReadOnlyList<EndingCount> ending) =>
        ending.Where(e => e.LastDay > asOf && e.LastDay.AddDays(1).DayNumber - asOf.DayNumber <= WarningDays)
            .Select(e => e.LastDay.AddDays(1)).Distinct().Order().Take(WarningCandidates);

    /// <summary>
    /// One campaign on one date from its village tallies (a single-campaign view: each tally's Approved counts as active
    /// people of the default segment on <paramref name="asOf"/>; no lapse ahead). See the other overload.
    /// </summary>
    /// <param name="tallies">From <c>IEnrollmentRegistry.GetVillageTalliesAsync(campaign.Id, asOf)</c>; villages absent count as zeros.</param>
    public static CoverageSummary Compute(Campaign campaign, IReadOnlyList<VillageTally> tallies, DateOnly asOf, DateTimeOffset now,
        IReadOnlyDictionary<string, DateTimeOffset>? firstSent = null, IReadOnlyList<CoverageSnapshot>? storedTrend = null) =>
        Compute(new CoverageInputs
        {
            Presenting = campaign,
            Campaigns = [campaign],
            AsOf = asOf,
            Submissions = tallies,
            Active = new Dictionary<DateOnly, IReadOnlyList<ActiveCount>>
            {
                [asOf] = tallies.Where(t => t.Approved > 0).Select(t => new ActiveCount(campaign.Id, t.VillageCode, campaign.DefaultSegment.Code, t.Approved)).ToList(),
            },
            Ending = null,
        }, now, firstSent, storedTrend);

    /// <summary>
    /// A regency's coverage on <see cref="CoverageInputs.AsOf"/> (issue 13.3): <c>approved</c> = people with an enrolment of any
    /// of the regency's campaigns active that day; <c>covered</c> = the baseline valid that day + approved, per regency,
    /// kecamatan and desa; the workforce and baseline are the figures valid that day (<see cref="WorkforceOn"/>), counts only
    /// where there is none. Submitted, pending, rejected, reporting rates, target gap and the calendar are the presenting
    /// campaign's (the submission round). Also: approved people starting after the date, the breakdown by funder and
    /// segment, budgets split by cost shares, the lapse ahead and the warning of a fall (issue 13.4, 13.6).
    /// </summary>
    /// <param name="now">The current instant; shown in Jakarta time; its Jakarta date is the trend's date.</param>
    /// <param name="firstSent">Per village, when its first roster counting as sent arrived (<see cref="Reporting.FirstSent"/>); null: none sent.</param>
    /// <param name="storedTrend">The snapshots published before (<see cref="CoverageTrend"/>); this summary's replaces the one of its date.</param>
    /// <exception cref="ArgumentException">Active lacks AsOf or, with Ending given, a day of <see cref="DaysToRead"/>.</exception>
    public static CoverageSummary Compute(CoverageInputs inputs, DateTimeOffset now,
        IReadOnlyDictionary<string, DateTimeOffset>? firstSent = null, IReadOnlyList<CoverageSnapshot>? storedTrend = null)
    {
        var campaign = inputs.Presenting;
        var asOf = inputs.AsOf;
        var campaigns = inputs.Campaigns.Contains(campaign) ? inputs.Campaigns : [campaign, .. inputs.Campaigns];
        var byId = campaigns.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var activeNow = ActiveOn(inputs, asOf);

        var byVillage = new Dictionary<string, VillageTally>(StringComparer.Ordinal);
        foreach (var t in inputs.Submissions)
        {
            var code = Norm(t.VillageCode);
            // Tolerate one village reported twice: add the figures rather than lose some.
            byVillage[code] = byVillage.TryGetValue(code, out var seen)
                ? new VillageTally(code, seen.Submitted + t.Submitted, 0, seen.Pending + t.Pending, seen.Rejected + t.Rejected)
                : t with { VillageCode = code, Approved = 0 };
        }
        var activeByVillage = SumBy(activeNow, x => Norm(x.VillageCode));

        // Villages: the presenting campaign's, then any other of the regency's campaigns holds (their people count too).
        var villagesAll = new List<CampaignVillage>(campaign.Villages);
        var known = campaign.Villages.Select(v => v.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var c in campaigns)
            foreach (var v in c.Villages)
                if (known.Add(v.Code)) villagesAll.Add(v);
        var inRoundCodes = campaign.Villages.Select(v => v.Code).ToHashSet(StringComparer.Ordinal);

        var districts = new List<DistrictCoverage>();
        var missing = new List<MissingVillage>();
        foreach (var group in villagesAll.GroupBy(v => (v.DistrictCode, v.DistrictName)).OrderBy(g => g.Key.DistrictCode, StringComparer.Ordinal))
        {
            var villages = new List<VillageCoverage>();
            var reportingOf = new List<ReportingStatus>();
            foreach (var v in group.OrderBy(v => v.Code, StringComparer.Ordinal))
            {
                var t = byVillage.GetValueOrDefault(v.Code);
                var approvedHere = (int)activeByVillage.GetValueOrDefault(v.Code);
                var inRound = inRoundCodes.Contains(v.Code);
                var sentAt = firstSent?.GetValueOrDefault(v.Code) is { } at && at != default ? at : (DateTimeOffset?)null;
                var vc = WithPercent(new VillageCoverage(v.Code, v.Name, v.Kind, t?.Submitted ?? 0, approvedHere, t?.Pending ?? 0, t?.Rejected ?? 0)
                {
                    Reporting = Reporting.StatusOf(sentAt, campaign.SubmissionDeadline),
                    FirstSentAt = sentAt is { } x ? JakartaTime.ToLocal(x) : null,
                }, WorkforceOn(campaigns, v.Code, asOf));
                villages.Add(vc);
                if (!inRound) continue;
                reportingOf.Add(vc.Reporting);
                if (vc is { Submitted: 0, Approved: 0, Pending: 0, Rejected: 0 })
                    missing.Add(new MissingVillage(v.Code, v.Name, v.Kind, v.DistrictCode, v.DistrictName));
            }
            var district = new DistrictCoverage(group.Key.DistrictCode, group.Key.DistrictName,
                villages.Sum(v => v.Submitted), villages.Sum(v => v.Approved), villages.Sum(v => v.Pending), villages.Sum(v => v.Rejected), villages)
            {
                Reporting = reportingOf.Count == 0 ? null : Reporting.Rates(reportingOf),
            };
            var figure = WorkforceOn(campaigns, district.Code, asOf);
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

        // Totals over every tally and active count, including any village outside the village lists: those people are enrolled and paid for.
        long submitted = byVillage.Values.Sum(t => (long)t.Submitted);
        long approved = activeNow.Sum(x => (long)x.Active);
        long pending = byVillage.Values.Sum(t => (long)t.Pending);
        long rejected = byVillage.Values.Sum(t => (long)t.Rejected);

        var regency = WorkforceOn(campaigns, campaign.RegencyCode, asOf)!;
        var covered = regency.BaselineCovered + approved;
        var targetCovered = (long)Math.Ceiling(regency.Workforce * campaign.TargetPercent / 100m);
        var gap = Math.Max(0, targetCovered - covered);
        var percent = Percent(covered, regency.Workforce)!.Value;
        var reporting = Reporting.Rates(districts.SelectMany(d => d.Villages).Where(v => inRoundCodes.Contains(v.Code)).Select(v => v.Reporting));

        // Approved people whose enrolment starts after the date: still active or later (ending ≥ asOf) minus active that day.
        var later = inputs.Ending is null ? [] : StartingLater(inputs.Ending, activeNow, asOf);
        long startingLater = later.Sum(x => (long)x.Active);

        var funders = FunderBreakdown(campaigns, byId, activeNow, later, campaign, pending, gap);
        var segments = SegmentBreakdown(campaigns, byId, activeNow, later);
        var lapse = inputs.Ending is { } ending ? LapseAhead(inputs, ending, campaigns, byId, districts, activeNow, regency) : [];
        var warning = inputs.Ending is { } ends ? Warning(inputs, ends, campaigns, percent, campaign.RegencyCode) : null;

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
            ApprovedStartingLater = startingLater,
            Pending = pending,
            Rejected = rejected,
            Covered = covered,
            CoveragePercent = percent,
            TargetPercent = campaign.TargetPercent,
            TargetCovered = targetCovered,
            GapToTarget = gap,
            GapToTargetRupiah = campaign.CostOf(gap),
            BudgetCommitted = funders.Sum(f => f.BudgetCommitted),
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
            Funders = funders,
            Segments = segments,
            Lapse = lapse,
            LapseWarning = warning,
        };
    }

    /// <summary>
    /// The workforce figure of an area valid on <paramref name="day"/> over a regency's campaigns: the first campaign listing
    /// one valid that day (<see cref="Campaign.WorkforceFigures"/>), else, for the regency, the first campaign's top-level
    /// figure (<see cref="Campaign.WorkforceOn"/>); null for a kecamatan or desa without one (counts only, never derived).
    /// </summary>
    public static WorkforceFigure? WorkforceOn(IReadOnlyList<Campaign> campaigns, string areaCode, DateOnly day)
    {
        foreach (var c in campaigns)
            foreach (var f in c.WorkforceFigures)
                if (f.AreaCode == areaCode && f.Covers(day)) return f;
        return campaigns.Count == 0 ? null : campaigns[0].WorkforceOn(areaCode, day);
    }

    static IReadOnlyList<ActiveCount> ActiveOn(CoverageInputs inputs, DateOnly day) =>
        inputs.Active.TryGetValue(day, out var active) ? active
            : throw new ArgumentException($"No active counts for {day:yyyy-MM-dd} (see DaysToRead).", nameof(inputs));

    static string Norm(string villageCode) => Regions.RegionCodes.Normalize(villageCode) ?? villageCode;

    static Dictionary<TKey, long> SumBy<TKey>(IEnumerable<ActiveCount> rows, Func<ActiveCount, TKey> key) where TKey : notnull
    {
        var sums = new Dictionary<TKey, long>();
        foreach (var x in rows) sums[key(x)] = sums.GetValueOrDefault(key(x)) + x.Active;
        return sums;
    }

    /// <summary>Per campaign, village and segment: enrolments with a last day ≥ asOf minus those active on asOf (≥ 0).</summary>
    static List<ActiveCount> StartingLater(IReadOnlyList<EndingCount> ending, IReadOnlyList<ActiveCount> activeNow, DateOnly asOf)
    {
        var stillOrLater = new Dictionary<(string, string, string), long>();
        foreach (var e in ending)
            if (e.LastDay >= asOf)
            {
                var k = (e.CampaignId, Norm(e.VillageCode), e.SegmentCode);
                stillOrLater[k] = stillOrLater.GetValueOrDefault(k) + e.Count;
            }
        foreach (var x in activeNow)
        {
            var k = (x.CampaignId, Norm(x.VillageCode), x.SegmentCode);
            if (stillOrLater.ContainsKey(k)) stillOrLater[k] -= x.Active;
        }
        return stillOrLater.Where(kv => kv.Value > 0)
            .Select(kv => new ActiveCount(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, (int)kv.Value)).ToList();
    }

    static void AddShares(Dictionary<Funder, long> into, IReadOnlyList<(Funder Funder, long Rupiah)> parts)
    {
        foreach (var (f, rp) in parts) into[f] = into.GetValueOrDefault(f) + rp;
    }

    static List<FunderCoverage> FunderBreakdown(IReadOnlyList<Campaign> campaigns, Dictionary<string, Campaign> byId,
        IReadOnlyList<ActiveCount> activeNow, IReadOnlyList<ActiveCount> later, Campaign presenting, long pending, long gap)
    {
        var people = new Dictionary<Funder, long>();
        var laterPeople = new Dictionary<Funder, long>();
        var committed = new Dictionary<Funder, long>();
        var pendingRp = new Dictionary<Funder, long>();
        var gapRp = new Dictionary<Funder, long>();
        foreach (var (rows, counts) in new[] { (activeNow, people), (later, laterPeople) })
            foreach (var g in rows.GroupBy(x => (x.CampaignId, x.SegmentCode)))
            {
                if (!byId.TryGetValue(g.Key.CampaignId, out var c)) continue;
                var n = g.Sum(x => (long)x.Active);
                counts[c.Funder] = counts.GetValueOrDefault(c.Funder) + n;
                AddShares(committed, c.CostByFunder(SegmentOf(c, g.Key.SegmentCode), n));
            }
        AddShares(pendingRp, presenting.CostByFunder(null, pending));
        AddShares(gapRp, presenting.CostByFunder(null, gap));
        var funders = campaigns.Select(c => c.Funder).Concat(committed.Keys).Concat(pendingRp.Keys).ToHashSet();
        return Funder.All.Where(funders.Contains).Select(f => new FunderCoverage(f.Code, f.Name,
            people.GetValueOrDefault(f), laterPeople.GetValueOrDefault(f),
            committed.GetValueOrDefault(f), pendingRp.GetValueOrDefault(f), gapRp.GetValueOrDefault(f))).ToList();
    }

    /// <summary>The segment code to price with: the campaign's segment of that code, else its default (null).</summary>
    static string? SegmentOf(Campaign c, string segmentCode) =>
        c.Segments.Any(s => s.Code == segmentCode) ? segmentCode : null;

    static List<SegmentCoverage> SegmentBreakdown(IReadOnlyList<Campaign> campaigns, Dictionary<string, Campaign> byId,
        IReadOnlyList<ActiveCount> activeNow, IReadOnlyList<ActiveCount> later)
    {
        var now = SumBy(activeNow, x => x.SegmentCode);
        var soon = SumBy(later, x => x.SegmentCode);
        var codes = campaigns.SelectMany(c => c.Segments).Select(s => s.Code).Concat(now.Keys).Concat(soon.Keys).Distinct().ToList();
        return codes.Select(code =>
        {
            var segment = campaigns.SelectMany(c => c.Segments).FirstOrDefault(s => s.Code == code);
            return new SegmentCoverage(code, segment?.Name ?? code, segment?.Kind == Roster.SegmentKind.Pu ? "PU" : "BPU", now.GetValueOrDefault(code), soon.GetValueOrDefault(code));
        }).Where(s => s.Approved > 0 || s.ApprovedStartingLater > 0 || campaigns.Any(c => c.Segments.Any(x => x.Code == s.Code)))
          .OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The lapse ahead (issue 13.4) for each of <see cref="LapseMonths"/>: enrolments ending in (asOf, asOf + months]; the
    /// coverage on the next day from the enrolments approved so far (a renewal already approved keeps its person covered);
    /// per village, those ending less the net newcomers there by then (a person is renewed in their village; the registry's
    /// tallies carry no NIK) are the ones lapsing; the renewal
    /// budget prices them with the ending campaign's tariffs per segment over its funded months (an estimate: the renewing
    /// campaign's tariffs are not known yet), split by its cost shares.
    /// </summary>
    static List<LapseWindow> LapseAhead(CoverageInputs inputs, IReadOnlyList<EndingCount> endingCounts, IReadOnlyList<Campaign> campaigns, Dictionary<string, Campaign> byId,
        IReadOnlyList<DistrictCoverage> districts, IReadOnlyList<ActiveCount> activeNow, WorkforceFigure regencyNow)
    {
        var windows = new List<LapseWindow>();
        var nowByVillage = SumBy(activeNow, x => Norm(x.VillageCode));
        foreach (var months in LapseMonths)
        {
            var until = WindowEnd(inputs.AsOf, months);
            var after = until.AddDays(1);
            var activeAfter = ActiveOn(inputs, after);
            var afterByVillage = SumBy(activeAfter, x => Norm(x.VillageCode));
            var ending = endingCounts.Where(e => e.LastDay > inputs.AsOf && e.LastDay <= until)
                .GroupBy(e => (e.CampaignId, Village: Norm(e.VillageCode), e.SegmentCode))
                .Select(g => (g.Key.CampaignId, g.Key.Village, g.Key.SegmentCode, Count: g.Sum(e => (long)e.Count)))
                .OrderBy(e => e.CampaignId, StringComparer.Ordinal).ThenBy(e => e.SegmentCode, StringComparer.Ordinal).ToList();
            // Lapsing per village: those ending, less the net newcomers there by the day after (renewals already approved,
            // whatever their segment: a renewal may change it). The renewed are taken off the ending groups in order.
            var renewedLeft = ending.GroupBy(e => e.Village).ToDictionary(g => g.Key, g =>
            {
                var count = g.Sum(e => e.Count);
                return count - Math.Min(count, Math.Max(0, nowByVillage.GetValueOrDefault(g.Key) - afterByVillage.GetValueOrDefault(g.Key)));
            });
            var lapsing = new List<(Campaign? Campaign, string Village, string Segment, long Ending, long Lapsing)>();
            foreach (var e in ending)
            {
                var renewed = Math.Min(e.Count, renewedLeft[e.Village]);
                renewedLeft[e.Village] -= renewed;
                lapsing.Add((byId.GetValueOrDefault(e.CampaignId), e.Village, e.SegmentCode, e.Count, e.Count - renewed));
            }

            var budget = new Dictionary<Funder, long>();
            var endingByFunder = new Dictionary<Funder, (long Ending, long Lapsing)>();
            foreach (var l in lapsing)
            {
                if (l.Campaign is not { } c) continue;
                var f = endingByFunder.GetValueOrDefault(c.Funder);
                endingByFunder[c.Funder] = (f.Ending + l.Ending, f.Lapsing + l.Lapsing);
                if (l.Lapsing > 0)
                {
                    // Shares of the ending campaign's funders; a funder may appear only through shares.
                    foreach (var (funder, rp) in c.CostByFunder(SegmentOf(c, l.Segment), l.Lapsing))
                    {
                        budget[funder] = budget.GetValueOrDefault(funder) + rp;
                        if (!endingByFunder.ContainsKey(funder)) endingByFunder[funder] = (0, 0);
                    }
                }
            }

            var regencyAfter = WorkforceOn(campaigns, regencyNow.AreaCode, after)!;
            long approvedAfter = activeAfter.Sum(x => (long)x.Active);
            var coveredAfter = regencyAfter.BaselineCovered + approvedAfter;
            var byDistrict = districts.Select(d =>
            {
                var codes = d.Villages.Select(v => v.Code).ToHashSet(StringComparer.Ordinal);
                var end = lapsing.Where(l => codes.Contains(l.Village)).ToList();
                var figure = WorkforceOn(campaigns, d.Code, after);
                long activeD = d.Villages.Sum(v => afterByVillage.GetValueOrDefault(v.Code));
                long? cov = figure is null ? null : figure.BaselineCovered + activeD;
                return new LapseDistrict(d.Code, d.Name, end.Sum(l => l.Ending), end.Sum(l => l.Lapsing), cov,
                    figure is null ? null : Percent(cov!.Value, figure.Workforce));
            }).ToList();
            var byFunder = Funder.All.Where(endingByFunder.ContainsKey).Select(f => new LapseFunder(f.Code, f.Name,
                endingByFunder[f].Ending, endingByFunder[f].Lapsing, budget.GetValueOrDefault(f))).ToList();
            windows.Add(new LapseWindow(months, until, lapsing.Sum(l => l.Ending), lapsing.Sum(l => l.Lapsing), coveredAfter,
                Percent(coveredAfter, regencyAfter.Workforce), budget.Values.Sum(), byDistrict, byFunder));
        }
        return windows;
    }

    /// <summary>
    /// The first day within <see cref="WarningDays"/> after the date on which coverage, from the enrolments approved so far,
    /// would be more than <see cref="WarningFallPoints"/> points below the date's; null when there is none.
    /// </summary>
    static LapseWarning? Warning(CoverageInputs inputs, IReadOnlyList<EndingCount> ending, IReadOnlyList<Campaign> campaigns, decimal percentNow, string regencyCode)
    {
        foreach (var day in WarningDaysOf(inputs.AsOf, ending))
        {
            var active = ActiveOn(inputs, day);
            var figure = WorkforceOn(campaigns, regencyCode, day)!;
            var percent = Percent(figure.BaselineCovered + active.Sum(x => (long)x.Active), figure.Workforce)!.Value;
            if (percentNow - percent > WarningFallPoints)
                return new LapseWarning(day, percentNow, percent,
                    ending.Where(e => e.LastDay > inputs.AsOf && e.LastDay < day).Sum(e => (long)e.Count));
        }
        return null;
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
