using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Roster.Values;

namespace UcjFlow.Core.Roster.Validation;

/// <summary>
/// Reads a roster and applies every rule of roster.md: one pass over the rows, memory flat in the row count except
/// for the issues, a renewal roster's removals and the set of NIKs seen (for DUPLICATE_IN_FILE). The first rows are held
/// back, at most <see cref="DateOrderVote.Window"/>, until the file's date order is decided. A renewal roster's rows marked
/// Tidak are removals, not data rows (docs/renewal-roster.md).
/// </summary>
public static class RosterValidator
{
    // The order of roster.md's tables: a row's issues are listed in it, whatever order they were found in.
    private static readonly Dictionary<string, int> CodeOrder = new[]
    {
        RuleCodes.NikMissing, RuleCodes.NikFormat, RuleCodes.NikPrecisionLost, RuleCodes.NikPlaceholder,
        RuleCodes.NikRegionUnknown, RuleCodes.NikBirthdateInvalid, RuleCodes.NikSerialInvalid, RuleCodes.NameMissing,
        RuleCodes.BirthdateMismatch, RuleCodes.DuplicateInFile, RuleCodes.DuplicateInCampaign, RuleCodes.AlreadyEnrolled,
        RuleCodes.SegmentUnknown, RuleCodes.NikStoredAsNumber, RuleCodes.NikRegionUnlisted, RuleCodes.NikOutsideRegency,
        RuleCodes.SexMismatch, RuleCodes.BirthdateInvalid, RuleCodes.BirthdateFromNik, RuleCodes.AgeOutOfRange,
        RuleCodes.NameSuspicious, RuleCodes.KkFormat, RuleCodes.PhoneInvalid, RuleCodes.VillageMismatch, RuleCodes.NotInReference,
        RuleCodes.RenewalReasonMissing, RuleCodes.RenewalAnswerUnclear,
    }.Select((code, i) => (code, i)).ToDictionary(x => x.code, x => x.i);

    /// <summary>
    /// Validates <paramref name="content"/> (left open). <paramref name="onValidRow"/> gets each valid row, in row order,
    /// once its chunk's conflict look-up is done. If the file turns out unreadable part-way (row limit, broken file),
    /// rows already passed to it must be discarded: the report's status is then Unreadable.
    /// </summary>
    public static async Task<RosterReport> ValidateAsync(
        Stream content, string fileName, ValidationSettings settings,
        Func<Enrollee, ValueTask>? onValidRow = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(settings);
        var village = Regions.RegionCodes.Normalize(settings.VillageCode) ?? settings.VillageCode;
        var file = Path.GetFileName(fileName);
        if (OtherVillageCheck.ByFileName(file, settings) is { } named)
            return Unreadable(file, village, named.Code, named.Message, null);

        OpenedRoster opened;
        try
        {
            opened = await RosterFileReader.OpenAsync(content, fileName, settings.Limits, ct).ConfigureAwait(false);
        }
        catch (RosterFileException e)
        {
            return Unreadable(file, village, e.Code, e.Message, null);
        }

        using (opened)
        {
            var run = new Run(opened.Header, settings, onValidRow);
            try
            {
                await foreach (var row in opened.ReadDataRowsAsync(ct).ConfigureAwait(false))
                    await run.AddAsync(row, ct).ConfigureAwait(false);
                await run.FinishAsync(ct).ConfigureAwait(false);
            }
            catch (RosterFileException e)
            {
                return Unreadable(file, village, e.Code, e.Message, opened.Header);
            }

            // A renewal roster whose every row is Tidak was read: it says who stops (status Invalid: nobody to enrol).
            if (run.Rows == 0 && run.Removed == 0)
                return Unreadable(file, village, RuleCodes.RosterEmpty,
                    $"Tidak ada data peserta: baris judul kolom ditemukan (lembar \"{opened.Header.Sheet}\", baris {opened.Header.Row}), " +
                    "tetapi tidak ada baris data di bawahnya. Isi data peserta, lalu unggah kembali.", opened.Header);
            // Decided only once every row is read; rows already handed to onValidRow are then discarded (see above).
            if (run.OtherVillage.Verdict() is { } other)
                return Unreadable(file, village, other.Code, other.Message, opened.Header);

            return new RosterReport
            {
                File = file,
                Village = village,
                Status = run.Valid > 0 ? RosterStatus.Valid : RosterStatus.Invalid,
                Sheet = opened.Header.Sheet,
                HeaderRow = opened.Header.Row,
                Rows = run.Rows,
                Valid = run.Valid,
                Rejected = run.Rows - run.Valid,
                ValidWithWarnings = run.ValidWithWarnings,
                ByCode = run.ByCode,
                Issues = run.Issues,
                Notes = run.Notes,
                Removed = run.Removed,
                RemovedByReason = run.RemovedByReason(),
                Removals = run.Removals,
            };
        }
    }

    private static RosterReport Unreadable(string file, string village, string code, string message, RosterHeader? header) => new()
    {
        File = file,
        Village = village,
        Status = RosterStatus.Unreadable,
        FileCode = code,
        FileMessage = message,
        Sheet = header?.Sheet,
        HeaderRow = header?.Row,
    };

    /// <summary>One validation: rows are checked as they stream and settled per chunk, after the conflict look-up.</summary>
    private sealed class Run(RosterHeader header, ValidationSettings settings, Func<Enrollee, ValueTask>? onValidRow)
    {
        private readonly RowChecker _checker = new(header, settings);
        private readonly List<RowResult> _pending = new(Math.Max(1, settings.ConflictChunkSize));
        private readonly string _nikTitle = header.TitleOf(RosterField.Nik);
        private readonly RenewalCheck? _renewal = RenewalCheck.For(header);

        /// <summary>Counts the village cells for FILE_OTHER_VILLAGE.</summary>
        public OtherVillageCheck OtherVillage { get; } = new(header, settings);

        /// <summary>Data rows: rows validated as people (a renewal roster's Tidak rows are not among them).</summary>
        public int Rows { get; private set; }
        public int Valid { get; private set; }
        public int ValidWithWarnings { get; private set; }
        public SortedDictionary<string, int> ByCode { get; } = new(StringComparer.Ordinal);
        public List<RosterIssue> Issues { get; } = new();

        /// <summary>A renewal roster's rows marked Tidak, in row order; null until the first.</summary>
        public List<RosterRemoval>? Removals { get; private set; }

        public int Removed => Removals?.Count ?? 0;

        /// <summary>Removals per reason in <see cref="RenewalReasons.Listed"/> order, then "tanpa alasan"; null when none.</summary>
        public IReadOnlyDictionary<string, int>? RemovedByReason()
        {
            if (Removals is null) return null;
            var byReason = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var reason in RenewalReasons.Listed.Append(RenewalReasons.Missing))
            {
                var count = Removals.Count(r => r.Reason == reason);
                if (count > 0) byReason[reason] = count;
            }
            return byReason;
        }

        /// <summary>What the report says once about the whole file (a month-first date column); null when nothing.</summary>
        public List<string>? Notes { get; private set; }

        // Rows held unchecked until the vote decides the date order (null once decided).
        private List<SheetRow>? _undecided = new();
        private readonly DateOrderVote _vote = new(settings.CoverageStart);

        public async ValueTask AddAsync(SheetRow row, CancellationToken ct)
        {
            OtherVillage.Observe(row);
            var removal = _renewal?.IsRemoval(row) == true;
            if (!removal) Rows++;
            if (_undecided is null)
            {
                await CheckAsync(row, ct).ConfigureAwait(false);
                return;
            }
            // A removal is held in row order with the rest, but is no person: it neither votes nor is checked.
            if (!removal) _checker.Observe(row, _vote);
            _undecided.Add(row);
            if (_vote.Settled || _undecided.Count >= DateOrderVote.Window)
                await DecideDateOrderAsync(ct).ConfigureAwait(false);
        }

        public async ValueTask FinishAsync(CancellationToken ct)
        {
            if (_undecided is not null) await DecideDateOrderAsync(ct).ConfigureAwait(false);
            await FlushAsync(ct).ConfigureAwait(false);
        }

        private async ValueTask DecideDateOrderAsync(CancellationToken ct)
        {
            var held = _undecided!;
            _undecided = null;
            _checker.DateOrder = _vote.Order;
            if (_vote.Order == DateOrder.MonthFirst)
                (Notes ??= []).Add(
                    $"Tanggal di kolom {_checker.DateColumnTitle} ditulis bulan lebih dulu (bulan/tanggal/tahun, mis. 05/25/1980 = 25 Mei 1980); " +
                    "semua tanggal seperti itu dalam berkas ini dibaca bulan/tanggal/tahun.");
            foreach (var row in held)
                await CheckAsync(row, ct).ConfigureAwait(false);
        }

        private async ValueTask CheckAsync(SheetRow row, CancellationToken ct)
        {
            if (_renewal is null)
            {
                _pending.Add(_checker.Check(row));
            }
            else if (_renewal.IsRemoval(row))
            {
                _pending.Add(_renewal.Removal(row));
            }
            else
            {
                var result = _checker.Check(row);
                if (_renewal.Unclear(row) is { } unclear) result.Add(unclear);
                _pending.Add(result);
            }
            if (_pending.Count >= Math.Max(1, settings.ConflictChunkSize))
                await FlushAsync(ct).ConfigureAwait(false);
        }

        public async ValueTask FlushAsync(CancellationToken ct)
        {
            if (_pending.Count == 0) return;
            if (settings.ConflictLookup is { } lookup)
                await AddConflictsAsync(lookup, ct).ConfigureAwait(false);
            foreach (var result in _pending)
                await SettleAsync(result).ConfigureAwait(false);
            _pending.Clear();
        }

        private async ValueTask AddConflictsAsync(NikConflictLookup lookup, CancellationToken ct)
        {
            var niks = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in _pending)
                if (r.Nik is not null) niks.Add(r.Nik);
            if (niks.Count == 0) return;
            var conflicts = await lookup(niks, ct).ConfigureAwait(false);
            if (conflicts.Count == 0) return;
            var byNik = conflicts.Where(c => niks.Contains(c.Nik)).ToLookup(c => c.Nik, StringComparer.Ordinal);
            foreach (var r in _pending)
            {
                if (r.Nik is null || !byNik.Contains(r.Nik)) continue;
                // One issue per kind: a NIK in two other villages' batches is one DUPLICATE_IN_CAMPAIGN naming the first.
                foreach (var conflict in byNik[r.Nik].GroupBy(c => c.Kind).Select(g => g.First()).OrderBy(c => c.Kind))
                {
                    r.Add(RowChecker.Conflict(r.Row, _nikTitle, conflict));
                    r.Enrollee = null;
                }
            }
        }

        private async ValueTask SettleAsync(RowResult result)
        {
            var issues = result.Issues;
            if (issues is not null)
            {
                if (issues.Count > 1)
                    issues.Sort((a, b) => CodeOrder.GetValueOrDefault(a.Code).CompareTo(CodeOrder.GetValueOrDefault(b.Code)));
                string? previous = null;
                foreach (var issue in issues)
                {
                    Issues.Add(result.Name is null ? issue : issue with { Name = result.Name });
                    // A row counts once per code.
                    if (issue.Code == previous) continue;
                    previous = issue.Code;
                    ByCode[issue.Code] = ByCode.GetValueOrDefault(issue.Code) + 1;
                }
            }
            if (result.Removal is { } removal)
            {
                (Removals ??= []).Add(removal);
                return;
            }
            if (result.HasError) return;
            Valid++;
            if (issues is { Count: > 0 }) ValidWithWarnings++;
            if (onValidRow is not null && result.Enrollee is { } enrollee)
                await onValidRow(enrollee).ConfigureAwait(false);
        }
    }
}
