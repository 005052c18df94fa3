using System.Security.Cryptography;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.Core.Storage;
using UcjFlow.Embedded.Durable;
using UcjFlow.Embedded.Mail;
using UcjFlow.Embedded.Registry;
using UcjFlow.Embedded.Storage;
using UcjFlow.Embedded.Tests.Mail;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Workflow.Tests.Support;

/// <summary>
/// The workflow on real parts in a temp folder: the embedded durable runner and the SQLite registry (one file each),
/// a folder blob store, the outbox mailer, the shipped sample campaign, and a manual clock that drives every timer.
/// </summary>
internal sealed class WorkflowHarness : IAsyncDisposable
{
    /// <summary>Thursday 10 October 2024, 09:00 WIB: twelve days before the sample campaign's deadline.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2024, 10, 10, 2, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public const string BaseUrl = "https://ucjflow.test";

    static readonly Lazy<Campaign> SampleCampaign = new(() =>
        CampaignLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Campaigns", "campaign.sarolangun-2024.json")));

    WorkflowHarness(string folder, ManualTimeProvider clock, Campaign campaign)
    {
        Folder = folder;
        Clock = clock;
        Campaign = campaign;
        Blobs = new FolderBlobStore(Path.Combine(folder, "data"));
        Mailer = new OutboxMailer(Path.Combine(folder, "outbox"), "UcjFlow <ucjflow@a.id>" /* short host: the Message-ID line stays within 78 characters */, clock);
        Signer = new ApprovalLinkSigner(RandomNumberGenerator.GetBytes(32), clock);
        Options = new WorkflowOptions { PublicBaseUrl = BaseUrl };
    }

    public string Folder { get; }
    public ManualTimeProvider Clock { get; }
    public Campaign Campaign { get; }
    public FolderBlobStore Blobs { get; }
    public OutboxMailer Mailer { get; }
    public ApprovalLinkSigner Signer { get; }
    public WorkflowOptions Options { get; }
    public CapturingLoggerFactory Logs { get; } = new();
    public SqliteEnrollmentRegistry Registry { get; private set; } = null!;
    public EmbeddedDurableRunner Runner { get; private set; } = null!;
    public DurableTaskClient Client => Runner.Client;

    public static async Task<WorkflowHarness> StartAsync(Func<Campaign, Campaign>? adjust = null, DateTimeOffset? start = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ucj-workflow-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var campaign = adjust is null ? SampleCampaign.Value : adjust(SampleCampaign.Value);
        var harness = new WorkflowHarness(folder, new ManualTimeProvider(start ?? DefaultStart), campaign);
        await harness.RestartAsync();
        return harness;
    }

    /// <summary>Stops the runner and the registry (if running) and starts both again on the same files: a host restart.</summary>
    public async Task RestartAsync()
    {
        if (Runner is not null) await Runner.DisposeAsync();
        if (Registry is not null) await Registry.DisposeAsync();
        Registry = await SqliteEnrollmentRegistry.OpenAsync(Path.Combine(Folder, "registry.db"), Clock);
        var services = new Services()
            .Add(Campaign).Add<IEnrollmentRegistry>(Registry).Add<IBlobStore>(Blobs).Add<IMailer>(Mailer)
            .Add<TimeProvider>(Clock).Add(Signer).Add(Options).Add<Microsoft.Extensions.Logging.ILoggerFactory>(Logs);
        Runner = EmbeddedDurableRunner.Create(Path.Combine(Folder, "durable.db"), new DurableTaskRegistry().AddUcjFlowWorkflow(),
            new EmbeddedDurableOptions { TimeProvider = Clock, Services = services, LoggerFactory = Logs, DataConverter = WorkflowJson.DataConverter });
        await Runner.StartAsync();
    }

    /// <summary>What the host's intake starter does: store the file, register the batch, start its intake. Returns the batch id.</summary>
    public async Task<string> UploadAsync(string villageCode, string fileName, byte[] content)
    {
        var path = UploadPath.For(villageCode, fileName);
        await Blobs.WriteAsync(BlobContainers.Uploads, path.BlobName, new MemoryStream(content));
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var batchId = $"{path.VillageCode.Replace(".", "")}-{hash[..12]}";
        var registration = await Registry.RegisterBatchAsync(new NewBatch(batchId, Campaign.Id, path.VillageCode,
            Campaign.Village(path.VillageCode)?.Name, path.DistrictCode, path.FileName, hash, path.BlobName));
        if (registration.Created) await Client.StartIntakeAsync(batchId);
        return registration.Batch.BatchId;
    }

    public Task DecideAsync(string batchId, bool approve, string? reason = null, string? decisionId = null) =>
        Client.RaiseEventAsync(batchId, IntakeNames.DecisionEvent,
            new DecisionEvent(decisionId ?? Guid.NewGuid().ToString("N"), approve, reason, "koordinator@disnakertrans.sarolangunkab.example.id"));

    /// <summary>Polls (with a deadline) until the instance's stored state satisfies <paramref name="condition"/>.</summary>
    public async Task<OrchestrationMetadata> UntilAsync(string instanceId, Func<OrchestrationMetadata, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var m = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (m is not null && condition(m)) return m;
            if (m is { RuntimeStatus: OrchestrationRuntimeStatus.Failed })
                throw new Xunit.Sdk.XunitException($"{instanceId} failed while waiting for {what}: {m.FailureDetails}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{instanceId} did not reach {what}: {m} status {m?.SerializedCustomStatus}");
            await Task.Delay(10);
        }
    }

    public async Task<IntakeStatus> UntilStageAsync(string batchId, string stage, int reminders = 0) =>
        (await UntilAsync(batchId, m => Status(m) is { } s && s.Stage == stage && s.Reminders >= reminders, $"stage {stage}/{reminders}")
            .ConfigureAwait(false)).ReadCustomStatusAs<IntakeStatus>()!;

    public async Task<IntakeResult> CompletionAsync(string batchId)
    {
        var m = await UntilAsync(batchId, m => m.IsCompleted, "completion");
        Assert.True(m.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{batchId}: {m.RuntimeStatus} {m.FailureDetails}");
        return m.ReadOutputAs<IntakeResult>()!;
    }

    static IntakeStatus? Status(OrchestrationMetadata m) => m.SerializedCustomStatus is null ? null : m.ReadCustomStatusAs<IntakeStatus>();

    /// <summary>Every mail in the outbox, parsed by the strict test reader.</summary>
    public IReadOnlyList<SentMail> Mails()
    {
        var folder = Mailer.Folder;
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder, "*.eml").Order(StringComparer.Ordinal)
            .Select(f => new SentMail(f, EmlReader.Parse(File.ReadAllBytes(f)))).ToList();
    }

    /// <summary>Polls (with a deadline) until the outbox holds at least <paramref name="count"/> mails matching <paramref name="match"/>.</summary>
    public async Task<IReadOnlyList<SentMail>> UntilMailsAsync(Func<SentMail, bool> match, int count, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var found = Mails().Where(match).ToList();
            if (found.Count >= count) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"expected {count} mails: {what}; got {found.Count}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        await Registry.DisposeAsync();
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
