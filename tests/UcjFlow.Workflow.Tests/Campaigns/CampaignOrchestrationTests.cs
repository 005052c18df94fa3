using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Campaigns;

public class CampaignOrchestrationTests
{
    const string Coordinator = "koordinator@disnakertrans.sarolangunkab.example.id";
    const string Sekda = "sekda@sarolangunkab.example.id";
    const string Bappeda = "bappeda@sarolangunkab.example.id";
    const string TambakRatuPic = "pic.tambakratu@desa.example.id";

    [Fact]
    public async Task Reminders_at_the_offsets_one_escalation_after_the_deadline_and_a_daily_summary_on_a_moving_clock()
    {
        await using var h = await WorkflowHarness.StartAsync();
        // Tambak Ratu approved, Sungai Keradak waiting, Pulau Pandan sent an unreadable file; 155 others sent nothing.
        var approved = await h.UploadAsync("15.03.01.2001", "peserta.csv", Rosters.Csv(Rosters.Workers(6)));
        await h.UntilStageAsync(approved, nameof(BatchStatus.AwaitingApproval));
        await h.DecideAsync(approved, approve: true);
        await h.CompletionAsync(approved);
        var waiting = await h.UploadAsync("15.03.01.2002", "peserta.csv", Rosters.Csv(Rosters.Workers(3, firstSerial: 100)));
        await h.UntilStageAsync(waiting, nameof(BatchStatus.AwaitingApproval));
        var broken = await h.UploadAsync("15.03.02.2005", "peserta.xlsx", "bukan excel"u8.ToArray());
        await h.CompletionAsync(broken);

        Assert.True(await h.Client.EnsureCampaignStartedAsync(h.Campaign.Id));
        Assert.False(await h.Client.EnsureCampaignStartedAsync(h.Campaign.Id));
        var id = CampaignNames.InstanceId(h.Campaign.Id);

        // Thursday 10 October 09:00 WIB → Wednesday 23 October 08:00 WIB (the escalation), one wake-up at a time.
        var escalationAt = new DateTimeOffset(2024, 10, 23, 1, 0, 0, TimeSpan.Zero);
        var steps = 0;
        while (true)
        {
            var next = await NextWakeUpAsync(h, id);
            if (next > escalationAt) break;
            if (steps == 4) await h.RestartAsync(); // the campaign's timer survives a restart
            await StepAsync(h, id, next);
            steps++;
        }
        Assert.Equal(13 + 4 + 1, steps); // summaries 11–23 Oct, reminders 15/19/21/22 Oct, escalation 23 Oct

        var mails = h.Mails();
        var summaries = mails.Where(m => m.Subject.Contains("Ringkasan cakupan")).ToList();
        Assert.Equal(13, summaries.Count);
        Assert.All(summaries, m => Assert.True(m.IsTo(Coordinator) && m.IsTo(Sekda) && m.IsTo(Bappeda), m.To));
        Assert.Contains(summaries, m => m.Subject.Contains("11 Oktober 2024"));
        Assert.Contains(summaries, m => m.Subject.Contains("23 Oktober 2024"));

        var copies = mails.Where(m => m.Subject.Contains("Rekap pengingat")).ToList();
        Assert.Equal(4, copies.Count);
        Assert.All(copies, m => Assert.True(m.IsTo(Coordinator)));
        Assert.All(copies, m => Assert.Contains("157 desa/kelurahan belum disetujui", m.Subject));
        Assert.Contains("Sungai Keradak (15.03.01.2002), Kecamatan", copies[0].Plain);
        Assert.Contains(": menunggu persetujuan", Line(copies[0].Plain, "15.03.01.2002"));
        Assert.Contains(": perlu perbaikan", Line(copies[0].Plain, "15.03.02.2005"));
        Assert.DoesNotContain("(15.03.01.2001)", copies[0].Plain);

        var picReminders = mails.Where(m => m.Subject.Contains("Pengingat: batas pengumpulan data")).ToList();
        var pics = h.Campaign.Villages.Where(v => v.PicEmail is not null && v.Code != "15.03.01.2001").Select(v => v.PicEmail!).ToList();
        Assert.Equal(pics.Count * 4, picReminders.Count);
        Assert.All(pics, pic => Assert.Equal(4, picReminders.Count(m => m.IsTo(pic))));
        Assert.DoesNotContain(picReminders, m => m.IsTo(TambakRatuPic));
        Assert.Equal(pics.Count, picReminders.Count(m => m.Subject.Contains("(hari ini)")));
        Assert.Equal(pics.Count, picReminders.Count(m => m.Subject.Contains("(7 hari lagi)")));

        var escalation = Assert.Single(mails, m => m.Subject.Contains("Batas waktu terlewati"));
        Assert.Contains("157 desa/kelurahan", escalation.Subject);
        Assert.True(escalation.IsTo(Sekda) && escalation.IsTo(Bappeda));
        Assert.Contains(Coordinator, escalation.Cc);

        var coverage = CoverageJson.Deserialize(await File.ReadAllTextAsync(h.Blobs.PathOf(BlobContainers.Reports, CoverageBlobs.Json)));
        Assert.Equal((6, 3), (coverage.Approved, coverage.Pending));
        Assert.Equal(156, coverage.VillagesMissing.Count); // Pulau Pandan's unreadable file does not count as submitted

        // Down for three days: on waking, one summary (the latest day), no burst of the missed ones, no second escalation.
        h.Clock.AdvanceTo(new DateTimeOffset(2024, 10, 26, 5, 0, 0, TimeSpan.Zero));
        await h.UntilMailsAsync(m => m.Subject.Contains("Ringkasan cakupan 26 Oktober 2024"), 1, "summary of 26 October");
        var status = await UntilStatusAsync(h, id, s => s.NextAt is { } n && n > new DateTime(2024, 10, 26, 5, 0, 0, DateTimeKind.Utc), "next cycle");
        Assert.Equal(new DateTime(2024, 10, 27, 0, 0, 0, DateTimeKind.Utc), status.NextAt);
        Assert.Equal(14, h.Mails().Count(m => m.Subject.Contains("Ringkasan cakupan")));
        Assert.Single(h.Mails(), m => m.Subject.Contains("Batas waktu terlewati"));
        Assert.True((await h.Client.GetInstanceAsync(id))!.IsRunning);
    }

    static string Line(string text, string code) => text.Split('\n').Single(l => l.Contains($"({code})"));

    static async Task<DateTimeOffset> NextWakeUpAsync(WorkflowHarness h, string id)
    {
        var now = h.Clock.GetUtcNow().UtcDateTime;
        var status = await UntilStatusAsync(h, id, s => s.NextAt is { } n && n > now, "a timer set");
        return new DateTimeOffset(status.NextAt!.Value, TimeSpan.Zero);
    }

    static async Task StepAsync(WorkflowHarness h, string id, DateTimeOffset at)
    {
        h.Clock.AdvanceTo(at);
        await UntilStatusAsync(h, id, s => s.DoneUntil is { } d && d >= at.UtcDateTime && s.NextAt is { } n && n > at.UtcDateTime, $"cycle at {at:u}");
    }

    static async Task<CampaignStatus> UntilStatusAsync(WorkflowHarness h, string id, Func<CampaignStatus, bool> condition, string what)
    {
        var m = await h.UntilAsync(id, m => m.SerializedCustomStatus is not null && m.ReadCustomStatusAs<CampaignStatus>() is { } s && condition(s), what);
        return m.ReadCustomStatusAs<CampaignStatus>()!;
    }
}
