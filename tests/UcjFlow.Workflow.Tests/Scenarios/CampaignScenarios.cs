using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Scenarios;

/// <summary>
/// The Campaign orchestration's scenario, written once and run on every engine. The engine says which campaign time it
/// lives through (<see cref="ScenarioHarness.CampaignTimelineAsync"/>): the embedded runner the whole sample calendar on its
/// manual clock, the real engine the deadline day and the day after, anchored on real Jakarta time. The scenario checks
/// every wake-up of that timeline: that it came in one cycle of the orchestration (no empty wake-up before it) and what
/// the workflow asked the mailer to send then, counted before the outbox (which keeps one file per key).
/// </summary>
public abstract class CampaignScenarios
{
    protected const string Coordinator = "koordinator@disnakertrans.sarolangunkab.example.id";
    protected const string Sekda = "sekda@sarolangunkab.example.id";
    protected const string Bappeda = "bappeda@sarolangunkab.example.id";
    protected const string TambakRatuPic = "pic.tambakratu@desa.example.id";

    /// <summary>The workflow on this engine, with the campaign time the scenario lets pass.</summary>
    private protected abstract Task<ScenarioHarness> StartAsync(CampaignTime time);

    [Fact]
    public async Task Reminders_at_the_offsets_one_escalation_after_the_deadline_and_a_daily_summary_each_day()
    {
        await using var h = await StartAsync(CampaignTime.Calendar);
        // Tambak Ratu approved, Sungai Keradak waiting, Pulau Pandan sent an unreadable file; 155 others sent nothing.
        var approved = await h.UploadAsync("15.03.01.2001", "peserta.csv", Rosters.Csv(Rosters.Workers(6)));
        await h.UntilStageAsync(approved, nameof(BatchStatus.AwaitingApproval));
        await h.DecideAsync(approved, approve: true);
        await h.CompletionAsync(approved);
        var waiting = await h.UploadAsync("15.03.01.2002", "peserta.csv", Rosters.Csv(Rosters.Workers(3, firstSerial: 100)));
        await h.UntilStageAsync(waiting, nameof(BatchStatus.AwaitingApproval));
        var broken = await h.UploadAsync("15.03.02.2005", "peserta.xlsx", "bukan excel"u8.ToArray());
        await h.CompletionAsync(broken);

        var previous = h.Now.UtcDateTime;
        Assert.True(await h.Client.EnsureCampaignStartedAsync(h.Campaign.Id));
        Assert.False(await h.Client.EnsureCampaignStartedAsync(h.Campaign.Id));
        var timeline = await h.CampaignTimelineAsync();

        var pics = h.Campaign.Villages.Where(v => v.PicEmail is not null && v.Code != "15.03.01.2001").Select(v => v.PicEmail!).ToList();
        Assert.NotEmpty(pics);
        // The campaign's sends (the waiting batch's own approval reminders, on a clock moving days, are the intake's).
        var campaignKey = h.Campaign.Id + ":";
        // The daily summary is the regency's (one a day however many campaigns it runs).
        var regencyKey = h.Campaign.RegencyCode + ":daily-summary:";
        List<MailSend> CampaignSends() => h.SendLog.Where(s => s.Key.StartsWith(campaignKey, StringComparison.Ordinal) || s.Key.StartsWith(regencyKey, StringComparison.Ordinal)).ToList();
        var before = CampaignSends().Count;

        // One wake-up at a time: the campaign sleeps until exactly its next moment, then sends what fell due then, once.
        for (var i = 0; i < timeline.Stops.Count; i++)
        {
            var stop = timeline.Stops[i];
            var sleeping = await h.UntilCampaignAsync(s => s.NextAt is { } n && n > previous, $"a timer after {previous:O}");
            Assert.Equal(stop.At, sleeping.NextAt);
            if (i == timeline.RestartBeforeStop) await h.RestartAsync(); // the campaign's timer survives a restart
            await h.PassToAsync(new DateTimeOffset(stop.At, TimeSpan.Zero));
            var woken = await h.UntilCampaignAsync(s => s.DoneUntil is { } d && d >= stop.At && s.NextAt is { } n && n > stop.At, $"the wake-up at {stop.At:O}");
            previous = stop.At;
            // One cycle per moment: a timer that woke the campaign early would have cost an empty cycle (nothing due yet,
            // continue as new), so the cycle sleeping until stop i is cycle i, and the one after it cycle i + 1.
            Assert.True((sleeping.Cycle, woken.Cycle) == (i, i + 1),
                $"{h.Engine}, wake-up {i} at {stop.At:O}: slept in cycle {sleeping.Cycle}, next cycle {woken.Cycle}; expected {i} and {i + 1}");

            // What this wake-up sent: each mail asked for once, and nothing else.
            var all = CampaignSends();
            var sent = all.Skip(before).ToList();
            before = all.Count;
            var expected = new List<string>();
            if (stop.ReminderOffsetDays is { } offset)
                expected.AddRange(Enumerable.Repeat($"Rekap pengingat ({DaysLeft(offset)})", 1).Concat(Enumerable.Repeat($"Pengingat: batas pengumpulan data ({DaysLeft(offset)})", pics.Count)));
            if (stop.Escalation) expected.Add("Batas waktu terlewati");
            if (stop.SummaryDay is { } day) expected.Add($"Ringkasan cakupan {Tanggal(day)}");
            Assert.True(expected.Order().SequenceEqual(sent.Select(s => Kind(s.Subject)).Order()),
                $"{h.Engine}, wake-up {i} at {stop.At:O}: expected [{string.Join(", ", expected.Distinct())}], sent [{string.Join(" | ", sent.Select(s => s.Subject))}]");
            Assert.All(sent.GroupBy(s => s.Key), g => Assert.True(g.Count() == 1, $"{h.Engine}, wake-up {i}: {g.Key} sent {g.Count()} times"));
        }

        var rounds = timeline.Stops.Where(s => s.ReminderOffsetDays is not null).Select(s => s.ReminderOffsetDays!.Value).ToList();
        var days = timeline.Stops.Where(s => s.SummaryDay is not null).Select(s => s.SummaryDay!.Value).ToList();
        Assert.Contains(0, rounds);
        Assert.Single(timeline.Stops, s => s.Escalation);
        Assert.NotEmpty(days);

        var mails = h.Mails();
        var summaries = mails.Where(m => m.Subject.Contains("Ringkasan cakupan")).ToList();
        Assert.Equal(days.Count, summaries.Count);
        Assert.All(days, day => Assert.Single(summaries, m => m.Subject.Contains($"Ringkasan cakupan {Tanggal(day)}")));
        Assert.All(summaries, m => Assert.True(m.IsTo(Coordinator) && m.IsTo(Sekda) && m.IsTo(Bappeda), m.To));

        // Each reminder round: one recap to the coordinators listing every late village and saying who was actually
        // reached (the 5 late villages with a PIC address, by email), the 152 without one listed for them to reach.
        var copies = mails.Where(m => m.Subject.Contains("Rekap pengingat")).ToList();
        Assert.Equal(rounds.Count, copies.Count);
        var noContact = h.Campaign.Villages.First(v => v.PicEmail is null).Code;
        Assert.All(copies, m =>
        {
            Assert.True(m.IsTo(Coordinator));
            Assert.Contains($"{pics.Count} dari 157 desa/kelurahan terkirim", m.Subject);
            Assert.Contains($"- Terkirim melalui email: {pics.Count}", m.Plain);
            Assert.Contains($"- Tidak dapat dihubungi: {157 - pics.Count}", m.Plain);
            Assert.Contains($"{157 - pics.Count} desa/kelurahan berikut tidak menerima pengingat karena tidak memiliki alamat email PIC", m.Plain);
            Assert.Contains("Sungai Keradak (15.03.01.2002), Kecamatan", m.Plain);
            Assert.EndsWith(": menunggu persetujuan; dihubungi melalui email", Line(m.Plain, "15.03.01.2002"));
            Assert.EndsWith(": perlu perbaikan; dihubungi melalui email", Line(m.Plain, "15.03.02.2005"));
            Assert.EndsWith(": belum mengunggah", Line(m.Plain, noContact));
            Assert.DoesNotContain("(15.03.01.2001)", m.Plain);
        });

        var picReminders = mails.Where(m => m.Subject.Contains("Pengingat: batas pengumpulan data")).ToList();
        Assert.Equal(pics.Count * rounds.Count, picReminders.Count);
        Assert.All(pics, pic => Assert.Equal(rounds.Count, picReminders.Count(m => m.IsTo(pic))));
        Assert.DoesNotContain(picReminders, m => m.IsTo(TambakRatuPic));
        Assert.All(rounds, offset => Assert.Equal(pics.Count, picReminders.Count(m => m.Subject.Contains($"({DaysLeft(offset)})"))));

        var escalation = Assert.Single(mails, m => m.Subject.Contains("Batas waktu terlewati"));
        Assert.Contains("157 desa/kelurahan", escalation.Subject);
        Assert.True(escalation.IsTo(Sekda) && escalation.IsTo(Bappeda));
        Assert.Contains(Coordinator, escalation.Cc);

        var coverage = CoverageJson.Deserialize(await File.ReadAllTextAsync(h.Blobs.PathOf(BlobContainers.Reports, CoverageBlobs.Json(h.Campaign.RegencyCode))));
        // Approved people count as covered from their coverage start, before it as starting later (issue 13.3): the
        // engines' clocks stand on different sides of it.
        Assert.Equal((6L, 3L), (coverage.Approved + coverage.ApprovedStartingLater, coverage.Pending));
        Assert.Equal(156, coverage.VillagesMissing.Count); // Pulau Pandan's unreadable file does not count as submitted

        // Every campaign mail was asked for exactly once over the whole timeline, and the campaign runs on.
        var campaignSends = CampaignSends();
        Assert.Equal(campaignSends.Count, mails.Count(m => Kind(m.Subject) != m.Subject));
        Assert.All(campaignSends.GroupBy(s => s.Key), g => Assert.True(g.Count() == 1, $"{h.Engine}: {g.Key} sent {g.Count()} times"));
        Assert.True((await h.Client.GetInstanceAsync(CampaignNames.InstanceId(h.Campaign.Id)))!.IsRunning);
    }

    protected static string Line(string text, string code) => text.Split('\n').Single(l => l.Contains($"({code})")).TrimEnd('\r');

    /// <summary>"11 Oktober 2024", as the mails date things.</summary>
    protected static string Tanggal(DateOnly day) =>
        $"{day.Day} {new[] { "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember" }[day.Month - 1]} {day.Year}";

    static string DaysLeft(int offset) => offset switch { 0 => "hari ini", 1 => "besok", _ => $"{offset} hari lagi" };

    /// <summary>What kind of campaign mail a subject is, in the words <see cref="Reminders_at_the_offsets_one_escalation_after_the_deadline_and_a_daily_summary_each_day"/> expects.</summary>
    static string Kind(string subject)
    {
        foreach (var kind in new[] { "Rekap pengingat", "Pengingat: batas pengumpulan data", "Batas waktu terlewati", "Ringkasan cakupan" })
        {
            var at = subject.IndexOf(kind, StringComparison.Ordinal);
            if (at < 0) continue;
            if (kind == "Batas waktu terlewati") return kind;
            if (kind == "Ringkasan cakupan") return subject[at..].Split(':')[0];
            var open = subject.IndexOf('(', at);
            return $"{kind} {subject[open..(subject.IndexOf(')', open) + 1)]}";
        }
        return subject;
    }
}
