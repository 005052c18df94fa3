using System.Globalization;
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
/// and daily summaries land in the outbox. Prints the coverage summary (JSON with --json) and the mails sent.
/// </summary>
public static class DemoCommand
{
    /// <summary>09:00 WIB on Monday 14 October 2024: eight days before the sample campaign's deadline.</summary>
    public static readonly DateTimeOffset Start = new(2024, 10, 14, 9, 0, 0, TimeSpan.FromHours(7));
    /// <summary>The day after the escalation that follows the deadline.</summary>
    public static readonly DateTimeOffset End = new(2024, 10, 24, 9, 0, 0, TimeSpan.FromHours(7));
    static readonly TimeSpan Step = TimeSpan.FromHours(6);
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

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
        foreach (var (step, id) in batches)
        {
            var b = await app.WaitForBatchAsync(id, InProcessApp.Validated, Deadline);
            progress.WriteLine($"demo: {step.Village.Name}: {b.Status}, {b.Counts.Valid} valid / {b.Counts.Rejected} rejected rows");
        }

        foreach (var (step, id) in batches)
        {
            if (step.Role == "approve") (await app.DecideAsync(id, true)).EnsureSuccessStatusCode();
            if (step.Role == "reject")
                (await app.DecideAsync(id, false, "Banyak NIK tidak 16 digit dan nama kosong; mohon perbaiki lalu unggah ulang.")).EnsureSuccessStatusCode();
        }
        foreach (var (step, id) in batches.Where(b => b.Step.Role is "approve" or "reject"))
            await app.WaitForBatchAsync(id, InProcessApp.Decided, Deadline);
        await app.SettleAsync(Deadline);

        // Through the deadline reminders (7, 3, 1 and 0 days before), the approval reminders of the waiting batch, its
        // escalation, the deadline escalation and the daily summaries, a quarter day at a time.
        while (clock.GetUtcNow() < End)
        {
            clock.Advance(Step);
            await app.SettleAsync(Deadline);
        }
        progress.WriteLine($"demo: clock now {Local(clock.GetUtcNow())}");

        var coverageJson = await app.Http.GetStringAsync("api/coverage");
        var coverage = CoverageJson.Deserialize(coverageJson);
        var views = new List<DemoBatch>();
        foreach (var (step, id) in batches)
        {
            var b = await app.GetBatchAsync(id);
            views.Add(new DemoBatch(b.BatchId, b.VillageCode, b.VillageName ?? "", step.Role, b.Status, b.Counts.Rows, b.Counts.Valid,
                b.Counts.Rejected, b.Decision?.Enrolled, b.Decision?.Reason, b.FileCode));
        }
        var mails = OutboxMail.ReadAll(app.Outbox).Select(m => new DemoMail(m.Subject, m.To, m.Cc)).ToList();
        return new DemoResult(app.Campaign.Name, Start, clock.GetUtcNow(), views, coverage, mails);
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
    IReadOnlyList<DemoBatch> Batches, CoverageSummary Coverage, IReadOnlyList<DemoMail> Mails);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(DemoResult))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
