using UcjFlow.App.Hosting;
using UcjFlow.Workflow.Campaigns;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.App.Api;
using UcjFlow.App.Settings;
using UcjFlow.Host.Hosting;
using UcjFlow.Host.Intake;
using UcjFlow.Workflow.Intake;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Host.Demo;

/// <summary>
/// The local app started in this process on a free loopback port, with an HTTP client holding a coordinator token:
/// what the demo, the end-to-end tests and the benchmark drive. Everything goes through the real HTTP API.
/// </summary>
public sealed class InProcessApp : IAsyncDisposable
{
    public const string CoordinatorName = "demo";

    InProcessApp(WebApplication app, UcjFlowSettings settings, string token)
    {
        App = app;
        Settings = settings;
        CoordinatorToken = token;
        BaseAddress = new Uri(settings.Urls.TrimEnd('/') + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public WebApplication App { get; }
    public UcjFlowSettings Settings { get; }
    public string CoordinatorToken { get; }
    public Uri BaseAddress { get; }
    /// <summary>Sends the coordinator token with every request.</summary>
    public HttpClient Http { get; }
    /// <summary>The host's configured campaign (the one it seeds the catalog with).</summary>
    public Campaign Campaign => App.Services.GetRequiredService<UcjFlow.Workflow.Campaigns.CampaignSeed>().Campaign;
    public DurableTaskClient Durable => App.Services.GetRequiredService<DurableTaskClient>();
    public IEnrollmentRegistry Registry => App.Services.GetRequiredService<IEnrollmentRegistry>();
    public string Outbox => EmbeddedHosting.OutboxFolder(Settings);

    /// <summary>
    /// Starts the app on a free port of 127.0.0.1. <paramref name="configure"/> adjusts the settings (mail, tokens, campaign).
    /// </summary>
    public static async Task<InProcessApp> StartAsync(string dataFolder, TimeProvider? time = null,
        Func<UcjFlowSettings, UcjFlowSettings>? configure = null, LogLevel minimumLevel = LogLevel.Warning)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var url = $"http://127.0.0.1:{FreePort()}";
        var settings = new UcjFlowSettings
        {
            DataFolder = Path.GetFullPath(dataFolder),
            Urls = url,
            CoordinatorTokens = new Dictionary<string, string> { [CoordinatorName] = token },
            WatcherPollInterval = TimeSpan.FromMilliseconds(200),
        };
        if (configure is not null) settings = configure(settings);
        var app = UcjFlowApp.Create(settings, time, minimumLevel);
        await app.StartAsync();
        await app.Services.GetRequiredService<UploadWatcher>().Recovered;
        return new InProcessApp(app, settings, token);
    }

    /// <summary>A port nobody listens on right now (the OS picks it; it is released before the app binds it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Adds a campaign to the catalog as the page and <c>ucjflow campaign new</c> do (<see cref="CampaignEdits.AddAsync"/>):
    /// this app's configured campaign file changed by <paramref name="change"/> (id set here).
    /// </summary>
    /// <exception cref="InvalidOperationException">the changed file is refused (its problems, or the id exists).</exception>
    public async Task<Campaign> AddCampaignAsync(string id, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(UcjFlowServices.CampaignPath(Settings.CampaignFile)))!.AsObject();
        json["id"] = id;
        change(json);
        var result = await CampaignEdits.AddAsync(App.Services.GetRequiredService<CampaignStore>(), Registry, json.ToJsonString(), null, "demo", _ => true, CancellationToken.None);
        return result.Campaign ?? throw new InvalidOperationException(
            $"Campaign {id} refused ({result.Outcome}): {result.Message ?? string.Join("; ", result.Problems)}");
    }

    /// <summary>The catalog as the app reads it now.</summary>
    public async Task<CampaignCatalog> CatalogAsync() => await App.Services.GetRequiredService<CampaignStore>().CurrentAsync();

    /// <summary>Uploads a file through POST /api/uploads/{village}[?campaign=] (multipart) and returns the answer.</summary>
    public async Task<UploadAccepted> UploadAsync(string villageCode, string fileName, byte[] content, HttpClient? http = null, string? campaign = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        using var response = await (http ?? Http).PostAsync(
            campaign is null ? $"api/uploads/{villageCode}" : $"api/uploads/{villageCode}?campaign={Uri.EscapeDataString(campaign)}", form);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new HttpRequestException($"Upload for {villageCode} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.UploadAccepted))!;
    }

    public async Task<BatchView> GetBatchAsync(string batchId) =>
        (await Http.GetFromJsonAsync($"api/batches/{batchId}", ApiJsonContext.Default.BatchView))!;

    /// <summary>Polls the batch until <paramref name="done"/> holds, or fails after <paramref name="deadline"/>.</summary>
    public async Task<BatchView> WaitForBatchAsync(string batchId, Func<BatchView, bool> done, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var batch = await GetBatchAsync(batchId);
            if (done(batch)) return batch;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Batch {batchId} is still {batch.Status} after {deadline.TotalSeconds:0} s.");
            await Task.Delay(50);
        }
    }

    /// <summary>Statuses a batch keeps until someone acts: validation is over.</summary>
    public static bool Validated(BatchView b) => b.Status is not BatchStatus.Validating;

    /// <summary>A decision is fully applied (the orchestration committed it).</summary>
    public static bool Decided(BatchView b) => b.Status is BatchStatus.Approved or BatchStatus.Rejected or BatchStatus.Superseded or BatchStatus.Expired;

    public async Task<HttpResponseMessage> DecideAsync(string batchId, bool approve, string? reason = null, HttpClient? http = null) =>
        await (http ?? Http).PostAsJsonAsync($"api/batches/{batchId}/decision", new DecisionRequest(approve, reason), ApiJsonContext.Default.DecisionRequest);

    /// <summary>
    /// Waits until the workflow has finished reacting to the last clock move: nothing observable (instances, batches,
    /// outbox) changes over several polls. Real time, bounded by <paramref name="deadline"/>.
    /// </summary>
    public async Task SettleAsync(TimeSpan deadline, int quietPolls = 4)
    {
        var until = DateTime.UtcNow + deadline;
        string? previous = null;
        var quiet = 0;
        while (quiet < quietPolls)
        {
            var snapshot = await SnapshotAsync();
            quiet = snapshot == previous ? quiet + 1 : 0;
            previous = snapshot;
            if (DateTime.UtcNow > until) throw new TimeoutException("The workflow did not settle.");
            await Task.Delay(60);
        }
    }

    async Task<string> SnapshotAsync()
    {
        var parts = new List<string> { Directory.Exists(Outbox) ? Directory.GetFiles(Outbox, "*.eml").Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0" };
        await foreach (var i in Durable.GetAllInstancesAsync(new OrchestrationQuery(FetchInputsAndOutputs: true)))
            parts.Add($"{i.InstanceId}:{i.RuntimeStatus}:{i.LastUpdatedAt:O}:{i.SerializedCustomStatus}");
        foreach (var b in await Registry.ListBatchesAsync(Campaign.Id))
            parts.Add($"{b.BatchId}:{b.Status}");
        return string.Join('|', parts);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
