using UcjFlow.Workflow.Campaigns;

namespace UcjFlow.Workflow.Tests.Campaigns;

public class CampaignScheduleTests
{
    // Deadline Tuesday 22 October 2024; reminders 08:00 WIB (01:00 UTC), summary 07:00 WIB (00:00 UTC).
    static readonly CampaignPlan Plan = new("c", new DateOnly(2024, 10, 22), [7, 3, 1, 0], new TimeOnly(8, 0), new TimeOnly(7, 0), new DateOnly(2025, 10, 31));

    static DateTime Utc(int month, int day, int hour) => new(2024, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Next_is_the_daily_summary_or_the_reminder_whichever_comes_first()
    {
        Assert.Equal(Utc(10, 11, 0), CampaignSchedule.Next(Plan, Utc(10, 10, 2)));
        Assert.Equal(Utc(10, 15, 1), CampaignSchedule.Next(Plan, Utc(10, 15, 0)));
        Assert.Equal(Utc(10, 23, 1), CampaignSchedule.Next(Plan, Utc(10, 23, 0)));
        Assert.Equal(Utc(10, 24, 0), CampaignSchedule.Next(Plan, Utc(10, 23, 1)));
        Assert.Null(CampaignSchedule.Next(Plan, new DateTime(2025, 10, 31, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Due_on_time_is_exactly_what_was_scheduled()
    {
        Assert.Equal(new CampaignDue(null, false, new DateOnly(2024, 10, 11)), CampaignSchedule.Due(Plan, Utc(10, 10, 2), Utc(10, 11, 0)));
        Assert.Equal(new CampaignDue(7, false, null), CampaignSchedule.Due(Plan, Utc(10, 15, 0), Utc(10, 15, 1)));
        Assert.Equal(new CampaignDue(0, false, null), CampaignSchedule.Due(Plan, Utc(10, 22, 0), Utc(10, 22, 1)));
        Assert.Equal(new CampaignDue(null, true, null), CampaignSchedule.Due(Plan, Utc(10, 23, 0), Utc(10, 23, 1)));
    }

    [Fact]
    public void After_a_long_outage_only_the_latest_of_each_kind_is_due()
    {
        // Down from the 14th to the 20th: one summary (the 20th), one reminder round (3 days before), not three summaries and two rounds.
        Assert.Equal(new CampaignDue(3, false, new DateOnly(2024, 10, 20)), CampaignSchedule.Due(Plan, Utc(10, 14, 2), Utc(10, 20, 5)));
        // Down across the deadline: the escalation replaces the missed reminders.
        Assert.Equal(new CampaignDue(null, true, new DateOnly(2024, 10, 25)), CampaignSchedule.Due(Plan, Utc(10, 20, 2), Utc(10, 25, 5)));
        // Woken before today's summary time: yesterday's summary is the one due.
        Assert.Equal(new DateOnly(2024, 10, 16), CampaignSchedule.Due(Plan, Utc(10, 15, 2), new DateTime(2024, 10, 16, 23, 30, 0, DateTimeKind.Utc)).SummaryDay);
    }
}
