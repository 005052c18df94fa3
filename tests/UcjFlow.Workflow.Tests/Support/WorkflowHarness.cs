using Microsoft.Data.Sqlite;
using UcjFlow.Core.Campaigns;
using UcjFlow.Embedded.Durable;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Tests.Scenarios;

namespace UcjFlow.Workflow.Tests.Support;

/// <summary>
/// The scenario harness on the embedded durable runner (one SQLite file) with a manual clock that drives every timer:
/// campaign time passes exactly when a test moves the clock, so the scenarios run in milliseconds.
/// </summary>
internal sealed class WorkflowHarness : ScenarioHarness
{
    /// <summary>Thursday 10 October 2024, 09:00 WIB: twelve days before the sample campaign's deadline.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2024, 10, 10, 2, 0, 0, TimeSpan.Zero);

    WorkflowHarness(ManualTimeProvider clock, Campaign campaign) : base(clock, campaign) => Clock = clock;

    public override string Engine => "embedded";
    public ManualTimeProvider Clock { get; }
    public EmbeddedDurableRunner Runner { get; private set; } = null!;
    public override DurableTaskClient Client => Runner.Client;
    public override TimeSpan Tick => TimeSpan.FromMinutes(1);

    public static async Task<WorkflowHarness> StartAsync(Func<Campaign, Campaign>? adjust = null, DateTimeOffset? start = null)
    {
        var harness = new WorkflowHarness(new ManualTimeProvider(start ?? DefaultStart), adjust is null ? SampleCampaign : adjust(SampleCampaign));
        await harness.RestartAsync();
        return harness;
    }

    /// <summary>Moves the clock to <paramref name="moment"/>, then waits until the runner has acted on all that fell due.</summary>
    public override async Task PassToAsync(DateTimeOffset moment)
    {
        Clock.AdvanceTo(moment);
        await SettledAsync();
    }

    /// <summary>
    /// Waits until the runner is quiescent at the clock's time: no message due by then waits in its inbox and no activity
    /// is outstanding. The runner removes a message, or an activity's work item, in the same transaction that commits what
    /// it led to (history, new messages and work items), so an empty answer means nothing is in flight either. Read from
    /// the runner's SQLite file, the one place that state is kept (the runner offers no idle signal).
    /// </summary>
    Task SettledAsync() => Poll.UntilAsync(() =>
        {
            using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DurableDatabase, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT (SELECT COUNT(*) FROM durable_inbox WHERE visible_at <= $now) + (SELECT COUNT(*) FROM durable_activities)";
            cmd.Parameters.AddWithValue("$now", Clock.GetUtcNow().UtcTicks);
            return (long)cmd.ExecuteScalar()!;
        },
        pending => pending == 0, pending => $"embedded: {pending} messages or activities still pending at {Clock.GetUtcNow():O}");

    string DurableDatabase => Path.Combine(Folder, "durable.db");

    /// <summary>Stops the runner and the registry (if running) and starts both again on the same files: a host restart.</summary>
    public override async Task RestartAsync()
    {
        if (Runner is not null) await Runner.DisposeAsync();
        await OpenRegistryAsync();
        Runner = EmbeddedDurableRunner.Create(DurableDatabase, new DurableTaskRegistry().AddUcjFlowWorkflow(),
            new EmbeddedDurableOptions
            {
                TimeProvider = Clock, Services = CreateServices(), LoggerFactory = Logs, DataConverter = WorkflowJson.DataConverter,
                ActivityLanes = WorkflowActivityLanes.Of, // as `serve` runs them
            });
        await Runner.StartAsync();
    }

    /// <summary>
    /// From <see cref="DefaultStart"/> through the escalation, one wake-up at a time, as a continuous clock would wake the
    /// campaign: the sample calendar (deadline Tuesday 22 October 2024; reminders 7, 3, 1 and 0 days before at 08:00 WIB;
    /// the summary every day at 07:00 WIB; the escalation on 23 October at 08:00 WIB). The host restarts before the fifth.
    /// </summary>
    public override Task<CampaignTimeline> CampaignTimelineAsync()
    {
        Assert.Equal(DefaultStart, Now);
        static DateTime Utc(int day, int hour) => new(2024, 10, day, hour, 0, 0, DateTimeKind.Utc);
        var stops = Enumerable.Range(11, 13).Select(day => new CampaignStop(Utc(day, 0), SummaryDay: new DateOnly(2024, 10, day)))
            .Concat(new[] { 7, 3, 1, 0 }.Select(offset => new CampaignStop(Utc(22 - offset, 1), ReminderOffsetDays: offset)))
            .Append(new CampaignStop(Utc(23, 1), Escalation: true))
            .OrderBy(s => s.At).ToList();
        return Task.FromResult(new CampaignTimeline(stops, RestartBeforeStop: 4));
    }

    protected override ValueTask StopEngineAsync() => Runner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
