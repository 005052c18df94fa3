using UcjFlow.Core.Registry;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// The workflow's mails through a real SMTP server (maildev), on a campaign clock the test moves: approval needed,
/// approval reminders and their escalation, deadline reminders, the unreadable-file notice, approved; never a NIK.
/// </summary>
public sealed class MailAndClockTests
{
    [Fact]
    public async Task Reminders_escalation_and_decisions_reach_the_right_people_without_any_NIK()
    {
        var maildev = Maildev.FromEnvironment();
        using var folder = new TempFolder();
        var campaign = TestCampaign.Write(folder.Path);
        var clock = new ManualClock(DemoCommand.Start);
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), clock, s => s with { CampaignFile = campaign.Path, Mail = maildev.Settings });
        var run = campaign.Run;
        var (tambak, bernai) = (app.Campaign.Village("15.03.01.2001")!, app.Campaign.Village("15.03.03.2002")!);

        var rows = RosterGenerator.Rows(tambak, 50, 20, RosterFlavor.Warnings).Skip(1).Select(r => r[1]).ToList();
        var (name, content) = RosterGenerator.Csv(tambak, 50, 20, RosterFlavor.Warnings);
        var up = await app.UploadAsync(tambak.Code, name, content);
        var (badName, bad) = RosterGenerator.Unreadable(bernai);
        var unreadable = await app.UploadAsync(bernai.Code, badName, bad);
        Assert.Equal(BatchStatus.AwaitingApproval, (await app.WaitForBatchAsync(up.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30))).Status);
        Assert.Equal(BatchStatus.Unreadable, (await app.WaitForBatchAsync(unreadable.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30))).Status);

        var asked = await maildev.WaitForAsync(run, m => m.To.Contains(campaign.Coordinator) && m.Subject.Contains("Persetujuan diperlukan"), "approval needed");
        Assert.Contains($"/batches/{up.BatchId}?token=", asked.Text);
        var received = await maildev.WaitForAsync(run, m => m.To.Contains(campaign.Pic(tambak.Code)) && m.Subject.Contains("Hasil pemeriksaan"), "the validation result");
        var notice = await maildev.WaitForAsync(run, m => m.To.Contains(campaign.Pic(bernai.Code)), "the unreadable-file notice");
        Assert.Contains("tidak dapat dibaca", notice.Subject);

        // Three approval intervals of two days: three reminders to the coordinators, then the leadership is told.
        for (var n = 1; n <= 3; n++)
        {
            clock.Advance(TimeSpan.FromDays(2));
            await maildev.WaitForAsync(run, m => m.To.Contains(campaign.Coordinator) && m.Subject.Contains($"Pengingat ke-{n}"), $"approval reminder {n}");
        }
        var escalation = await maildev.WaitForAsync(run, m => m.To.Contains(campaign.Leadership) && m.Subject.Contains("Eskalasi"), "the escalation");
        Assert.Contains(campaign.Coordinator, escalation.Cc.Concat(escalation.To));
        // Meanwhile the deadline reminders (15 and 19 October, 08:00 WIB) went to villages with nothing approved.
        await maildev.WaitForAsync(run, m => m.To.Contains(campaign.Pic("15.03.02.2005")) && m.Subject.Contains("Pengingat"), "a deadline reminder to a late village");
        // Its recap counts who was reached: the 6 villages with a PIC address, by email, of the 158 late ones (issue 9.6).
        var recap = await maildev.WaitForAsync(run, m => m.To.Contains(campaign.Coordinator) && m.Subject.Contains("Rekap pengingat"), "the reminder recap");
        Assert.Contains("6 dari 158 desa/kelurahan terkirim", recap.Subject);
        Assert.Contains("Terkirim melalui email: 6", recap.Text);
        Assert.Contains("152 desa/kelurahan berikut tidak menerima pengingat", recap.Text);

        (await app.DecideAsync(up.BatchId, true)).EnsureSuccessStatusCode();
        Assert.Equal(BatchStatus.Approved, (await app.WaitForBatchAsync(up.BatchId, InProcessApp.Decided, TimeSpan.FromSeconds(30))).Status);
        await maildev.WaitForAsync(run, m => m.To.Contains(campaign.Pic(tambak.Code)) && m.Subject.Contains("disetujui"), "batch approved");

        // The reminder of 21 October (1 day before) goes to late villages only: no longer to the approved one.
        clock.AdvanceTo(new DateTimeOffset(2024, 10, 21, 9, 0, 0, TimeSpan.FromHours(7)));
        await maildev.WaitForAsync(run, m => m.To.Contains(campaign.Pic("15.03.02.2005")) && m.Subject.Contains("(besok)"), "the last-day-but-one reminder");

        var all = await maildev.MailsAsync(run);
        Assert.Equal(3, all.Count(m => m.Subject.Contains("Pengingat ke-")));
        Assert.Single(all, m => m.Subject.Contains("Eskalasi"));
        foreach (var mail in all)
            foreach (var nik in rows)
                Assert.False(mail.Subject.Contains(nik) || mail.Text.Contains(nik) || mail.Html.Contains(nik), $"NIK {nik[..6]}… appears in '{mail.Subject}'");
        Assert.DoesNotContain(all, m => m.To.Contains(campaign.Pic(tambak.Code)) && m.Subject.Contains("(besok)"));
        Assert.Contains("Tambak Ratu", received.Subject);
    }
}
