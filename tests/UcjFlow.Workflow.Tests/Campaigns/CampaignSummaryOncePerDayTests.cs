using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Embedded.Durable;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Tests.Scenarios;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Campaigns;

/// <summary>
/// SMTP does not dedupe by key (the outbox does), so the workflow itself must send each day's summary once when no
/// activity crashed: counted at the mailer, before any dedupe, while the clock jumps by whole days.
/// </summary>
public class CampaignSummaryOncePerDayTests
{
    // 10 October 2024, 09:00 WIB and 07:00 WIB (the sample campaign's summary time).
    static readonly DateTimeOffset AfterSummaryTime = new(2024, 10, 10, 2, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset OnSummaryTime = new(2024, 10, 10, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public async Task Each_days_summary_is_sent_once_when_the_clock_jumps_by_whole_days(int days, bool onSummaryTime)
    {
        var start = onSummaryTime ? OnSummaryTime : AfterSummaryTime;
        await using var h = await WorkflowHarness.StartAsync(start: start);
        var (runner, mailer) = await StartCountedAsync(h);
        await using var _ = runner;
        var id = CampaignNames.InstanceId(h.Campaign.Id);
        await UntilCycleAsync(runner.Client, id, start.UtcDateTime);

        var summaryDays = new List<string>();
        for (var at = start.AddDays(days); at <= new DateTimeOffset(2024, 10, 26, 0, 0, 0, TimeSpan.Zero); at = at.AddDays(days))
        {
            h.Clock.AdvanceTo(at);
            // Done with this wake-up once the next cycle has set its timer: nothing more is sent before the clock moves.
            await UntilCycleAsync(runner.Client, id, at.UtcDateTime);
            summaryDays.Add($"{h.Campaign.RegencyCode}:daily-summary:{CampaignSchedule.LocalDate(at.UtcDateTime):yyyy-MM-dd}");
        }

        var sends = mailer.Log;
        var summaries = sends.Where(s => s.Key.Contains(":daily-summary:")).ToList();
        Assert.Equal(summaryDays, summaries.Select(s => s.Key).Distinct()); // one summary per wake-up, for the day woken on
        Assert.All(mailer.Counts, s => Assert.True(s.Value == 1, $"{s.Key} sent {s.Value} times"));
        Assert.Contains(sends, s => s.Key.Contains(":deadline-escalation"));
    }

    [Fact]
    public async Task A_summary_woken_before_the_summary_time_is_dated_by_its_own_day_not_the_next()
    {
        // 10 October 06:00 WIB, before the 07:00 summary; one whole day later (still 06:00) the 10th's summary is due,
        // and at 07:00 the 11th's: two mails, each naming its own day (not two "11 Oktober").
        var start = new DateTimeOffset(2024, 10, 9, 23, 0, 0, TimeSpan.Zero);
        await using var h = await WorkflowHarness.StartAsync(start: start);
        var (runner, mailer) = await StartCountedAsync(h);
        await using var _ = runner;
        var id = CampaignNames.InstanceId(h.Campaign.Id);
        await UntilCycleAsync(runner.Client, id, start.UtcDateTime);

        foreach (var at in new[] { start.AddDays(1), new DateTimeOffset(2024, 10, 11, 0, 0, 0, TimeSpan.Zero) })
        {
            h.Clock.AdvanceTo(at);
            await UntilCycleAsync(runner.Client, id, at.UtcDateTime);
        }

        var summaries = mailer.Log.Where(m => m.Key.Contains(":daily-summary:")).ToList();
        Assert.Equal([$"{h.Campaign.RegencyCode}:daily-summary:2024-10-10", $"{h.Campaign.RegencyCode}:daily-summary:2024-10-11"], summaries.Select(m => m.Key));
        Assert.Contains("Ringkasan cakupan 10 Oktober 2024", summaries[0].Subject);
        Assert.Contains("Ringkasan cakupan 11 Oktober 2024", summaries[1].Subject);
    }

    static async Task<(EmbeddedDurableRunner, CountingMailer)> StartCountedAsync(WorkflowHarness h)
    {
        var mailer = new CountingMailer(h.Mailer, h.Clock);
        var services = new Services()
            .Add(h.Store).Add<IEnrollmentRegistry>(h.Registry).Add<IBlobStore>(h.Blobs).Add<IMailer>(mailer)
            .Add(new UcjFlow.Workflow.Coverage.CoveragePublisher(h.Store, h.Registry, h.Blobs, h.Clock))
            .Add<TimeProvider>(h.Clock).Add(h.Signer).Add(h.Options).Add<Microsoft.Extensions.Logging.ILoggerFactory>(h.Logs);
        var runner = EmbeddedDurableRunner.Create(Path.Combine(h.Folder, "campaign.db"), new DurableTaskRegistry().AddUcjFlowWorkflow(),
            new EmbeddedDurableOptions { TimeProvider = h.Clock, Services = services, LoggerFactory = h.Logs, DataConverter = WorkflowJson.DataConverter });
        await runner.StartAsync();
        Assert.True(await runner.Client.EnsureCampaignStartedAsync(h.Campaign.Id));
        return (runner, mailer);
    }

    /// <summary>Until the cycle woken at <paramref name="at"/> is done and the next one has set its timer.</summary>
    static Task UntilCycleAsync(DurableTaskClient client, string id, DateTime at) => Poll.UntilAsync(async () =>
        {
            var m = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
            if (m is { RuntimeStatus: OrchestrationRuntimeStatus.Failed }) throw new Xunit.Sdk.XunitException($"{id} failed: {m.FailureDetails}");
            return m;
        },
        m => m?.SerializedCustomStatus is not null && m.ReadCustomStatusAs<CampaignStatus>() is { DoneUntil: { } d, NextAt: { } n } && d >= at && n > at,
        m => $"{id} did not finish the cycle at {at:u}: {m?.SerializedCustomStatus}");
}
