using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;
using UcjFlow.Functions.Durable;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Durable;
using DT = Microsoft.DurableTask;

namespace UcjFlow.Functions.Tests.RealEngine;

/// <summary>How a <see cref="RealTaskHub"/> is set up.</summary>
public sealed record RealTaskHubOptions
{
    /// <summary>Control queues (Durable Functions' default and the app's host.json: 4; one is enough for a test).</summary>
    public int PartitionCount { get; init; } = 1;

    /// <summary>
    /// The longest the provider waits between two polls of an idle queue (it backs off up to this): how late, at worst, a
    /// timer or an event is seen. Durable Functions' default is 30 s, the app's host.json says 10 s.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Concurrent activity and orchestration work items per worker (Durable's defaults are 10 × cores).</summary>
    public int? MaxConcurrentWorkItems { get; init; }
}

/// <summary>
/// The real Durable Task engine for the workflow: DurableTask.Core's <see cref="TaskHubWorker"/> on the Azure Storage
/// provider (against Azurite), running every orchestrator and activity of a port <see cref="DurableTaskRegistry"/> through
/// Microsoft.DurableTask's <see cref="DurableTaskShimFactory"/> and the app's own adapter, <see cref="WorkflowBridge"/>:
/// the path the Durable Functions triggers take, without the Functions host. All payloads are the workflow's JSON
/// (<see cref="WorkflowJson.Options"/>). One hub per instance, deleted on dispose. Shared, by linked source, with the
/// durable benchmark.
/// </summary>
public sealed class RealTaskHub : IAsyncDisposable
{
    readonly string connectionString;
    readonly DurableTaskRegistry registry;
    readonly Func<string, IServiceProvider> servicesFor;
    readonly ILoggerFactory workflowLogs;
    readonly ILoggerFactory engineLogs;
    readonly RealTaskHubOptions options;
    readonly AzureStorageOrchestrationService clientService;
    AzureStorageOrchestrationService? workerService;
    TaskHubWorker? worker;
    int workers;

    RealTaskHub(string connectionString, string taskHubName, DurableTaskRegistry registry, Func<string, IServiceProvider> servicesFor,
        ILoggerFactory workflowLogs, ILoggerFactory engineLogs, RealTaskHubOptions options)
    {
        this.connectionString = connectionString;
        TaskHubName = taskHubName;
        this.registry = registry;
        this.servicesFor = servicesFor;
        this.workflowLogs = workflowLogs;
        this.engineLogs = engineLogs;
        this.options = options;
        // The client is another process in Azure (the HTTP or blob trigger): its own service object, never started.
        clientService = new AzureStorageOrchestrationService(Settings("client"));
        Client = new TaskHubDurableClient(taskHubName, clientService, new CoreJsonDataConverter(WorkflowJson.Options), WorkflowJson.DataConverter);
    }

    public string TaskHubName { get; }

    /// <summary>The port's client on this hub.</summary>
    public TaskHubDurableClient Client { get; }

    /// <summary>The id of the running worker ("worker-1", then "worker-2" after a restart, …).</summary>
    public string WorkerId => $"worker-{workers}";

    /// <summary>
    /// Creates the hub (queues, tables, containers) and starts a worker on it.
    /// </summary>
    /// <param name="servicesFor">The host's service provider the named activity is created from (usually the same for every name).</param>
    /// <param name="workflowLogs">What the orchestrators, activities and shims log to.</param>
    /// <param name="engineLogs">What DurableTask.Core and the Azure Storage provider log to.</param>
    public static async Task<RealTaskHub> StartAsync(string connectionString, string taskHubName, DurableTaskRegistry registry,
        Func<string, IServiceProvider> servicesFor, ILoggerFactory workflowLogs, ILoggerFactory engineLogs, RealTaskHubOptions? options = null)
    {
        var hub = new RealTaskHub(connectionString, taskHubName, registry, servicesFor, workflowLogs, engineLogs, options ?? new());
        try
        {
            await hub.clientService.CreateIfNotExistsAsync();
            await hub.StartWorkerAsync();
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    AzureStorageOrchestrationServiceSettings Settings(string workerId) => new()
    {
        TaskHubName = TaskHubName,
        StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
        WorkerId = workerId,
        PartitionCount = options.PartitionCount,
        MaxQueuePollingInterval = options.MaxQueuePollingInterval,
        // Partition leases in a table, as Durable Functions 3.x does by default: a worker that went away without releasing
        // them loses them after LeaseInterval, which a blob lease cannot make shorter than 15 s.
        UseTablePartitionManagement = true,
        LeaseAcquireInterval = TimeSpan.FromSeconds(1),
        LeaseRenewInterval = TimeSpan.FromSeconds(1),
        LeaseInterval = TimeSpan.FromSeconds(5),
        // Starting an id that is already active throws (the port's promise) instead of being silently dropped.
        ThrowExceptionOnInvalidDedupeStatus = true,
        MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentWorkItems ?? 10 * Environment.ProcessorCount,
        MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentWorkItems ?? 10 * Environment.ProcessorCount,
        LoggerFactory = engineLogs,
    };

    /// <summary>Starts a worker (a new worker id, a new orchestration service object) on the hub.</summary>
    public async Task StartWorkerAsync()
    {
        if (worker is not null) throw new InvalidOperationException("A worker is already running.");
        workers++;
        var service = new AzureStorageOrchestrationService(Settings(WorkerId));
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = new DT.Converters.JsonDataConverter(WorkflowJson.Options) }, workflowLogs);
        var bridge = new WorkflowBridge(registry, workflowLogs);
        var created = new TaskHubWorker(service, engineLogs) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        created.AddTaskOrchestrations(registry.Orchestrators.Keys.Select(n => n.Name)
            .Select(name => new Creator<TaskOrchestration>(name, () => shims.CreateOrchestration(name, bridge.Orchestrator(name, servicesFor(name)))))
            .ToArray<ObjectCreator<TaskOrchestration>>());
        created.AddTaskActivities(registry.Activities.Keys.Select(n => n.Name)
            .Select(name => new Creator<TaskActivity>(name, () => shims.CreateActivity(name, bridge.Activity(name, servicesFor(name)))))
            .ToArray<ObjectCreator<TaskActivity>>());
        await created.StartAsync();
        (worker, workerService) = (created, service);
    }

    /// <summary>
    /// Stops the running worker. Forced: work items in flight are not waited for (a crash, as far as a process can crash
    /// itself); the provider still lets go of its partition leases.
    /// </summary>
    public async Task StopWorkerAsync(bool forced)
    {
        if (worker is not { } running) return;
        (worker, var service) = (null, workerService);
        workerService = null;
        await running.StopAsync(isForced: forced);
        running.Dispose();
        service?.Dispose();
    }

    /// <summary>The host crashes and comes back: the worker is stopped without draining, a new one starts on the same hub.</summary>
    public async Task RestartWorkerAsync()
    {
        await StopWorkerAsync(forced: true);
        await StartWorkerAsync();
    }

    /// <summary>
    /// Stops the worker (forced: a graceful stop costs about a second more, for a hub about to be deleted) and deletes
    /// the hub (queues, tables, containers; the provider's own delete leaves the "-applease" container, leased, behind).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopWorkerAsync(forced: true);
        }
        finally
        {
            await clientService.DeleteAsync();
            clientService.Dispose();
            var blobs = new BlobServiceClient(connectionString);
            await foreach (var item in blobs.GetBlobContainersAsync(prefix: TaskHubName.ToLowerInvariant() + "-"))
            {
                // The app lease a stopped worker still holds (it lapses on its own; the hub is going).
                var container = blobs.GetBlobContainerClient(item.Name);
                if (item.Properties.LeaseState == LeaseState.Leased) await container.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
                await container.DeleteAsync();
            }
        }
    }

    /// <summary>
    /// A new orchestration or activity object each time the dispatcher asks (an orchestration shim holds its execution's
    /// state, and activities are created per call from the host's services, as in the Functions app). DurableTask.Core's
    /// plain creator gives no parent, so <c>context.Parent</c> is null: the workflow has no sub-orchestrations.
    /// </summary>
    sealed class Creator<T> : ObjectCreator<T>
    {
        readonly Func<T> create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = "";
            this.create = create;
        }

        public override T Create() => create();
    }
}

/// <summary>Passes on what a logger factory logs from <paramref name="minimum"/> up (the engine's own logs are chatty below Warning).</summary>
public sealed class MinimumLevelLoggerFactory(ILoggerFactory inner, LogLevel minimum) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Filtered(inner.CreateLogger(categoryName), minimum);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The inner factory belongs to whoever created it.
    public void Dispose() { }

    sealed class Filtered(ILogger inner, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
