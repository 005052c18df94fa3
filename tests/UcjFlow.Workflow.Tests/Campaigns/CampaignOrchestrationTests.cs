using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Tests.Scenarios;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Campaigns;

/// <summary>
/// The campaign scenario on the embedded runner (the whole sample calendar on a manual clock), and one only the manual
/// clock can show: a host down for days.
/// </summary>
public class CampaignOrchestrationTests : CampaignScenarios
{
    private protected override async Task<ScenarioHarness> StartAsync(CampaignTime time) => await WorkflowHarness.StartAsync();

    [Fact]
    public async Task Down_for_three_days_the_campaign_wakes_to_one_summary_of_the_latest_day_and_no_second_escalation()
    {
        // Tuesday 22 October 2024, 09:00 WIB: the deadline day, after its reminder round.
        await using var h = await WorkflowHarness.StartAsync(start: new DateTimeOffset(2024, 10, 22, 2, 0, 0, TimeSpan.Zero));
        Assert.True(await h.Client.EnsureCampaignStartedAsync(h.Campaign.Id));
        // The 23rd's summary (07:00 WIB), then the escalation (08:00 WIB).
        foreach (var at in new[] { new DateTime(2024, 10, 23, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 10, 23, 1, 0, 0, DateTimeKind.Utc) })
        {
            Assert.Equal(at, (await h.UntilCampaignAsync(s => s.NextAt is { } n && n >= at, $"the timer at {at:O}")).NextAt);
            await h.PassToAsync(new DateTimeOffset(at, TimeSpan.Zero));
            await h.UntilCampaignAsync(s => s.DoneUntil is { } d && d >= at && s.NextAt is { } n && n > at, $"the wake-up at {at:O}");
        }
        Assert.Single(h.Mails(), m => m.Subject.Contains("Batas waktu terlewati"));

        // Down for three days: on waking, one summary (the latest day), no burst of the missed ones, no second escalation.
        var woken = new DateTimeOffset(2024, 10, 26, 5, 0, 0, TimeSpan.Zero);
        await h.PassToAsync(woken);
        await h.UntilMailsAsync(m => m.Subject.Contains("Ringkasan cakupan 26 Oktober 2024"), 1, "summary of 26 October");
        var status = await h.UntilCampaignAsync(s => s.NextAt is { } n && n > woken.UtcDateTime, "next cycle");
        Assert.Equal(new DateTime(2024, 10, 27, 0, 0, 0, DateTimeKind.Utc), status.NextAt);
        var summaries = h.Mails().Where(m => m.Subject.Contains("Ringkasan cakupan")).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.Single(summaries, m => m.Subject.Contains("Ringkasan cakupan 23 Oktober 2024"));
        Assert.Single(summaries, m => m.Subject.Contains("Ringkasan cakupan 26 Oktober 2024"));
        Assert.Single(h.Mails(), m => m.Subject.Contains("Batas waktu terlewati"));
        Assert.True((await h.Client.GetInstanceAsync(CampaignNames.InstanceId(h.Campaign.Id)))!.IsRunning);
    }
}
