using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using UcjFlow.Core.Regions;
using UcjFlow.Core.Roster;

namespace UcjFlow.Core.Campaigns;

/// <summary>The campaign file cannot be used. <see cref="Problems"/> lists every problem found, one sentence each.</summary>
public sealed class CampaignConfigException(string source, IReadOnlyList<string> problems)
    : Exception($"Campaign file {source} is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
                + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p)))
{
    public string FileName { get; } = source;
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads and validates a campaign file. An invalid file is refused with every problem listed (an operator fixes
/// them in one go at start-up, not one per restart). Villages default to every desa/kelurahan of the regency;
/// the file's <c>villages</c> list only adds PIC emails and phones (<c>picPhone</c>, see <see cref="IndonesianPhone"/>).
/// </summary>
public static class CampaignLoader
{
    /// <summary>Loads a campaign file; a relative <c>referenceList</c> is resolved against the file's folder.</summary>
    /// <exception cref="CampaignConfigException">the file is missing, not JSON, or has problems.</exception>
    public static Campaign LoadFile(string path, RegionCodes? regions = null)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CampaignConfigException(path, [$"cannot read the file: {e.Message}"]);
        }
        return Parse(json, regions, Path.GetDirectoryName(Path.GetFullPath(path)), path);
    }

    /// <summary>Parses campaign JSON. <paramref name="baseDirectory"/> resolves a relative reference list path.</summary>
    /// <exception cref="CampaignConfigException">the JSON is malformed or has problems.</exception>
    public static Campaign Parse(string json, RegionCodes? regions = null, string? baseDirectory = null, string source = "(campaign)")
    {
        var (campaign, problems) = Validate(json, regions, baseDirectory);
        return campaign ?? throw new CampaignConfigException(source, problems);
    }

    /// <summary>The campaign, or null with every problem found.</summary>
    public static (Campaign? Campaign, IReadOnlyList<string> Problems) Validate(string json, RegionCodes? regions = null, string? baseDirectory = null)
    {
        regions ??= RegionCodes.Default;
        CampaignFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, CampaignFileJsonContext.Default.CampaignFile);
        }
        catch (JsonException e)
        {
            // Syntax and type errors stop the parser: this is the one case where only the first problem can be named.
            var where = e.Path is null ? "" : $" at {e.Path.TrimStart('$', '.')}";
            var line = e.LineNumber is null ? "" : $" (line {e.LineNumber + 1})";
            return (null, [$"not valid campaign JSON{where}{line}: {FirstSentence(e.Message)}"]);
        }
        if (file is null) return (null, ["the file is empty (null)"]);
        var p = new Problems();
        var c = Build(file, regions, baseDirectory, p);
        return p.List.Count == 0 ? (c, []) : (null, p.List);
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    private sealed class Problems
    {
        public List<string> List { get; } = [];
        public void Add(string problem) => List.Add(problem);
        public void Unknown(string where, Dictionary<string, JsonElement>? extra)
        {
            if (extra is null) return;
            foreach (var key in extra.Keys) Add($"{where}{key}: unknown setting");
        }
    }

    private static Campaign? Build(CampaignFile f, RegionCodes regions, string? baseDirectory, Problems p)
    {
        p.Unknown("", f.Extra);

        var id = f.Id?.Trim();
        if (string.IsNullOrEmpty(id)) p.Add("id is missing");
        else if (!IsCampaignId(id))
            p.Add($"id '{id}' must use only lowercase letters, digits and '-'");

        var name = f.Name?.Trim();
        if (string.IsNullOrEmpty(name)) p.Add("name is missing");

        Region? regency = null;
        if (string.IsNullOrWhiteSpace(f.Regency)) p.Add("regency is missing");
        else
        {
            var code = RegionCodes.Normalize(f.Regency);
            regency = code is null ? null : regions.Regency(code);
            if (regency is null) p.Add($"regency '{f.Regency}' is not a regency/city code (like 15.03)");
        }

        var funder = Funder.Apbd;
        if (f.Funder is not null)
        {
            if (Funder.Parse(f.Funder) is { } named) funder = named;
            else p.Add($"funder '{f.Funder}' is not one of {string.Join(", ", Funder.All.Select(x => x.Code))}");
        }
        var renewsFrom = f.RenewsFrom?.Trim();
        if (f.RenewsFrom is not null && (renewsFrom!.Length == 0 || !IsCampaignId(renewsFrom)))
            p.Add($"renewsFrom '{f.RenewsFrom}' is not a campaign id (lowercase letters, digits and '-')");

        if (f.Workforce is null) p.Add("workforce is missing");
        else if (f.Workforce <= 0) p.Add($"workforce must be > 0 (is {f.Workforce})");

        if (f.BaselineCovered is null) p.Add("baselineCovered is missing");
        else if (f.BaselineCovered < 0) p.Add($"baselineCovered must be >= 0 (is {f.BaselineCovered})");
        else if (f.Workforce > 0 && f.BaselineCovered > f.Workforce)
            p.Add($"baselineCovered ({f.BaselineCovered}) must not exceed workforce ({f.Workforce})");

        if (f.TargetPercent is null) p.Add("targetPercent is missing");
        else if (f.TargetPercent is < 0 or > 100) p.Add($"targetPercent must be between 0 and 100 (is {f.TargetPercent.Value.ToString(CultureInfo.InvariantCulture)})");

        var coverageStart = Date(f.CoverageStart, "coverageStart", p);
        if (f.MonthsFunded is null) p.Add("monthsFunded is missing");
        else if (f.MonthsFunded is < 1 or > 60) p.Add($"monthsFunded must be between 1 and 60 (is {f.MonthsFunded})");
        var deadline = Date(f.SubmissionDeadline, "submissionDeadline", p);
        if (deadline is not null && coverageStart is not null && deadline > coverageStart)
            p.Add($"submissionDeadline {deadline:yyyy-MM-dd} is after coverageStart {coverageStart:yyyy-MM-dd}");

        var segments = Segments(f.Segments, p);
        var tariffs = Tariffs(f.Tariffs, segments, p);
        if (tariffs is not null && coverageStart is not null && f.MonthsFunded is >= 1 and <= 60)
        {
            // Without segment-specific periods one list of uncovered months; with them, the months each segment lacks.
            var scopes = tariffs.Any(t => t.Segments is not null) ? segments.Select(x => (string?)x.Code).ToList() : [null];
            foreach (var scope in scopes)
                for (var i = 0; i < f.MonthsFunded; i++)
                {
                    var month = coverageStart.Value.AddMonths(i);
                    if (!tariffs.Any(t => (scope is null || t.AppliesTo(scope)) && t.Covers(month)))
                        p.Add(scope is null
                            ? $"no tariff period covers funded month {month:yyyy-MM} (month {i + 1} of {f.MonthsFunded})"
                            : $"no tariff period covers funded month {month:yyyy-MM} (month {i + 1} of {f.MonthsFunded}) for segment {scope}");
                }
        }
        var shares = coverageStart is not null && f.MonthsFunded is >= 1 and <= 60
            ? CostShares(f.CostShares, funder, coverageStart.Value, f.MonthsFunded.Value, p) : [];

        var offsets = f.ReminderOffsetsDays ?? [7, 3, 1, 0];
        foreach (var o in offsets)
            if (o < 0) p.Add($"reminderOffsetsDays: {o} must be >= 0 (days before the deadline)");
        foreach (var dup in offsets.GroupBy(o => o).Where(g => g.Count() > 1))
            p.Add($"reminderOffsetsDays: {dup.Key} is listed twice");

        if (f.ApprovalReminderIntervalDays is null) p.Add("approvalReminderIntervalDays is missing");
        else if (f.ApprovalReminderIntervalDays < 1) p.Add($"approvalReminderIntervalDays must be >= 1 (is {f.ApprovalReminderIntervalDays})");
        if (f.EscalateAfterReminders is null) p.Add("escalateAfterReminders is missing");
        else if (f.EscalateAfterReminders < 1) p.Add($"escalateAfterReminders must be >= 1 (is {f.EscalateAfterReminders})");
        if (f.ApprovalExpiryDays < 1) p.Add($"approvalExpiryDays must be >= 1 (is {f.ApprovalExpiryDays}); leave it out to wait until the coverage start");

        var coordinators = Emails(f.CoordinatorEmails, "coordinatorEmails", p);
        var leadership = Emails(f.LeadershipEmails, "leadershipEmails", p);

        TimeOnly summaryTime = default;
        if (string.IsNullOrWhiteSpace(f.DailySummaryTime)) p.Add("dailySummaryTime is missing");
        else if (!TimeOnly.TryParseExact(f.DailySummaryTime.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out summaryTime))
            p.Add($"dailySummaryTime '{f.DailySummaryTime}' is not a time like 07:00");

        p.Unknown("ageRange.", f.AgeRange?.Extra);
        var minAge = f.AgeRange?.Min ?? CampaignDefaults.MinAge;
        var maxAge = f.AgeRange?.Max ?? CampaignDefaults.MaxAge;
        if (minAge < 0) p.Add($"ageRange.min must be >= 0 (is {minAge})");
        if (maxAge > 120) p.Add($"ageRange.max must be <= 120 (is {maxAge})");
        if (minAge > maxAge) p.Add($"ageRange.min ({minAge}) must not exceed ageRange.max ({maxAge})");

        string? reference = null;
        if (!string.IsNullOrWhiteSpace(f.ReferenceList))
        {
            reference = Path.GetFullPath(f.ReferenceList, baseDirectory ?? Directory.GetCurrentDirectory());
            if (!File.Exists(reference)) p.Add($"referenceList '{f.ReferenceList}' does not exist");
        }

        var villages = regency is null ? null : Villages(f.Villages, regency, regions, p);
        if (f.WorkforceSource is not null && string.IsNullOrWhiteSpace(f.WorkforceSource))
            p.Add("workforceSource is empty (name where the regency's workforce comes from, or leave it out)");
        var figures = regency is null ? [] : WorkforceFigures(f.WorkforceFigures, regency, regions, p);

        if (p.List.Count > 0) return null;
        return new Campaign
        {
            Id = id!,
            Name = name!,
            RegencyCode = regency!.Code,
            RegencyName = regency.Name,
            Funder = funder,
            CostShares = shares,
            RenewsFrom = renewsFrom,
            Workforce = f.Workforce!.Value,
            BaselineCovered = f.BaselineCovered!.Value,
            WorkforceSource = f.WorkforceSource?.Trim(),
            WorkforceFigures = figures,
            TargetPercent = f.TargetPercent!.Value,
            Tariffs = tariffs!,
            CoverageStart = coverageStart!.Value,
            MonthsFunded = f.MonthsFunded!.Value,
            SubmissionDeadline = deadline!.Value,
            ReminderOffsetsDays = offsets.OrderDescending().ToArray(),
            ApprovalReminderInterval = TimeSpan.FromDays(f.ApprovalReminderIntervalDays!.Value),
            EscalateAfterReminders = f.EscalateAfterReminders!.Value,
            ApprovalWaitLimit = f.ApprovalExpiryDays is { } days ? TimeSpan.FromDays(days) : null,
            CoordinatorEmails = coordinators,
            LeadershipEmails = leadership,
            DailySummaryTime = summaryTime,
            MinAge = minAge,
            MaxAge = maxAge,
            Segments = segments,
            ReferenceListPath = reference,
            Villages = villages!,
        };
    }

    private static DateOnly? Date(string? text, string what, Problems p, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) p.Add($"{what} is missing");
            return null;
        }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        p.Add($"{what} {text} is not a date (expected yyyy-MM-dd)");
        return null;
    }

    private static List<TariffPeriod>? Tariffs(List<TariffFile?>? files, IReadOnlyList<Segment> segments, Problems p)
    {
        if (files is null || files.Count == 0)
        {
            p.Add("tariffs: at least one tariff period {from, to?, jkk, jkm} is required");
            return null;
        }
        var list = new List<TariffPeriod>();
        var ok = true;
        for (var i = 0; i < files.Count; i++)
        {
            var t = files[i];
            var at = $"tariffs[{i}]";
            if (t is null) { p.Add($"{at} is null"); ok = false; continue; }
            p.Unknown(at + ".", t.Extra);
            var from = Date(t.From, at + ".from", p);
            var to = Date(t.To, at + ".to", p, required: false);
            if (!string.IsNullOrWhiteSpace(t.To) && to is null) ok = false;
            if (from is not null && to is not null && to < from)
            {
                p.Add($"{at}: to {to:yyyy-MM-dd} is before from {from:yyyy-MM-dd}");
                ok = false;
            }
            if (t.Jkk is null) p.Add($"{at}.jkk is missing");
            else if (t.Jkk < 0) p.Add($"{at}.jkk must be >= 0 (is {t.Jkk})");
            if (t.Jkm is null) p.Add($"{at}.jkm is missing");
            else if (t.Jkm < 0) p.Add($"{at}.jkm must be >= 0 (is {t.Jkm})");
            if (t.Jkk is >= 0 && t.Jkm is >= 0 && t.Jkk + t.Jkm == 0) p.Add($"{at}: premium jkk + jkm must be > 0");
            string[]? forSegments = null;
            if (t.Segments is not null)
            {
                forSegments = t.Segments.Select(c => c?.Trim() ?? "").ToArray();
                if (forSegments.Length == 0) { p.Add($"{at}.segments is empty (leave it out for every segment)"); ok = false; }
                foreach (var code in forSegments.Where(c => segments.All(s => s.Code != c)))
                {
                    p.Add($"{at}.segments: '{code}' is not a segment of the campaign ({string.Join(", ", segments.Select(s => s.Code))})");
                    ok = false;
                }
            }
            if (from is null || t.Jkk is null || t.Jkm is null || (to is not null && to < from)) { ok = false; continue; }
            list.Add(new TariffPeriod(from.Value, to, t.Jkk.Value, t.Jkm.Value, forSegments));
        }
        list.Sort((a, b) => a.From.CompareTo(b.From));
        // Periods of the same scope (all segments, or one segment) must not overlap; a segment's own period may lie over an all-segment one.
        foreach (var scope in segments.Select(s => (string?)s.Code).Prepend(null))
        {
            var periods = list.Where(t => scope is null ? t.Segments is null : t.Segments is not null && t.AppliesTo(scope)).ToList();
            for (var i = 0; i + 1 < periods.Count; i++)
            {
                var (a, b) = (periods[i], periods[i + 1]);
                if (a.To is null || a.To >= b.From)
                {
                    p.Add(scope is null ? $"tariffs overlap: {Describe(a)} and {Describe(b)}" : $"tariffs overlap for segment {scope}: {Describe(a)} and {Describe(b)}");
                    ok = false;
                }
            }
        }
        return ok ? list : null;

        static string Describe(TariffPeriod t) => $"{t.From:yyyy-MM-dd}..{(t.To is null ? "open" : t.To.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}";
    }

    /// <summary>
    /// <c>workforceFigures</c>: each {area, workforce, baselineCovered, source, from, to?} for the regency, one of its
    /// kecamatan or one of its desa; periods of one area must not overlap (one figure per area and day).
    /// </summary>
    private static List<WorkforceFigure> WorkforceFigures(List<WorkforceFigureFile?>? files, Region regency, RegionCodes regions, Problems p)
    {
        var list = new List<WorkforceFigure>();
        for (var i = 0; i < (files?.Count ?? 0); i++)
        {
            var w = files![i];
            var at = $"workforceFigures[{i}]";
            if (w is null) { p.Add($"{at} is null"); continue; }
            p.Unknown(at + ".", w.Extra);
            string? area = null;
            if (string.IsNullOrWhiteSpace(w.Area)) p.Add($"{at}.area is missing (a kecamatan or desa code of {regency.Code}, or {regency.Code} itself)");
            else
            {
                var code = RegionCodes.Normalize(w.Area);
                var known = code is null ? null
                    : regions.Regency(code)?.Code ?? regions.District(code)?.Code ?? regions.Village(code)?.Code;
                if (known is null) p.Add($"{at}.area '{w.Area}' is not a known regency, kecamatan or desa code");
                else if (known != regency.Code && !known.StartsWith(regency.Code + ".", StringComparison.Ordinal))
                    p.Add($"{at}.area {known} is not in regency {regency.Code} ({regency.Name})");
                else area = known;
            }
            var what = area is null ? at : $"{at} ({area})";
            if (w.Workforce is null) p.Add($"{what}.workforce is missing");
            else if (w.Workforce <= 0) p.Add($"{what}.workforce must be > 0 (is {w.Workforce})");
            if (w.BaselineCovered is null) p.Add($"{what}.baselineCovered is missing (participants there before the campaign; 0 when none)");
            else if (w.BaselineCovered < 0) p.Add($"{what}.baselineCovered must be >= 0 (is {w.BaselineCovered})");
            else if (w.Workforce > 0 && w.BaselineCovered > w.Workforce)
                p.Add($"{what}.baselineCovered ({w.BaselineCovered}) must not exceed workforce ({w.Workforce})");
            if (string.IsNullOrWhiteSpace(w.Source)) p.Add($"{what}.source is missing (where the figure comes from, e.g. \"BPS, Kecamatan Dalam Angka 2024\")");
            var from = Date(w.From, what + ".from", p);
            var to = Date(w.To, what + ".to", p, required: false);
            if (from is not null && to is not null && to < from) p.Add($"{what}: to {to:yyyy-MM-dd} is before from {from:yyyy-MM-dd}");
            else if (area is not null && from is not null && w.Workforce > 0 && w.BaselineCovered is >= 0 && w.BaselineCovered <= w.Workforce
                     && !string.IsNullOrWhiteSpace(w.Source) && (to is not null || string.IsNullOrWhiteSpace(w.To)))
                list.Add(new WorkforceFigure(area, w.Workforce.Value, w.BaselineCovered.Value, w.Source.Trim(), from, to));
        }
        foreach (var area in list.GroupBy(f => f.AreaCode))
        {
            var periods = area.OrderBy(f => f.ValidFrom).ToList();
            for (var i = 0; i + 1 < periods.Count; i++)
            {
                var (a, b) = (periods[i], periods[i + 1]);
                if (a.ValidTo is null || a.ValidTo >= b.ValidFrom)
                    p.Add($"workforceFigures: two figures of {area.Key} are valid on {b.ValidFrom:yyyy-MM-dd} ({Period(a)} and {Period(b)}); one area has one figure per day");
            }
        }
        return list;

        static string Period(WorkforceFigure f) =>
            $"{f.ValidFrom:yyyy-MM-dd}..{(f.ValidTo is null ? "open" : f.ValidTo.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}";
    }

    /// <summary>The one owner of a campaign id's form: lowercase letters, digits and '-' (it is part of batch ids, instance ids and paths).</summary>
    public static bool IsCampaignId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 40 && id.All(ch => ch is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    /// <summary><c>costShares</c>: each {funder, percent, from?, to?}; on every funded month the shares in force add up to 100.</summary>
    private static List<CostShare> CostShares(List<CostShareFile?>? files, Funder own, DateOnly start, int months, Problems p)
    {
        var list = new List<CostShare>();
        if (files is null || files.Count == 0) return list;
        var ok = true;
        for (var i = 0; i < files.Count; i++)
        {
            var c = files[i];
            var at = $"costShares[{i}]";
            if (c is null) { p.Add($"{at} is null"); ok = false; continue; }
            p.Unknown(at + ".", c.Extra);
            var funder = Funder.Parse(c.Funder);
            if (funder is null) { p.Add($"{at}.funder '{c.Funder}' is not one of {string.Join(", ", Funder.All.Select(x => x.Code))}"); ok = false; }
            if (c.Percent is null or <= 0 or > 100) { p.Add($"{at}.percent must be more than 0 and at most 100 (is {c.Percent?.ToString(CultureInfo.InvariantCulture) ?? "missing"})"); ok = false; }
            var from = Date(c.From, at + ".from", p, required: false);
            var to = Date(c.To, at + ".to", p, required: false);
            if (funder is null || c.Percent is null) continue;
            list.Add(new CostShare(funder, c.Percent.Value, from, to));
        }
        if (!ok) return [];
        for (var m = 0; m < months; m++)
        {
            var month = start.AddMonths(m);
            var total = list.Where(s => s.Covers(month)).Sum(s => s.Percent);
            if (total != 100m)
            {
                p.Add($"costShares: the shares in force in {month:yyyy-MM} add up to {total.ToString(CultureInfo.InvariantCulture)}%, not 100% (list every funder's share, {own.Code} included)");
                break;
            }
        }
        return list;
    }

    /// <summary>A plain address (no display name) with a dotted domain.</summary>
    internal static bool IsEmail(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && MailAddress.TryCreate(text.Trim(), out var a)
        && a.Address == text.Trim()
        && a.DisplayName.Length == 0
        && a.Host.Contains('.') && !a.Host.StartsWith('.') && !a.Host.EndsWith('.');

    private static string[] Emails(List<string?>? list, string what, Problems p)
    {
        if (list is null || list.Count == 0)
        {
            p.Add($"{what}: at least one address is required");
            return [];
        }
        var result = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            if (!IsEmail(list[i])) p.Add($"{what}[{i}]: '{list[i]}' is not an email address");
            else if (result.Contains(list[i]!.Trim(), StringComparer.OrdinalIgnoreCase)) p.Add($"{what}[{i}]: '{list[i]}' is listed twice");
            else result.Add(list[i]!.Trim());
        }
        return result.ToArray();
    }

    private static string Key(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();

    private static IReadOnlyList<Segment> Segments(List<SegmentFile?>? files, Problems p)
    {
        if (files is null) return CampaignDefaults.Segments;
        if (files.Count == 0)
        {
            p.Add("segments: the list is empty (leave it out to use the default segments)");
            return [];
        }
        var result = new List<Segment>();
        var seen = new Dictionary<string, string>(); // matching key → segment code, to find names/aliases that would match twice
        for (var i = 0; i < files.Count; i++)
        {
            var s = files[i];
            var at = $"segments[{i}]";
            if (s is null) { p.Add($"{at} is null"); continue; }
            p.Unknown(at + ".", s.Extra);
            var code = s.Code?.Trim();
            if (string.IsNullOrEmpty(code)) { p.Add($"{at}.code is missing"); continue; }
            var segName = s.Name?.Trim();
            if (string.IsNullOrEmpty(segName)) p.Add($"{at} ({code}): name is missing");
            var aliases = new List<string>();
            foreach (var alias in s.Aliases ?? [])
            {
                if (string.IsNullOrWhiteSpace(alias)) p.Add($"{at} ({code}): an alias is empty");
                else aliases.Add(alias.Trim());
            }
            if (result.Any(r => r.Code == code)) { p.Add($"{at}: segment code '{code}' is listed twice"); continue; }
            foreach (var term in new[] { code }.Concat(segName is null ? [] : [segName]).Concat(aliases))
            {
                var key = Key(term);
                if (seen.TryGetValue(key, out var other) && other != code)
                    p.Add($"{at} ({code}): '{term}' also matches segment '{other}'");
                seen[key] = code;
            }
            var kind = SegmentKind.Bpu;
            if (s.Kind is not null)
            {
                if (s.Kind.Trim().Equals("BPU", StringComparison.OrdinalIgnoreCase)) kind = SegmentKind.Bpu;
                else if (s.Kind.Trim().Equals("PU", StringComparison.OrdinalIgnoreCase)) kind = SegmentKind.Pu;
                else p.Add($"segments[{i}].kind '{s.Kind}' must be BPU (non-wage workers) or PU (wage earners)");
            }
            result.Add(new Segment(code, segName ?? code, aliases, s.Default == true, kind));
        }
        var defaults = result.Count(r => r.IsDefault);
        if (result.Count > 0 && defaults != 1)
            p.Add($"segments: exactly one segment must have \"default\": true (found {defaults})");
        return result;
    }

    private static List<CampaignVillage>? Villages(List<VillageFile?>? files, Region regency, RegionCodes regions, Problems p)
    {
        var all = regions.VillagesOf(regency.Code);
        if (all.Count == 0)
        {
            p.Add($"regency {regency.Code} has no villages in the region codes");
            return null;
        }
        var pic = new Dictionary<string, string?>();
        var phones = new Dictionary<string, string?>();
        for (var i = 0; i < (files?.Count ?? 0); i++)
        {
            var v = files![i];
            var at = $"villages[{i}]";
            if (v is null) { p.Add($"{at} is null"); continue; }
            p.Unknown(at + ".", v.Extra);
            var code = RegionCodes.Normalize(v.Code);
            if (string.IsNullOrWhiteSpace(v.Code)) { p.Add($"{at}.code is missing"); continue; }
            var village = code is null ? null : regions.Village(code);
            if (village is null) { p.Add($"{at}: '{v.Code}' is not a known village code"); continue; }
            if (village.Regency.Code != regency.Code)
            {
                p.Add($"{at}: village {village.Code} ({village.Name}) is not in regency {regency.Code} ({regency.Name})");
                continue;
            }
            if (pic.ContainsKey(village.Code)) { p.Add($"{at}: village {village.Code} is listed twice"); continue; }
            if (v.PicEmail is not null && !IsEmail(v.PicEmail)) p.Add($"{at} ({village.Code}): picEmail '{v.PicEmail}' is not an email address");
            pic[village.Code] = string.IsNullOrWhiteSpace(v.PicEmail) ? null : v.PicEmail.Trim();
            if (!string.IsNullOrWhiteSpace(v.PicPhone))
            {
                phones[village.Code] = IndonesianPhone.Normalize(v.PicPhone, out var problem);
                if (problem is not null) p.Add($"{at} ({village.Code}): picPhone '{v.PicPhone}' {problem}");
            }
        }
        return all.Select(v => new CampaignVillage(v.Code, v.Name, v.Kind, v.District.Code, v.District.Name,
            pic.GetValueOrDefault(v.Code), phones.GetValueOrDefault(v.Code))).ToList();
    }
}
