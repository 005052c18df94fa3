using Microsoft.Extensions.Logging;
using UcjFlow.Core.Campaigns;
using UcjFlow.Functions.Tests.Support;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Tests.Scenarios;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Functions.Tests.RealEngine;

/// <summary>
/// The scenario harness on the real Durable Task engine (<see cref="RealTaskHub"/>: DurableTask.Core, Azure Storage
/// provider on Azurite, Microsoft.DurableTask shims, the app's WorkflowBridge), on the same real parts as the embedded
/// harness (SQLite registry, folder blobs, outbox mailer). Its timers run on real time (queue message visibility), which
/// no test can move: campaign time the scenario lets pass is made short instead, and every other interval long.
/// <list type="bullet">
/// <item>Approval reminders: <see cref="ShortApprovalInterval"/> when the scenario lets them pass, an hour otherwise.</item>
/// <item>The approval wait: <see cref="ShortApprovalWait"/> when the scenario lets it end, none otherwise.</item>
/// <item>The campaign calendar: the deadline day and the day after, anchored on real Jakarta time when the campaign first
/// reads it (<see cref="CampaignTimelineAsync"/>).</item>
/// </list>
/// "Let time pass" is then nothing to do; the scenario polls for the effect. A restart stops the worker without draining
/// and starts a new one (new worker id) on the same task hub.
/// </summary>
internal sealed class RealEngineHarness : ScenarioHarness
{
    /// <summary>The approval reminder interval when a scenario lets it pass: long enough for a poll to see each reminder alone.</summary>
    public static readonly TimeSpan ShortApprovalInterval = TimeSpan.FromSeconds(2);

    /// <summary>The approval wait when a scenario lets it end: long enough for a scenario to claim a decision before it ends.</summary>
    public static readonly TimeSpan ShortApprovalWait = TimeSpan.FromSeconds(6);

    /// <summary>Any interval the scenario does not let pass: never falls due in a test.</summary>
    static readonly TimeSpan Never = TimeSpan.FromHours(1);

    /// <summary>From the campaign's first calendar read to its first moment (the timer is set in the next episode).</summary>
    static readonly TimeSpan Lead = TimeSpan.FromSeconds(4);

    /// <summary>From the deadline day's moment to the next day's (that wake-up's mails, then a host restart).</summary>
    static readonly TimeSpan DayGap = TimeSpan.FromSeconds(8);

    RealTaskHub hub = null!;
    Services services = null!;
    Services planServices = null!;
    RealCalendar? calendar;

    RealEngineHarness(Campaign campaign) : base(TimeProvider.System, campaign) { }

    public override string Engine => "real";
    public override DurableTaskClient Client => hub.Client;
    public override Campaign Campaign => calendar?.Campaign ?? base.Campaign;
    public override WorkflowOptions Options => calendar?.Options ?? base.Options;

    /// <summary>A second; passing it does nothing here (real time passes by itself, see <see cref="PassToAsync"/>).</summary>
    public override TimeSpan Tick => TimeSpan.FromSeconds(1);

    public static async Task<RealEngineHarness> StartAsync(CampaignTime time)
    {
        var campaign = SampleCampaign with
        {
            ApprovalReminderInterval = time.HasFlag(CampaignTime.ApprovalReminders) ? ShortApprovalInterval : Never,
            // Real time is long past the sample's coverage start, so the wait ends by the campaign's limit alone.
            ApprovalWaitLimit = time.HasFlag(CampaignTime.ApprovalExpiry) ? ShortApprovalWait : null,
        };
        if (time.HasFlag(CampaignTime.Calendar))
        {
            // The campaign runs now: the deadline today (Jakarta), coverage from ten days later, as the sample's.
            var today = CampaignSchedule.LocalDate(DateTime.UtcNow);
            campaign = campaign with { SubmissionDeadline = today, CoverageStart = today.AddDays(10) };
        }
        var harness = new RealEngineHarness(campaign);
        if (time.HasFlag(CampaignTime.Calendar)) harness.calendar = new RealCalendar(campaign, harness.Options);
        try
        {
            await harness.OpenAsync();
            harness.hub = await RealTaskHub.StartAsync(Azurite.ConnectionString, Azurite.UniqueName("ucjrt"),
                new DurableTaskRegistry().AddUcjFlowWorkflow(), name => name == GetCampaignPlanActivity.Name ? harness.planServices : harness.services,
                harness.Logs, new MinimumLevelLoggerFactory(harness.Logs, LogLevel.Warning));
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    async Task OpenAsync()
    {
        await OpenRegistryAsync();
        services = CreateServices();
        // The campaign's calendar is read by one activity, at the start of each cycle: that read is where a real-time
        // campaign day turns over (see RealCalendar).
        planServices = CreateServices().Add<CampaignStore>(() => { calendar?.OnCalendarRead(); return Store; });
    }

    public override Task PassToAsync(DateTimeOffset moment) => Task.CompletedTask;

    /// <summary>The worker stops without draining; the registry connection closes; both come back (a new worker id).</summary>
    public override async Task RestartAsync()
    {
        await hub.StopWorkerAsync(forced: true);
        await OpenAsync();
        await hub.StartWorkerAsync();
    }

    /// <summary>
    /// The campaign's deadline day and the day after, a few seconds apart, anchored at the campaign's first calendar read
    /// (so however long the start took, the first moment is ahead of it). Until the first moment (A, <see cref="Lead"/>
    /// after that read) the calendar is the deadline day's: deadline today, reminder and summary time A, so A is the day's
    /// last reminder round ("hari ini") and its summary. The first calendar read at or after A turns the day over:
    /// deadline yesterday, reminder time B (<see cref="DayGap"/> after A), so B is the escalation; the summary stays at A's
    /// time of day, already done. The orchestration reads its calendar once per cycle, so every cycle sees one consistent
    /// day; the timers, continue-as-new, activities and mails are the engine's own. The host restarts before B.
    /// </summary>
    public override async Task<CampaignTimeline> CampaignTimelineAsync()
    {
        var calendar = this.calendar ?? throw new InvalidOperationException("Start the harness with CampaignTime.Calendar.");
        return (await Poll.UntilAsync(() => calendar.Timeline, t => t is not null, _ => "real: the campaign did not read its calendar"))!;
    }

    static TimeOnly TimeOf(DateTime utc) => TimeOnly.FromTimeSpan(JakartaTime.ToLocal(new DateTimeOffset(utc)).TimeOfDay);

    protected override async ValueTask StopEngineAsync()
    {
        if (hub is not null) await hub.DisposeAsync();
    }

    /// <summary>The campaign's calendar on real time: none until the first read, then the deadline day, then the day after.</summary>
    sealed class RealCalendar(Campaign campaign, WorkflowOptions options)
    {
        readonly Lock gate = new();
        (Campaign Campaign, WorkflowOptions Options) deadlineDay = (campaign, options), dayAfter;
        DateTime turnAt;
        bool turned;

        public CampaignTimeline? Timeline { get; private set; }

        public Campaign Campaign
        {
            get { lock (gate) return turned ? dayAfter.Campaign : deadlineDay.Campaign; }
        }

        public WorkflowOptions Options
        {
            get { lock (gate) return turned ? dayAfter.Options : deadlineDay.Options; }
        }

        public void OnCalendarRead()
        {
            lock (gate)
            {
                var now = DateTime.UtcNow;
                if (Timeline is null) Anchor(now);
                else if (now >= turnAt) turned = true;
            }
        }

        void Anchor(DateTime now)
        {
            var a = new DateTime((now + Lead).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond + TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            var b = a + DayGap;
            var day = CampaignSchedule.LocalDate(a);
            deadlineDay = (campaign with { SubmissionDeadline = day, DailySummaryTime = TimeOf(a) }, options with { DeadlineReminderTime = TimeOf(a) });
            dayAfter = (campaign with { SubmissionDeadline = CampaignSchedule.LocalDate(b).AddDays(-1), DailySummaryTime = TimeOf(a) },
                options with { DeadlineReminderTime = TimeOf(b) });
            turnAt = a;
            Timeline = new CampaignTimeline([new CampaignStop(a, ReminderOffsetDays: 0, SummaryDay: day), new CampaignStop(b, Escalation: true)], RestartBeforeStop: 1);
        }
    }
}
