using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Embedded.Durable;

/// <summary>
/// A single-node durable task runner with Durable Task semantics, persisted in one SQLite file: event-sourced history
/// per instance with deterministic replay, durable timers, buffered external events, sub-orchestrations,
/// continue-as-new, at-least-once activities on a bounded worker pool, and crash recovery (on start, every instance
/// with pending messages resumes and every activity that had not reported back runs again).
/// </summary>
/// <remarks>
/// One dispatcher loop takes all visible inbox messages and all activity results reported since its last round, runs
/// one episode per instance (one at a time per instance, all of its new events together) and commits the whole batch
/// in one transaction: an activity's work item is removed in the same transaction that appends its result to history.
/// A result not yet committed when the process dies is lost with it, and the activity runs again (at-least-once).
/// </remarks>
public sealed class EmbeddedDurableRunner : IAsyncDisposable
{
    readonly DurableStore store;
    readonly DurableTaskRegistry registry;
    readonly EmbeddedDurableOptions options;
    readonly TimeProvider time;
    readonly ILogger logger;
    readonly IServiceProvider services;
    readonly Dictionary<string, OrchestrationSession> sessions = [];
    readonly ActivityLanes activityQueue;
    readonly Channel<(ActivityWorkItem, HistoryEvent)> completions = Channel.CreateUnbounded<(ActivityWorkItem, HistoryEvent)>();
    readonly SemaphoreSlim workSignal = new(0, 1);
    readonly CancellationTokenSource stopping = new();
    TaskCompletionSource stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    Task? dispatcher;
    Task[] workers = [];
    long useCounter;
    bool disposed;

    EmbeddedDurableRunner(DurableStore store, DurableTaskRegistry registry, EmbeddedDurableOptions options)
    {
        this.store = store;
        this.registry = registry;
        this.options = options;
        time = options.TimeProvider;
        logger = options.LoggerFactory.CreateLogger<EmbeddedDurableRunner>();
        services = options.Services ?? EmptyServices.Instance;
        activityQueue = new ActivityLanes(options.ActivityLanes ?? (_ => ActivityLane.Default));
        Client = new EmbeddedDurableClient(this);
    }

    /// <summary>Opens (or creates) the SQLite database at <paramref name="databasePath"/>. Call <see cref="StartAsync"/> to run.</summary>
    public static EmbeddedDurableRunner Create(string databasePath, DurableTaskRegistry registry, EmbeddedDurableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new EmbeddedDurableOptions();
        return new EmbeddedDurableRunner(DurableStore.Open(databasePath, options.SynchronousFull), registry, options);
    }

    /// <summary>The client for this runner's task hub.</summary>
    public EmbeddedDurableClient Client { get; }

    internal DurableStore Store => store;
    internal DataConverter Converter => options.DataConverter;
    internal TimeProvider Time => time;

    /// <summary>Completes at the next committed change of any instance's state.</summary>
    internal Task StateChanged => Volatile.Read(ref stateChanged).Task;

    /// <summary>Starts the dispatcher, the activity workers and the result writer; re-queues activities left unfinished by a crash.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (dispatcher is not null) return Task.CompletedTask;
        var unfinished = store.LoadActivities();
        foreach (var item in unfinished) activityQueue.Add(item);
        if (unfinished.Count > 0) logger.LogInformation("Re-running {Count} activities left unfinished by the previous run", unfinished.Count);
        workers = Enumerable.Range(0, Math.Max(1, options.MaxConcurrentActivities))
            .Select(_ => Task.Run(() => RunActivitiesAsync(stopping.Token), CancellationToken.None)).ToArray();
        dispatcher = Task.Run(() => DispatchAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking work; waits for running episodes and activities to finish and their results to be written.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (dispatcher is null || stopping.IsCancellationRequested) return;
        stopping.Cancel();
        await dispatcher.WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(workers).WaitAsync(cancellationToken).ConfigureAwait(false);
        // Results that came in after the last episode go to the inbox, for the next start.
        var pending = new List<(ActivityWorkItem, HistoryEvent)>();
        while (completions.Reader.TryRead(out var c)) pending.Add(c);
        if (pending.Count > 0) store.CompleteActivities(pending, time.GetUtcNow());
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        await StopAsync().ConfigureAwait(false);
        disposed = true;
        store.Dispose();
        stopping.Dispose();
    }

    /// <summary>Wakes the dispatcher: new messages were written.</summary>
    internal void Signal()
    {
        if (workSignal.CurrentCount == 0)
        {
            try { workSignal.Release(); }
            catch (SemaphoreFullException) { }
        }
    }

    internal void PulseStateChanged()
        => Interlocked.Exchange(ref stateChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    // ---------- orchestrations ----------

    async Task DispatchAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                var results = new List<(ActivityWorkItem Item, HistoryEvent Result)>();
                while (results.Count < options.MaxMessagesPerBatch && completions.Reader.TryRead(out var c)) results.Add(c);
                var batch = store.FetchReady(now, options.MaxMessagesPerBatch);
                if (batch.Count == 0 && results.Count == 0)
                {
                    await WaitForWorkAsync(ct).ConfigureAwait(false);
                    continue;
                }
                var commits = new List<EpisodeCommit>();
                var byInstance = results.ToLookup(r => r.Item.InstanceId);
                foreach (var instanceId in batch.Select(m => m.InstanceId).Concat(results.Select(r => r.Item.InstanceId)).Distinct())
                    commits.Add(RunEpisode(instanceId, batch.Where(m => m.InstanceId == instanceId).ToList(), byInstance[instanceId].ToList(), now));
                List<ActivityWorkItem> scheduled;
                try
                {
                    scheduled = store.CommitEpisodes(commits, now);
                }
                catch
                {
                    // Sessions have moved past what is stored: rebuild them from history next time.
                    sessions.Clear();
                    throw;
                }
                foreach (var item in scheduled) activityQueue.Add(item);
                PulseStateChanged();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Durable dispatcher failed; retrying");
                try { await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    async Task WaitForWorkAsync(CancellationToken ct)
    {
        var next = store.NextVisibleAt();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wake = workSignal.WaitAsync(cts.Token);
        try
        {
            if (next is { } due)
            {
                var delay = due - time.GetUtcNow();
                if (delay <= TimeSpan.Zero) return;
                // A timer of the injected clock: a test that moves its clock fires it.
                var timer = Task.Delay(delay, time, cts.Token);
                // The clock may have moved between reading it and creating the timer.
                if (time.GetUtcNow() >= due) return;
                await Task.WhenAny(wake, timer).ConfigureAwait(false);
            }
            else
            {
                await wake.ConfigureAwait(false);
            }
        }
        finally
        {
            cts.Cancel();
            try { await wake.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        ct.ThrowIfCancellationRequested();
    }

    EpisodeCommit RunEpisode(string instanceId, List<InboxMessage> messages, List<(ActivityWorkItem Item, HistoryEvent Result)> results, DateTimeOffset now)
    {
        var instance = store.GetInstance(instanceId);
        var commit = new EpisodeCommit(instanceId, instance?.ExecutionId ?? "");
        commit.ConsumedInboxIds.AddRange(messages.Select(m => m.Id));
        commit.CompletedActivityIds.AddRange(results.Select(r => r.Item.Id));
        if (instance is null || instance.IsTerminal)
        {
            commit.DropOnly = true;
            sessions.Remove(instanceId);
            return commit;
        }
        // Messages of an earlier execution (before ContinueAsNew) are stale; ExecutionStarted goes first.
        var events = messages.Where(m => m.ExecutionId is null || m.ExecutionId == instance.ExecutionId).Select(m => m.Event)
            .Concat(results.Where(r => r.Item.ExecutionId == instance.ExecutionId).Select(r => r.Result))
            .OrderBy(e => e.Kind == EventKind.ExecutionStarted ? 0 : 1).ToList();
        if (events.Count == 0)
        {
            commit.DropOnly = true;
            return commit;
        }

        if (!sessions.TryGetValue(instanceId, out var session) || session.ExecutionId != instance.ExecutionId) session = null;
        sessions.Remove(instanceId);
        try
        {
            if (session is null)
            {
                var history = store.LoadHistory(instanceId);
                if (history.Count == 0 && !events.Any(e => e.Kind == EventKind.ExecutionStarted))
                {
                    if (events.FirstOrDefault(e => e.Kind == EventKind.ExecutionTerminated) is { } terminate)
                    {
                        commit.Append.Add(terminate);
                        commit.Status = OrchestrationRuntimeStatus.Terminated;
                        commit.Output = terminate.Data;
                        NotifyParent(commit, instance, now);
                    }
                    else
                    {
                        logger.LogWarning("Dropping {Count} messages for instance {InstanceId}, which has not started", events.Count, instanceId);
                        commit.DropOnly = true;
                    }
                    return commit;
                }
                if (!registry.Orchestrators.TryGetValue(instance.Name, out var factory))
                    return Fail(commit, instance, now, new TaskFailureDetails(typeof(InvalidOperationException).FullName!,
                        $"No orchestrator named '{instance.Name}' is registered.", null, null));
                session = new OrchestrationSession(instance, factory(services), options.DataConverter, options.LoggerFactory);
                session.Replay(history);
            }
            session.RunEpisode(events, now.UtcDateTime, commit);
        }
        catch (NonDeterministicOrchestrationException ex)
        {
            logger.LogError("{Message}", ex.Message);
            var failed = new EpisodeCommit(instanceId, instance.ExecutionId);
            failed.ConsumedInboxIds.AddRange(commit.ConsumedInboxIds);
            failed.CompletedActivityIds.AddRange(commit.CompletedActivityIds);
            return Fail(failed, instance, now, TaskFailureDetails.FromException(ex));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One broken instance (unreadable history, a throwing input converter...) must not stall the others.
            logger.LogError(ex, "Orchestration {InstanceId} failed in the runner", instanceId);
            var failed = new EpisodeCommit(instanceId, instance.ExecutionId);
            failed.ConsumedInboxIds.AddRange(commit.ConsumedInboxIds);
            failed.CompletedActivityIds.AddRange(commit.CompletedActivityIds);
            return Fail(failed, instance, now, TaskFailureDetails.FromException(ex));
        }

        if (commit.ContinueAsNew is null && !DurableStore.IsTerminal(commit.Status))
        {
            if (options.MaxCachedOrchestrations > 0)
            {
                session.LastUsed = ++useCounter;
                sessions[instanceId] = session;
                if (sessions.Count > options.MaxCachedOrchestrations)
                    sessions.Remove(sessions.MinBy(s => s.Value.LastUsed).Key);
            }
        }
        else
        {
            NotifyParent(commit, instance, now);
        }
        return commit;
    }

    static EpisodeCommit Fail(EpisodeCommit commit, InstanceRow instance, DateTimeOffset now, TaskFailureDetails failure)
    {
        commit.Status = OrchestrationRuntimeStatus.Failed;
        commit.Failure = failure;
        NotifyParent(commit, instance, now);
        return commit;
    }

    static void NotifyParent(EpisodeCommit commit, InstanceRow instance, DateTimeOffset now)
    {
        if (instance.ParentInstanceId is null || !DurableStore.IsTerminal(commit.Status)) return;
        var e = commit.Status == OrchestrationRuntimeStatus.Completed
            ? new HistoryEvent(EventKind.SubOrchestrationCompleted) { TaskId = instance.ParentTaskId, Data = commit.Output }
            : new HistoryEvent(EventKind.SubOrchestrationFailed)
            {
                TaskId = instance.ParentTaskId,
                Failure = commit.Failure ?? new TaskFailureDetails("Terminated", $"Sub-orchestration '{instance.InstanceId}' was terminated.", null, null),
            };
        commit.Messages.Add(new OutgoingMessage(instance.ParentInstanceId, instance.ParentExecutionId, now, e));
    }

    // ---------- activities ----------

    async Task RunActivitiesAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var item = await activityQueue.TakeAsync(ct).ConfigureAwait(false);
                HistoryEvent result;
                try
                {
                    result = await RunActivityAsync(item).ConfigureAwait(false);
                }
                finally
                {
                    activityQueue.Done(item);
                }
                completions.Writer.TryWrite((item, result));
                Signal();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    async Task<HistoryEvent> RunActivityAsync(ActivityWorkItem item)
    {
        try
        {
            if (!registry.Activities.TryGetValue(item.Name, out var factory))
                throw new InvalidOperationException($"No activity named '{item.Name}' is registered.");
            var activity = factory(services);
            var input = options.DataConverter.Deserialize(item.Input, activity.InputType);
            var output = await activity.RunAsync(new ActivityContext(item.Name, item.InstanceId), input).ConfigureAwait(false);
            return new HistoryEvent(EventKind.TaskCompleted) { TaskId = item.TaskId, Data = options.DataConverter.Serialize(output) };
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Activity {Activity} of instance {InstanceId} failed", item.Name, item.InstanceId);
            return new HistoryEvent(EventKind.TaskFailed) { TaskId = item.TaskId, Failure = TaskFailureDetails.FromException(ex) };
        }
    }

    sealed class ActivityContext(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;
        public override string InstanceId { get; } = instanceId;
    }

    sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();
        public object? GetService(Type serviceType) => null;
    }
}
