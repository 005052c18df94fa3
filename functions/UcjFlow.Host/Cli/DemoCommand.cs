using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.Json.Serialization;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.App.Api;
using UcjFlow.Host.Demo;

namespace UcjFlow.Host.Cli;

/// <summary>
/// <c>ucjflow demo [--json] [--keep]</c>: the whole flow on the sample campaign, in this process, in a temporary data
/// folder, on a clock the demo moves. Six villages of Sarolangun upload (clean, with warnings, with errors, unreadable);
/// the coordinator approves three, rejects one with a reason and leaves one waiting; the clock then runs from
/// 14 October 2024 past the submission deadline (22 October), so deadline reminders, approval reminders, the escalations
/// and daily summaries land in the outbox. Campaigns over time (issue 13): a second programme of the regency runs at the
/// same time (DBH Sawit, six months, its own roster and approval); the clock then jumps to March 2025, when the daily
/// summary warns that coverage will fall as the sawit enrolments end; and in October 2025 next year's campaign renews
/// this one: a village downloads its renewal roster, marks two people as not continuing and uploads it. Prints the
/// coverage summary (JSON with --json), the campaigns, the lapse warning, the renewal round and the mails sent.
/// </summary>
public static class DemoCommand
{
    /// <summary>09:00 WIB on Monday 14 October 2024: eight days before the sample campaign's deadline.</summary>
    public static readonly DateTimeOffset Start = new(2024, 10, 14, 9, 0, 0, TimeSpan.FromHours(7));
    /// <summary>The day after the escalation that follows the deadline.</summary>
    public static readonly DateTimeOffset End = new(2024, 10, 24, 9, 0, 0, TimeSpan.FromHours(7));
    static readonly TimeSpan Step = TimeSpan.FromHours(6);
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    /// <summary>The concurrent programme (DBH Sawit) and next year's renewal campaign the demo adds to the catalog.</summary>
    public const string SawitCampaign = "sarolangun-2024-sawit", RenewalCampaign = "sarolangun-2025";
    /// <summary>People on each of the two DBH Sawit rosters.</summary>
    public const int SawitRosterRows = 700;
    /// <summary>08:00 WIB on 3 March 2025: 58 days before the sawit enrolments end (30 April 2025).</summary>
    public static readonly DateTimeOffset LapseCheck = new(2025, 3, 3, 8, 0, 0, TimeSpan.FromHours(7));
    /// <summary>09:00 WIB on 1 October 2025: next year's submission round.</summary>
    public static readonly DateTimeOffset RenewalRound = new(2025, 10, 1, 9, 0, 0, TimeSpan.FromHours(7));

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var json = args.Contains("--json");
        var keep = args.Contains("--keep");
        if (args.Except(["--json", "--keep"]).FirstOrDefault() is { } unknown)
        {
            stderr.WriteLine($"ucjflow demo: unexpected '{unknown}'");
            stderr.WriteLine("usage: ucjflow demo [--json] [--keep]");
            return Program.ExitUsage;
        }

        var data = Path.Combine(Path.GetTempPath(), "ucjflow-demo-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var result = await RunFlowAsync(data, stderr);
            if (json) stdout.WriteLine(JsonSerializer.Serialize(result, DemoJsonContext.Default.DemoResult));
            else WriteReadable(stdout, result, keep ? data : null);
            return Program.ExitOk;
        }
        catch (Exception e) when (e is TimeoutException or HttpRequestException)
        {
            stderr.WriteLine($"ucjflow demo: {e.Message}");
            return Program.ExitFailed;
        }
        finally
        {
            if (!keep)
            {
                try { Directory.Delete(data, recursive: true); }
                catch (IOException) { }
            }
        }
    }

    /// <summary>The plan: which village does what.</summary>
    sealed record Step1(CampaignVillage Village, string Role, Func<(string, byte[])> File);

    public static async Task<DemoResult> RunFlowAsync(string dataFolder, TextWriter progress)
    {
        var clock = new ManualClock(Start);
        await using var app = await InProcessApp.StartAsync(dataFolder, clock);
        var villages = app.Campaign.Villages.Where(v => v.PicEmail is not null).Take(6).ToList();
        if (villages.Count < 6) villages = app.Campaign.Villages.Take(6).ToList();

        var plan = new[]
        {
            new Step1(villages[0], "approve", () => RosterGenerator.Csv(villages[0], 0, 120)),
            new Step1(villages[1], "approve", () => RosterGenerator.Csv(villages[1], 1, 80, RosterFlavor.Warnings)),
            new Step1(villages[2], "approve", () => RosterGenerator.Csv(villages[2], 2, 60)),
            new Step1(villages[3], "reject", () => RosterGenerator.Csv(villages[3], 3, 50, RosterFlavor.Errors)),
            new Step1(villages[4], "wait", () => RosterGenerator.Csv(villages[4], 4, 40, RosterFlavor.Warnings)),
            new Step1(villages[5], "unreadable", () => RosterGenerator.Unreadable(villages[5])),
        };

        progress.WriteLine($"demo: {app.Campaign.Name}, data folder {dataFolder}, clock {Local(clock.GetUtcNow())}");
        var batches = new List<(Step1 Step, string BatchId)>();
        foreach (var step in plan)
        {
            var (name, content) = step.File();
            var accepted = await app.UploadAsync(step.Village.Code, name, content);
            batches.Add((step, accepted.BatchId));
        }

        // A second programme of the same regency at the same time: DBH Sawit pays six months for palm-oil farmers.
        // From now on a village is in two open campaigns, so an upload names the one it is for (?campaign=).
        await app.AddCampaignAsync(SawitCampaign, o =>
        {
            o["name"] = "Sarolangun 2024 DBH Sawit";
            o["funder"] = "DBH-SAWIT";
            o["monthsFunded"] = 6;
            o["segments"] = new JsonArray(new JsonObject
            {
                ["code"] = "sawit", ["name"] = "Petani Sawit", ["default"] = true, ["kind"] = "BPU", ["aliases"] = new JsonArray("pekebun sawit"),
            });
        });
        // Two villages' palm-oil farmers, 700 each: enough that their six months ending moves the regency's coverage by
        // more than a point, which the daily summary warns of from 60 days before.
        var sawitBatches = new List<string>();
        foreach (var (sawitVillage, index) in new[] { (villages[0], 7), (villages[1], 8) })
        {
            var (sawitName, sawitContent) = RosterGenerator.Csv(sawitVillage, index, SawitRosterRows);
            var sawitBatch = (await app.UploadAsync(sawitVillage.Code, "sawit-" + sawitName, sawitContent, campaign: SawitCampaign)).BatchId;
            sawitBatches.Add(sawitBatch);
            progress.WriteLine($"demo: {sawitVillage.Name}: a DBH Sawit roster for {SawitCampaign}, batch {sawitBatch}");
        }
        foreach (var (step, id) in batches)
        {
            var b = await app.WaitForBatchAsync(id, InProcessApp.Validated, Deadline);
            progress.WriteLine($"demo: {step.Village.Name}: {b.Status}, {b.Counts.Valid} valid / {b.Counts.Rejected} rejected rows");
        }

        foreach (var sawitBatch in sawitBatches)
        {
            await app.WaitForBatchAsync(sawitBatch, InProcessApp.Validated, Deadline);
            (await app.DecideAsync(sawitBatch, true)).EnsureSuccessStatusCode();
        }
        foreach (var (step, id) in batches)
        {
            if (step.Role == "approve") (await app.DecideAsync(id, true)).EnsureSuccessStatusCode();
            if (step.Role == "reject")
                (await app.DecideAsync(id, false, "Banyak NIK tidak 16 digit dan nama kosong; mohon perbaiki lalu unggah ulang.")).EnsureSuccessStatusCode();
        }
        foreach (var (step, id) in batches.Where(b => b.Step.Role is "approve" or "reject"))
            await app.WaitForBatchAsync(id, InProcessApp.Decided, Deadline);
        var sawitEnrolled = 0;
        foreach (var sawitBatch in sawitBatches)
            sawitEnrolled += (await app.WaitForBatchAsync(sawitBatch, InProcessApp.Decided, Deadline)).Decision?.Enrolled ?? 0;
        await app.SettleAsync(Deadline);

        // Through the deadline reminders (7, 3, 1 and 0 days before), the approval reminders of the waiting batch, its
        // escalation, the deadline escalation and the daily summaries, a quarter day at a time.
        while (clock.GetUtcNow() < End)
        {
            clock.Advance(Step);
            await app.SettleAsync(Deadline);
        }
        progress.WriteLine($"demo: clock now {Local(clock.GetUtcNow())}");
        var coverageJson = await app.Http.GetStringAsync($"api/coverage?campaign={app.Campaign.Id}");
        // The first round as it stands after the deadline (the clock moves on below).
        var views = new List<DemoBatch>();
        foreach (var (step, id) in batches)
        {
            var b = await app.GetBatchAsync(id);
            views.Add(new DemoBatch(b.BatchId, b.VillageCode, b.VillageName ?? "", step.Role, b.Status, b.Counts.Rows, b.Counts.Valid,
                b.Counts.Rejected, b.Decision?.Enrolled, b.Decision?.Reason, b.FileCode));
        }

        // March 2025: the sawit enrolments end on 30 April; the day's summary warns of the fall (from 60 days before).
        clock.AdvanceTo(LapseCheck);
        await app.SettleAsync(Deadline);
        var lapseWarning = await Polling(() => OutboxMail.ReadAll(app.Outbox)
            .Where(m => m.Subject.Contains("Ringkasan cakupan 3 Maret 2025", StringComparison.Ordinal))
            .SelectMany(m => (MimeKit.MimeMessage.Load(Path.Combine(app.Outbox, m.FileName)).TextBody ?? "").Split('\n'))
            .Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Peringatan", StringComparison.Ordinal)));
        progress.WriteLine($"demo: clock now {Local(clock.GetUtcNow())}: {lapseWarning ?? "no lapse warning"}");

        // October 2025: next year's campaign renews this one; the first village renews with its renewal roster.
        clock.AdvanceTo(RenewalRound);
        await app.SettleAsync(Deadline);
        await app.AddCampaignAsync(RenewalCampaign, o =>
        {
            o["name"] = "Sarolangun 2025 APBD";
            o["funder"] = "APBD";
            o["renewsFrom"] = app.Campaign.Id;
            o["coverageStart"] = "2025-11-01";
            o["submissionDeadline"] = "2025-10-22";
        });
        var renewing = villages[0];
        var roster = await RenewalDownloadAsync(app, renewing.Code);
        var edited = DemoRenewalEdit.MarkNotContinuing(roster, [("meninggal", 0), ("pindah", 1)]);
        var renewalBatch = (await app.UploadAsync(renewing.Code, $"{renewing.Code}-perpanjangan.xlsx", edited, campaign: RenewalCampaign)).BatchId;
        var renewed = await app.WaitForBatchAsync(renewalBatch, InProcessApp.Validated, Deadline);
        var answer = await app.Http.GetFromJsonAsync($"api/batches/{renewalBatch}/result", ApiJsonContext.Default.BatchResultView);
        var removals = answer?.Notes.FirstOrDefault(n => n.Contains("tidak dilanjutkan", StringComparison.Ordinal));
        (await app.DecideAsync(renewalBatch, true)).EnsureSuccessStatusCode();
        var renewedEnrolled = (await app.WaitForBatchAsync(renewalBatch, InProcessApp.Decided, Deadline)).Decision?.Enrolled ?? 0;
        await app.SettleAsync(Deadline);
        progress.WriteLine($"demo: {renewing.Name} renewed {renewedEnrolled} people for {RenewalCampaign}; {removals}");

        var campaigns = new List<DemoCampaign>();
        foreach (var c in (await app.CatalogAsync()).Entries)
            campaigns.Add(new DemoCampaign(c.Campaign.Id, c.Campaign.Name, c.Campaign.Funder.Code, c.Campaign.CoverageStart, c.Campaign.CoverageEnd, c.Closed));
        var onDates = new List<DemoCoverageOn>();
        foreach (var day in new[] { new DateOnly(2024, 11, 1), new DateOnly(2025, 5, 1), new DateOnly(2025, 11, 1) })
        {
            var on = CoverageJson.Deserialize(await app.Http.GetStringAsync($"api/coverage?asOf={day:yyyy-MM-dd}"));
            onDates.Add(new DemoCoverageOn(day, on.Approved, on.Covered, on.CoveragePercent));
        }
        var round = new DemoRenewal(renewing.Code, renewing.Name, renewed.Counts.Valid, renewedEnrolled, removals, sawitEnrolled);
        var coverage = CoverageJson.Deserialize(coverageJson);
        var mails = OutboxMail.ReadAll(app.Outbox).Select(m => new DemoMail(m.Subject, m.To, m.Cc)).ToList();
        return new DemoResult(app.Campaign.Name, Start, clock.GetUtcNow(), views, coverage, mails)
        {
            Campaigns = campaigns, CoverageOn = onDates, LapseWarning = lapseWarning, Renewal = round,
        };
    }

    /// <summary>The renewal roster as the village downloads it (GET /api/villages/{code}/renewal), once the catalog shows the new campaign.</summary>
    static async Task<byte[]> RenewalDownloadAsync(InProcessApp app, string villageCode)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            using var response = await app.Http.GetAsync($"api/villages/{villageCode}/renewal?campaign={RenewalCampaign}");
            if (response.IsSuccessStatusCode) return await response.Content.ReadAsByteArrayAsync();
            if (DateTime.UtcNow > until) throw new TimeoutException($"No renewal roster for {villageCode}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Reads until <paramref name="read"/> gives a value or the deadline passes (null then).</summary>
    static async Task<string?> Polling(Func<string?> read)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (read() is { } found) return found;
            if (DateTime.UtcNow > until) return null;
            await Task.Delay(100);
        }
    }

    static string Local(DateTimeOffset instant) =>
        JakartaTime.ToLocal(instant).ToString("yyyy-MM-dd HH:mm 'WIB'", CultureInfo.InvariantCulture);

    static void WriteReadable(TextWriter o, DemoResult r, string? keptFolder)
    {
        var c = r.Coverage;
        o.WriteLine($"UcjFlow demo — {r.Campaign}");
        o.WriteLine($"Jam kampanye / campaign clock: {Local(r.ClockStart)} → {Local(r.ClockEnd)}");
        o.WriteLine();
        o.WriteLine("Batch:");
        foreach (var b in r.Batches)
        {
            var outcome = b.Status switch
            {
                BatchStatus.Approved => $"disetujui, {b.Enrolled} terdaftar / approved, {b.Enrolled} enrolled",
                BatchStatus.Rejected => $"ditolak / rejected: {b.Reason}",
                BatchStatus.Unreadable => $"tidak terbaca / unreadable ({b.FileCode})",
                BatchStatus.AwaitingApproval => "menunggu persetujuan / awaiting approval",
                _ => b.Status.ToString(),
            };
            o.WriteLine($"  {b.VillageCode} {b.VillageName,-22} {b.Rows,4} baris, {b.Valid,4} sah, {b.Rejected,3} ditolak — {outcome}");
        }
        o.WriteLine();
        o.WriteLine($"Cakupan per {c.AsOf:yyyy-MM-dd} / coverage:");
        o.WriteLine($"  angkatan kerja / workforce      {IndonesianFormat.Number(c.Workforce)}");
        o.WriteLine($"  sudah terlindungi / baseline    {IndonesianFormat.Number(c.BaselineCovered)}");
        o.WriteLine($"  disetujui / approved            {IndonesianFormat.Number(c.Approved)}");
        o.WriteLine($"  mulai kemudian / starting later {IndonesianFormat.Number(c.ApprovedStartingLater)}");
        o.WriteLine($"  menunggu / pending              {IndonesianFormat.Number(c.Pending)}");
        o.WriteLine($"  terlindungi / covered           {IndonesianFormat.Number(c.Covered)} ({IndonesianFormat.Percent(c.CoveragePercent)}; target {IndonesianFormat.Percent(c.TargetPercent)})");
        o.WriteLine($"  kekurangan / gap to target      {IndonesianFormat.Number(c.GapToTarget)} orang ({IndonesianFormat.Rupiah(c.GapToTargetRupiah)})");
        o.WriteLine($"  anggaran terikat / committed    {IndonesianFormat.Rupiah(c.BudgetCommitted)}");
        o.WriteLine($"  desa belum mengirim / missing   {c.VillagesMissing.Count} dari {c.VillageCount}");
        o.WriteLine();
        o.WriteLine("Kampanye / campaigns:");
        foreach (var k in r.Campaigns)
            o.WriteLine($"  {k.Id,-22} {k.Funder,-10} {k.CoverageStart:yyyy-MM-dd} → {k.CoverageEnd:yyyy-MM-dd}{(k.Closed ? " (ditutup / closed)" : "")}  {k.Name}");
        o.WriteLine("Cakupan pada tanggal / coverage on a date:");
        foreach (var d in r.CoverageOn)
            o.WriteLine($"  {d.AsOf:yyyy-MM-dd}: {IndonesianFormat.Number(d.Approved)} peserta aktif dari kampanye, terlindungi {IndonesianFormat.Number(d.Covered)} ({IndonesianFormat.Percent(d.CoveragePercent)})");
        o.WriteLine($"Ringkasan 3 Maret 2025: {r.LapseWarning ?? "(tanpa peringatan)"}");
        if (r.Renewal is { } n)
            o.WriteLine($"Perpanjangan / renewal: {n.VillageName} {n.Valid} sah, {n.Enrolled} terdaftar lagi untuk {RenewalCampaign}; {n.Removals}");
        o.WriteLine();
        o.WriteLine($"Email di outbox / mails sent: {r.Mails.Count}");
        foreach (var g in r.Mails.GroupBy(m => Kind(m.Subject)).OrderBy(g => g.Key, StringComparer.Ordinal))
            o.WriteLine($"  {g.Count(),3} × {g.Key}");
        if (keptFolder is not null) o.WriteLine($"\nData folder kept: {keptFolder}");
    }

    /// <summary>The subject without the campaign prefix and what names one batch or village, to group similar mails.</summary>
    static string Kind(string subject)
    {
        var s = subject.StartsWith('[') && subject.IndexOf("] ", StringComparison.Ordinal) is > 0 and var end ? subject[(end + 2)..] : subject;
        // Words up to the first that names a date, a number or a place: "Pengingat ke-2 …", "Ringkasan cakupan 15 Oktober".
        var words = s.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(w => !w.Any(char.IsDigit) && w is not ("Desa" or "Kelurahan" or "sejak" or "untuk") && !w.StartsWith('(') && !w.StartsWith('—'));
        return string.Join(' ', words).TrimEnd(':', ',', '—').Trim();
    }
}

public sealed record DemoBatch(string BatchId, string VillageCode, string VillageName, string Role, BatchStatus Status,
    int Rows, int Valid, int Rejected, int? Enrolled, string? Reason, string? FileCode);

public sealed record DemoMail(string Subject, IReadOnlyList<string> To, IReadOnlyList<string> Cc);

public sealed record DemoResult(string Campaign, DateTimeOffset ClockStart, DateTimeOffset ClockEnd,
    IReadOnlyList<DemoBatch> Batches, CoverageSummary Coverage, IReadOnlyList<DemoMail> Mails)
{
    public IReadOnlyList<DemoCampaign> Campaigns { get; init; } = [];
    /// <summary>The regency's coverage on three dates: both programmes active, after the sawit months, after the renewal.</summary>
    public IReadOnlyList<DemoCoverageOn> CoverageOn { get; init; } = [];
    /// <summary>The daily summary's lapse warning line of 3 March 2025, or null.</summary>
    public string? LapseWarning { get; init; }
    public DemoRenewal? Renewal { get; init; }
}

public sealed record DemoCampaign(string Id, string Name, string Funder, DateOnly CoverageStart, DateOnly CoverageEnd, bool Closed);

public sealed record DemoCoverageOn(DateOnly AsOf, long Approved, long Covered, decimal CoveragePercent);

/// <summary>The renewal round: the renewal roster's valid rows and enrolments, its removals sentence, and the sawit batch's enrolments.</summary>
public sealed record DemoRenewal(string VillageCode, string VillageName, int Valid, int Enrolled, string? Removals, int SawitEnrolled);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(DemoResult))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
