using UcjFlow.Core.Campaigns;

namespace UcjFlow.Workflow.Campaigns;

/// <summary>
/// The campaign's calendar as pure functions of time (so the orchestrator stays deterministic): deadline reminders at
/// deadline − offset days, the escalation the day after the deadline (both at the reminder time, WIB), the daily
/// summary every day at the summary time (WIB) until the last funded day.
/// </summary>
public static class CampaignSchedule
{
    /// <summary>The first moment strictly after <paramref name="after"/> at which something is due; null when nothing ever is again.</summary>
    public static DateTime? Next(CampaignPlan plan, DateTime after)
    {
        var candidates = ReminderMoments(plan).Select(r => r.At).Append(EscalationAt(plan)).Where(t => t > after).ToList();
        if (NextSummary(plan, after) is { } summary) candidates.Add(summary.At);
        return candidates.Count == 0 ? null : candidates.Min();
    }

    /// <summary>
    /// What is due in (<paramref name="after"/>, <paramref name="upTo"/>]. When the host was down across several moments,
    /// only the latest of each kind is done: one reminder round (none once the escalation is due), one summary.
    /// </summary>
    public static CampaignDue Due(CampaignPlan plan, DateTime after, DateTime upTo)
    {
        bool InRange(DateTime t) => t > after && t <= upTo;
        var escalate = InRange(EscalationAt(plan));
        int? reminder = escalate ? null : ReminderMoments(plan).Where(r => InRange(r.At)).OrderBy(r => r.At).Select(r => (int?)r.Offset).LastOrDefault();
        // The latest summary moment at or before upTo (never past the last funded day).
        var day = LocalDate(upTo);
        if (At(day, plan.DailySummaryTime) > upTo) day = day.AddDays(-1);
        if (day > plan.LastDay) day = plan.LastDay;
        DateOnly? summary = InRange(At(day, plan.DailySummaryTime)) ? day : null;
        return new CampaignDue(reminder, escalate, summary);
    }

    public static DateTime EscalationAt(CampaignPlan plan) => At(plan.Deadline.AddDays(1), plan.ReminderTime);

    public static IEnumerable<(int Offset, DateTime At)> ReminderMoments(CampaignPlan plan) =>
        plan.ReminderOffsetsDays.Where(o => o >= 0).Distinct().Select(o => (o, At(plan.Deadline.AddDays(-o), plan.ReminderTime)));

    static (DateOnly Day, DateTime At)? NextSummary(CampaignPlan plan, DateTime after)
    {
        var day = LocalDate(after);
        if (At(day, plan.DailySummaryTime) <= after) day = day.AddDays(1);
        return day > plan.LastDay ? null : (day, At(day, plan.DailySummaryTime));
    }

    /// <summary>The UTC instant of a Jakarta date and time.</summary>
    public static DateTime At(DateOnly day, TimeOnly time) => JakartaTime.ToInstant(day, time).UtcDateTime;

    /// <summary>The Jakarta date of a UTC instant.</summary>
    public static DateOnly LocalDate(DateTime utc) =>
        DateOnly.FromDateTime(JakartaTime.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))).DateTime);
}
