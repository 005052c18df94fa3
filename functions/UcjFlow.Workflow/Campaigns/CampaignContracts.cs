namespace UcjFlow.Workflow.Campaigns;

/// <summary>Names shared by the hosts that start the Campaign orchestration.</summary>
public static class CampaignNames
{
    /// <summary>The orchestrator's registered name.</summary>
    public const string Orchestrator = "Campaign";

    /// <summary>One instance per campaign: "campaign-{campaignId}".</summary>
    public static string InstanceId(string campaignId) => $"campaign-{campaignId}";
}

/// <summary>
/// The Campaign orchestration's input, carried from cycle to cycle through continue-as-new. <paramref name="DoneUntil"/>
/// (UTC) is the moment up to which every due action was taken; null on the first start (then: from now, no catching up).
/// </summary>
public sealed record CampaignInput(string CampaignId, DateTime? DoneUntil = null, int Cycle = 0);

/// <summary>The campaign's calendar, read from the campaign once per cycle and kept in history.</summary>
public sealed record CampaignPlan(
    string CampaignId,
    DateOnly Deadline,
    IReadOnlyList<int> ReminderOffsetsDays,
    TimeOnly ReminderTime,
    TimeOnly DailySummaryTime,
    DateOnly LastDay);

/// <summary>What one wake-up does: at most one reminder round, the escalation, at most one daily summary.</summary>
public sealed record CampaignDue(int? ReminderOffsetDays, bool Escalate, DateOnly? SummaryDay)
{
    public bool IsEmpty => ReminderOffsetDays is null && !Escalate && SummaryDay is null;
}

/// <summary>The campaign's custom status: the next wake-up and what the last one did.</summary>
public sealed record CampaignStatus(int Cycle, DateTime? NextAt, DateTime? DoneUntil, CampaignDue? LastDone, bool Finished = false);

/// <summary>Input of the daily summary of a campaign for one Jakarta date.</summary>
public sealed record DailySummaryInput(string CampaignId, DateOnly Day);

/// <summary>Input of a deadline reminder round.</summary>
public sealed record ReminderRound(string CampaignId, int OffsetDays);

/// <summary>How many villages a round reached (PIC mails sent, villages listed to the coordinators).</summary>
public sealed record RoundOutcome(int VillagesLate, int PicMailsSent);
