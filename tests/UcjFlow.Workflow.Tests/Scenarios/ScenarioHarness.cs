using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.Core.Storage;
using UcjFlow.Embedded.Mail;
using UcjFlow.Embedded.Registry;
using UcjFlow.Embedded.Storage;
using UcjFlow.Embedded.Tests.Mail;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Scenarios;

/// <summary>
/// The campaign time a scenario lets pass, declared when it starts. The embedded runner's clock only moves when the
/// scenario moves it, so it needs no declaration; the real engine runs on real time, so its harness makes the declared
/// intervals short (seconds) and leaves every other one long enough never to fall due during the test.
/// </summary>
[Flags]
internal enum CampaignTime
{
    /// <summary>No timer of the workflow falls due.</summary>
    None = 0,
    /// <summary>The approval reminder interval passes (reminders, then the escalation).</summary>
    ApprovalReminders = 1,
    /// <summary>The campaign's calendar passes: deadline reminders, the escalation, daily summaries.</summary>
    Calendar = 2,
    /// <summary>A batch's approval wait ends (<see cref="ApprovalPlan.ExpiresAt"/>): the coverage start, or the campaign's limit.</summary>
    ApprovalExpiry = 4,
}

/// <summary>
/// One wake-up of the Campaign orchestration on the engine's timeline: the moment (UTC) and what falls due then.
/// </summary>
internal sealed record CampaignStop(DateTime At, int? ReminderOffsetDays = null, bool Escalation = false, DateOnly? SummaryDay = null);

/// <summary>
/// The campaign time an engine lives through from the moment the campaign starts: its wake-ups in order, and before which
/// one the host is restarted (the campaign's timer has to survive it).
/// </summary>
internal sealed record CampaignTimeline(IReadOnlyList<CampaignStop> Stops, int RestartBeforeStop);

/// <summary>
/// The workflow on real parts in a temp folder, whatever the engine: the SQLite registry, a folder blob store, the outbox
/// mailer, the shipped sample campaign. Subclasses bring the durable engine and its way of letting campaign time pass
/// (<see cref="PassToAsync"/>): the scenario suites (<see cref="IntakeScenarios"/>, <see cref="CampaignScenarios"/>) are
/// written once against this class and run on every engine.
/// </summary>
internal abstract class ScenarioHarness : IAsyncDisposable
{
    public const string BaseUrl = "https://ucjflow.test";

    static readonly Lazy<Campaign> Sample = new(() =>
        CampaignLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Campaigns", "campaign.sarolangun-2024.json")));

    /// <summary>The shipped sample campaign (Kabupaten Sarolangun, 158 villages, deadline 22 October 2024).</summary>
    public static Campaign SampleCampaign => Sample.Value;

    protected ScenarioHarness(TimeProvider time, Campaign campaign)
    {
        Folder = Path.Combine(Path.GetTempPath(), "ucj-workflow-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Time = time;
        Campaign = campaign;
        Blobs = new FolderBlobStore(Path.Combine(Folder, "data"));
        Mailer = new OutboxMailer(Path.Combine(Folder, "outbox"), "UcjFlow <ucjflow@a.id>" /* short host: the Message-ID line stays within 78 characters */, time);
        counting = new CountingMailer(Mailer, time);
        Signer = new ApprovalLinkSigner(RandomNumberGenerator.GetBytes(32), time);
        Options = new WorkflowOptions { PublicBaseUrl = BaseUrl };
    }

    /// <summary>"embedded" or "real": named in failure messages.</summary>
    public abstract string Engine { get; }

    public string Folder { get; }
    public TimeProvider Time { get; }
    /// <summary>The campaign as the activities see it now (a real-engine calendar moves it: see <see cref="CampaignTimelineAsync"/>).</summary>
    public virtual Campaign Campaign { get; }
    public FolderBlobStore Blobs { get; }
    public OutboxMailer Mailer { get; }
    public ApprovalLinkSigner Signer { get; }
    /// <summary>The workflow options as the activities see them now.</summary>
    public virtual WorkflowOptions Options { get; }
    public CapturingLoggerFactory Logs { get; } = new();
    public SqliteEnrollmentRegistry Registry { get; private set; } = null!;
    public abstract DurableTaskClient Client { get; }

    readonly CountingMailer counting;

    /// <summary>
    /// How often the workflow asked to send each mail (by idempotency key), counted before the outbox, which keeps one
    /// file per key and so would hide a second send.
    /// </summary>
    public IReadOnlyDictionary<string, int> Sends => counting.Counts;

    /// <summary>Every send the workflow asked for, in order, with this engine's clock time at the send.</summary>
    public IReadOnlyList<MailSend> SendLog => counting.Log;

    /// <summary>The campaign's "now" on this engine's clock.</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The approval reminder interval this engine runs with (the campaign's, or a short real one).</summary>
    public TimeSpan ApprovalReminderInterval => Campaign.ApprovalReminderInterval;

    /// <summary>The smallest step of campaign time a scenario takes, e.g. to stop just short of a moment.</summary>
    public abstract TimeSpan Tick { get; }

    /// <summary>
    /// Lets campaign time pass up to <paramref name="moment"/>, in this engine's honest way: the embedded runner moves its
    /// manual clock and returns once it has acted on everything due by then (so every send carries the clock time it was
    /// made at, and an absence can be checked); the real engine does nothing, because real time passes by itself and its
    /// intervals are short. Either way the scenario then polls for the effect, with a deadline.
    /// </summary>
    public abstract Task PassToAsync(DateTimeOffset moment);

    /// <summary>Lets this much campaign time pass (see <see cref="PassToAsync"/>).</summary>
    public Task PassAsync(TimeSpan campaignTime) => PassToAsync(Now + campaignTime);

    /// <summary>
    /// The host goes down and comes back on the same stores: the engine's worker is stopped without draining, the registry
    /// connection closed, and both started again.
    /// </summary>
    public abstract Task RestartAsync();

    /// <summary>
    /// The campaign time this engine lives through from the campaign's start (call once it has started): the embedded
    /// runner's is the sample calendar from its start date; the real engine anchors its calendar on real Jakarta time at
    /// the campaign's first calendar read, and answers once that happened.
    /// </summary>
    public abstract Task<CampaignTimeline> CampaignTimelineAsync();

    /// <summary>(Re)opens the registry on its file.</summary>
    protected async Task OpenRegistryAsync()
    {
        if (Registry is not null) await Registry.DisposeAsync();
        Registry = await SqliteEnrollmentRegistry.OpenAsync(Path.Combine(Folder, "registry.db"), Time);
    }

    /// <summary>What the activities get from the host's container; Campaign and WorkflowOptions are read at every resolution.</summary>
    protected Services CreateServices() => new Services()
        .Add<Campaign>(() => Campaign).Add<CampaignStore>(() => Store).Add<WorkflowOptions>(() => Options)
        .Add<IEnrollmentRegistry>(Registry).Add<IBlobStore>(Blobs).Add<IMailer>(counting)
        .Add(Time).Add(Signer).Add<Microsoft.Extensions.Logging.ILoggerFactory>(Logs)
        .Add<CoveragePublisher>(() => new CoveragePublisher(Store, Registry, Blobs, Time));

    /// <summary>The catalog the activities see: this harness's one campaign as it is now.</summary>
    public CampaignStore Store => new(CampaignCatalog.Of(Campaign));

    /// <summary>
    /// A village uploads a file, as the hosts' upload paths do it: the blob is stored, then the product's
    /// <see cref="IntakeStarter"/> registers its batch and starts its intake. Returns the batch id.
    /// </summary>
    public async Task<string> UploadAsync(string villageCode, string fileName, byte[] content)
    {
        var path = UploadPath.For(villageCode, fileName);
        await Blobs.WriteAsync(BlobContainers.Uploads, path.BlobName, new MemoryStream(content));
        var started = await new IntakeStarter(Store, Registry, Blobs, Logs.CreateLogger<IntakeStarter>()).StartAsync(Client, path);
        Assert.NotNull(started);
        return started.BatchId;
    }

    public Task DecideAsync(string batchId, bool approve, string? reason = null, string? decisionId = null) =>
        Client.RaiseEventAsync(batchId, IntakeNames.DecisionEvent,
            new DecisionEvent(decisionId ?? Guid.NewGuid().ToString("N"), approve, reason, "koordinator@disnakertrans.sarolangunkab.example.id"));

    /// <summary>Polls (with a deadline) until the instance's stored state satisfies <paramref name="condition"/>.</summary>
    public async Task<OrchestrationMetadata> UntilAsync(string instanceId, Func<OrchestrationMetadata, bool> condition, string what) =>
        (await Poll.UntilAsync(async () =>
            {
                var m = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
                if (m is { RuntimeStatus: OrchestrationRuntimeStatus.Failed } && !condition(m))
                    throw new Xunit.Sdk.XunitException($"{Engine}: {instanceId} failed while waiting for {what}: {m.FailureDetails}");
                return m;
            },
            m => m is not null && condition(m),
            m => $"{Engine}: {instanceId} did not reach {what}: {m} status {m?.SerializedCustomStatus}"))!;

    public async Task<IntakeStatus> UntilStageAsync(string batchId, string stage, int reminders = 0) =>
        (await UntilAsync(batchId, m => IntakeStatusOf(m) is { } s && s.Stage == stage && s.Reminders >= reminders, $"stage {stage}/{reminders}"))
            .ReadCustomStatusAs<IntakeStatus>()!;

    public async Task<IntakeResult> CompletionAsync(string batchId)
    {
        var m = await UntilAsync(batchId, m => m.IsCompleted, "completion");
        Assert.True(m.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{Engine}: {batchId}: {m.RuntimeStatus} {m.FailureDetails}");
        return m.ReadOutputAs<IntakeResult>()!;
    }

    public async Task<CampaignStatus> UntilCampaignAsync(Func<CampaignStatus, bool> condition, string what)
    {
        var m = await UntilAsync(CampaignNames.InstanceId(Campaign.Id),
            m => m.SerializedCustomStatus is not null && m.ReadCustomStatusAs<CampaignStatus>() is { } s && condition(s), what);
        return m.ReadCustomStatusAs<CampaignStatus>()!;
    }

    static IntakeStatus? IntakeStatusOf(OrchestrationMetadata m) => m.SerializedCustomStatus is null ? null : m.ReadCustomStatusAs<IntakeStatus>();

    /// <summary>Every mail in the outbox (one file per idempotency key), parsed by the strict test reader.</summary>
    public IReadOnlyList<SentMail> Mails()
    {
        var folder = Mailer.Folder;
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder, "*.eml").Order(StringComparer.Ordinal)
            .Select(f => new SentMail(f, EmlReader.Parse(File.ReadAllBytes(f)))).ToList();
    }

    /// <summary>Polls (with a deadline) until the outbox holds at least <paramref name="count"/> mails matching <paramref name="match"/>.</summary>
    public Task<List<SentMail>> UntilMailsAsync(Func<SentMail, bool> match, int count, string what) =>
        Poll.UntilAsync(() => Mails().Where(match).ToList(), found => found.Count >= count,
            found => $"{Engine}: expected {count} mails: {what}; got {found.Count}");

    /// <summary>Stops the engine (and with it every worker); the registry and the folder go in <see cref="DisposeAsync"/>.</summary>
    protected abstract ValueTask StopEngineAsync();

    public async ValueTask DisposeAsync()
    {
        await StopEngineAsync();
        if (Registry is not null) await Registry.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>One .eml from the outbox.</summary>
internal sealed record SentMail(string File, Eml Eml)
{
    public string Subject => Eml["Subject"];
    public string To => Eml.Headers.GetValueOrDefault("To") ?? "";
    public string Cc => Eml.Headers.GetValueOrDefault("Cc") ?? "";
    public string Text => string.Join("\n", Eml.Parts.Select(p => p.Text));
    public string Plain => Eml.Parts.First(p => p.MediaType == "text/plain").Text;
    public bool IsTo(string address) => To.Contains(address, StringComparison.OrdinalIgnoreCase);
}
