using UcjFlow.Core.Roster;

namespace UcjFlow.Core.Campaigns;

/// <summary>
/// One regency's enrolment campaign for one budget year ("Sarolangun 2024 P-APBD"), as loaded and validated by
/// <see cref="CampaignLoader"/>. Money is whole rupiah in <see cref="long"/>; local dates are Asia/Jakarta.
/// </summary>
public sealed record Campaign
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Dotted Kemendagri code, "15.03".</summary>
    public required string RegencyCode { get; init; }
    /// <summary>"Kabupaten Sarolangun".</summary>
    public required string RegencyName { get; init; }
    /// <summary>Who pays the premiums (campaign file: <c>funder</c>; default <see cref="Funder.Apbd"/>).</summary>
    public Funder Funder { get; init; } = Funder.Apbd;
    /// <summary>
    /// How each premium is split between funders over periods (campaign file: <c>costShares</c>); empty: the whole premium
    /// is <see cref="Funder"/>'s. On every funded day the shares in force add up to 100 (checked by <see cref="CampaignLoader"/>).
    /// </summary>
    public IReadOnlyList<CostShare> CostShares { get; init; } = [];
    /// <summary>The campaign this one renews (campaign file: <c>renewsFrom</c>): its villages' people whose coverage ends are offered for renewal.</summary>
    public string? RenewsFrom { get; init; }
    /// <summary>The denominator of coverage: the regency's workforce.</summary>
    public required long Workforce { get; init; }
    /// <summary>Participants already covered before the campaign.</summary>
    public required long BaselineCovered { get; init; }
    /// <summary>Where <see cref="Workforce"/> and <see cref="BaselineCovered"/> come from (campaign file: <c>workforceSource</c>, optional).</summary>
    public string? WorkforceSource { get; init; }
    /// <summary>
    /// Workforce figures per area (regency, kecamatan or desa, dotted code) with their source and validity period
    /// (campaign file: <c>workforceFigures</c>); never overlapping for one area. Empty when the file has none.
    /// </summary>
    public IReadOnlyList<WorkforceFigure> WorkforceFigures { get; init; } = [];
    /// <summary>Coverage target in percent (65 for 65%).</summary>
    public required decimal TargetPercent { get; init; }
    /// <summary>
    /// Monthly premium per worker, by period and segment; sorted by <see cref="TariffPeriod.From"/>. For one segment the
    /// periods applying to it never overlap (a period naming segments takes the place of an all-segment one for them).
    /// </summary>
    public required IReadOnlyList<TariffPeriod> Tariffs { get; init; }
    /// <summary>First day of coverage (2024-11-01).</summary>
    public required DateOnly CoverageStart { get; init; }
    public required int MonthsFunded { get; init; }
    /// <summary>Last local day (Asia/Jakarta) on which villages may submit.</summary>
    public required DateOnly SubmissionDeadline { get; init; }
    /// <summary>Days before the deadline at which late villages are reminded (0 = on the day), descending.</summary>
    public required IReadOnlyList<int> ReminderOffsetsDays { get; init; }
    public required TimeSpan ApprovalReminderInterval { get; init; }
    /// <summary>After this many approval reminders without a decision, the leadership is told.</summary>
    public required int EscalateAfterReminders { get; init; }
    /// <summary>
    /// Longest a batch waits for a decision before it ends Expired (campaign file: <c>approvalExpiryDays</c>, optional, ≥ 1).
    /// Null: a batch waits until the coverage start at most. The rule combining both is <c>ApprovalPlan.ExpiresAt</c> (Workflow).
    /// </summary>
    public TimeSpan? ApprovalWaitLimit { get; init; }
    public required IReadOnlyList<string> CoordinatorEmails { get; init; }
    public required IReadOnlyList<string> LeadershipEmails { get; init; }
    /// <summary>Local time (WIB) of the daily coverage summary.</summary>
    public required TimeOnly DailySummaryTime { get; init; }
    public required int MinAge { get; init; }
    public required int MaxAge { get; init; }
    /// <summary>Funded segments; exactly one has <see cref="Segment.IsDefault"/>.</summary>
    public required IReadOnlyList<Segment> Segments { get; init; }
    /// <summary>Full path of the DTKS/P3KE reference list, when the campaign has one.</summary>
    public string? ReferenceListPath { get; init; }
    /// <summary>Every village of the campaign, in code order.</summary>
    public required IReadOnlyList<CampaignVillage> Villages { get; init; }

    /// <summary>The last day of funded coverage.</summary>
    public DateOnly CoverageEnd => CoverageStart.AddMonths(MonthsFunded).AddDays(-1);

    public Segment DefaultSegment => Segments.First(s => s.IsDefault);

    /// <summary>The first day of each funded month: coverage start, then +1 month, ...</summary>
    public IEnumerable<DateOnly> FundedMonths => Enumerable.Range(0, MonthsFunded).Select(CoverageStart.AddMonths);

    /// <summary>
    /// The tariff in force on <paramref name="day"/> for a segment (null: the default segment), or null when no period
    /// covers it. A period naming the segment wins over one for all segments.
    /// </summary>
    public TariffPeriod? TariffOn(DateOnly day, string? segmentCode = null)
    {
        segmentCode ??= DefaultSegment.Code;
        return Tariffs.FirstOrDefault(t => t.Segments is not null && t.AppliesTo(segmentCode) && t.Covers(day))
               ?? Tariffs.FirstOrDefault(t => t.Segments is null && t.Covers(day));
    }

    /// <summary>
    /// What one worker of the default segment costs over the funded months, in rupiah: month by month, the premium of the
    /// tariff in force on the first day of that month (so a mid-year change applies from the month it takes effect).
    /// </summary>
    public long CostPerWorker => CostPerWorkerOf(null);

    /// <summary>What one worker of a segment (null: the default) costs over the funded months, in rupiah.</summary>
    /// <exception cref="InvalidOperationException">no tariff covers a funded month (the loader refuses such a file).</exception>
    public long CostPerWorkerOf(string? segmentCode) =>
        FundedMonths.Sum(m => (TariffOn(m, segmentCode) ?? throw new InvalidOperationException($"No tariff in force on {m:yyyy-MM-dd}.")).Premium);

    /// <summary>Cost of enrolling <paramref name="workers"/> of the default segment for the funded months (valid rows × premium × months), in rupiah.</summary>
    public long CostOf(long workers) => checked(workers * CostPerWorker);

    /// <summary>Cost of enrolling <paramref name="workers"/> of one segment for the funded months, in rupiah.</summary>
    public long CostOf(string? segmentCode, long workers) => checked(workers * CostPerWorkerOf(segmentCode));

    /// <summary>
    /// A cost split between the funders paying it (issue 13.6): month by month over the funded months, each funded month's
    /// premium divided by the shares in force on its first day; rounding goes to the campaign's own funder so the parts add
    /// up to <c>CostOf(segmentCode, workers)</c>. One entry per funder with a share, in the order of <see cref="Funder.All"/>.
    /// </summary>
    public IReadOnlyList<(Funder Funder, long Rupiah)> CostByFunder(string? segmentCode, long workers)
    {
        var parts = new Dictionary<Funder, long>();
        foreach (var month in FundedMonths)
        {
            var premium = checked(workers * (TariffOn(month, segmentCode)?.Premium ?? 0));
            var shares = CostShares.Where(s => s.Covers(month)).ToList();
            if (shares.Count == 0) { parts[Funder] = parts.GetValueOrDefault(Funder) + premium; continue; }
            long given = 0;
            foreach (var share in shares)
            {
                var part = (long)Math.Floor(premium * share.Percent / 100m);
                parts[share.Funder] = parts.GetValueOrDefault(share.Funder) + part;
                given += part;
            }
            if (premium - given != 0) parts[Funder] = parts.GetValueOrDefault(Funder) + (premium - given);
        }
        return Funder.All.Where(parts.ContainsKey).Select(f => (f, parts[f])).ToList();
    }

    /// <summary>
    /// The workforce figure of an area valid on <paramref name="day"/>, or null (no figure: show counts only, never a
    /// derived denominator). For the regency, a listed figure valid that day wins over the top-level
    /// <see cref="Workforce"/>/<see cref="BaselineCovered"/>, which stand for the regency whenever no listed one does.
    /// </summary>
    /// <param name="areaCode">Dotted Kemendagri code of the regency, a kecamatan or a desa.</param>
    public WorkforceFigure? WorkforceOn(string areaCode, DateOnly day)
    {
        foreach (var f in WorkforceFigures)
            if (f.AreaCode == areaCode && f.Covers(day)) return f;
        return areaCode == RegencyCode
            ? new WorkforceFigure(RegencyCode, Workforce, BaselineCovered, WorkforceSource ?? WorkforceFigure.CampaignFileSource, null, null)
            : null;
    }

    /// <summary>The campaign village with this code (dotted or digits only), or null.</summary>
    public CampaignVillage? Village(string code)
    {
        var dotted = Regions.RegionCodes.Normalize(code);
        return dotted is null ? null : Villages.FirstOrDefault(v => v.Code == dotted);
    }
}

/// <summary>
/// A tariff valid from <see cref="From"/> to <see cref="To"/> (inclusive; open-ended when null), for the listed
/// <see cref="Segments"/> (codes; null: every segment). Premium = JKK + JKM in rupiah per month: rates change by regulation
/// (e.g. a 2025 regulation's BPU relief by sector and period), so they are data per period and segment.
/// </summary>
public sealed record TariffPeriod(DateOnly From, DateOnly? To, long Jkk, long Jkm, IReadOnlyList<string>? Segments = null)
{
    /// <summary>Monthly premium per worker in rupiah.</summary>
    public long Premium => Jkk + Jkm;

    public bool Covers(DateOnly day) => day >= From && (To is null || day <= To.Value);

    public bool AppliesTo(string segmentCode) => Segments is null || Segments.Contains(segmentCode, StringComparer.Ordinal);
}

/// <summary>
/// A workforce figure (the denominator of coverage) of one area: the regency, a kecamatan or a desa, with the people
/// already covered there before the campaign, where the figures come from, and the days it is valid for
/// (inclusive; open-ended when null). One shape for all three levels (issue 10.4; issue 13 keeps them per period).
/// </summary>
/// <param name="AreaCode">Dotted Kemendagri code: "15.03", "15.03.01" or "15.03.01.2001".</param>
/// <param name="Workforce">People of working age in work in the area (&gt; 0).</param>
/// <param name="BaselineCovered">Of them, already BPJS Ketenagakerjaan participants before the campaign (0..Workforce).</param>
/// <param name="Source">Where the figures come from, as shown to readers ("BPS, Sakernas Agustus 2023").</param>
public sealed record WorkforceFigure(string AreaCode, long Workforce, long BaselineCovered, string Source, DateOnly? ValidFrom, DateOnly? ValidTo)
{
    /// <summary>The source shown for the top-level regency figure when the file names none.</summary>
    public const string CampaignFileSource = "berkas kampanye";

    public bool Covers(DateOnly day) => (ValidFrom is null || day >= ValidFrom.Value) && (ValidTo is null || day <= ValidTo.Value);
}

/// <summary>
/// A desa or kelurahan in the campaign, with its district, optional PIC email, and optional PIC mobile phone in E.164
/// ("+6281234567890", normalised by <see cref="IndonesianPhone"/>) for WhatsApp and the text gateway.
/// </summary>
public sealed record CampaignVillage(string Code, string Name, string Kind, string DistrictCode, string DistrictName, string? PicEmail, string? PicPhone = null);
