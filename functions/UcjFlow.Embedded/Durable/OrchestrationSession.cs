using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Embedded.Durable;

/// <summary>Thrown when replayed orchestrator code does something other than what its history recorded.</summary>
public sealed class NonDeterministicOrchestrationException(string message) : Exception(message);

/// <summary>
/// One running orchestration in memory: the <see cref="TaskOrchestrationContext"/> the code sees, plus the replay
/// machinery. Events are applied one at a time; after each, the orchestrator's continuations run to their next await
/// on a single-threaded synchronization context owned by this session (as in the Durable Task Framework), so the code
/// runs deterministically on the dispatcher's thread. Kept between episodes while cached; rebuilt by replaying history
/// after a restart or eviction.
/// </summary>
internal sealed class OrchestrationSession : TaskOrchestrationContext
{
    // Same namespace DTFx uses for its v5 GUIDs, so ids look alike across hosts.
    static readonly Guid GuidNamespace = new("9e952958-5e33-4daf-827f-2fa12937b875");

    readonly ITaskOrchestrator orchestrator;
    readonly DataConverter converter;
    readonly ILoggerFactory loggerFactory;
    readonly EpisodeSynchronizationContext syncContext = new();
    readonly Dictionary<int, HistoryEvent> pendingActions = [];
    readonly Dictionary<int, Action<HistoryEvent>> openTasks = [];
    readonly Dictionary<string, LinkedList<Action<string?>>> waiters = new(StringComparer.OrdinalIgnoreCase);
    readonly List<HistoryEvent> bufferedEvents = [];

    string? serializedInput;
    int nextTaskId;
    int guidCounter;
    DateTime currentUtc;
    bool isReplaying;
    Task<object?>? runTask;
    (object? Input, bool Preserve)? continueAsNew;
    string? terminatedOutput;
    bool terminated;
    string? customStatus;
    bool customStatusChanged;

    public OrchestrationSession(InstanceRow instance, ITaskOrchestrator orchestrator, DataConverter converter, ILoggerFactory loggerFactory)
    {
        this.orchestrator = orchestrator;
        this.converter = converter;
        this.loggerFactory = loggerFactory;
        InstanceId = instance.InstanceId;
        Name = instance.Name;
        ExecutionId = instance.ExecutionId;
        Parent = instance.ParentInstanceId is null ? null : new ParentOrchestrationInstance(instance.ParentName ?? "", instance.ParentInstanceId);
    }

    public string ExecutionId { get; }

    /// <summary>Number of history events this session has applied (the next event's sequence number).</summary>
    public int HistoryCount { get; private set; }

    public long LastUsed { get; set; }

    public override TaskName Name { get; }
    public override string InstanceId { get; }
    public override ParentOrchestrationInstance? Parent { get; }
    public override DateTime CurrentUtcDateTime => currentUtc;
    public override bool IsReplaying => isReplaying;
    protected override ILoggerFactory LoggerFactory => loggerFactory;

    bool Finished => terminated || runTask is { IsCompleted: true };

    // ---------- driving the code ----------

    /// <summary>Re-runs the code against recorded history; throws <see cref="NonDeterministicOrchestrationException"/> on a mismatch.</summary>
    public void Replay(IReadOnlyList<HistoryEvent> history)
    {
        isReplaying = true;
        foreach (var e in history)
        {
            if (Finished) break;
            Apply(e);
        }
        HistoryCount = history.Count;
        isReplaying = false;
    }

    /// <summary>Applies new events, then turns the code's new actions and its outcome into <paramref name="commit"/>.</summary>
    public void RunEpisode(IReadOnlyList<HistoryEvent> events, DateTime now, EpisodeCommit commit)
    {
        isReplaying = false;
        commit.FirstSeq = HistoryCount;
        var started = new HistoryEvent(EventKind.OrchestratorStarted) { Timestamp = now };
        commit.Append.Add(started);
        Apply(started);
        foreach (var e in events)
        {
            commit.Append.Add(e);
            if (Finished)
            {
                // Events that arrive after the code returned stay unconsumed (carried over by ContinueAsNew if asked).
                if (e.Kind == EventKind.EventRaised) bufferedEvents.Add(e);
                continue;
            }
            Apply(e);
        }

        foreach (var action in pendingActions.Values.OrderBy(a => a.TaskId))
        {
            commit.Append.Add(action);
            switch (action.Kind)
            {
                case EventKind.TaskScheduled: commit.Activities.Add(action); break;
                case EventKind.TimerCreated:
                    commit.Messages.Add(new OutgoingMessage(InstanceId, ExecutionId, new DateTimeOffset(action.Timestamp!.Value, TimeSpan.Zero),
                        new HistoryEvent(EventKind.TimerFired) { TaskId = action.TaskId, Timestamp = action.Timestamp }));
                    break;
                case EventKind.SubOrchestrationCreated: commit.Children.Add((action, Name.Name)); break;
                case EventKind.EventSent: commit.SentEvents.Add(action); break;
            }
        }
        pendingActions.Clear();

        commit.CustomStatusChanged = customStatusChanged;
        commit.CustomStatus = customStatus;
        customStatusChanged = false;

        if (terminated)
        {
            commit.Status = OrchestrationRuntimeStatus.Terminated;
            commit.Output = terminatedOutput;
        }
        else if (runTask is { IsCompleted: true } done)
        {
            if (done.IsCompletedSuccessfully && continueAsNew is { } next)
            {
                var carried = next.Preserve ? bufferedEvents.ToList() : [];
                commit.ContinueAsNew = (Guid.NewGuid().ToString("N"), converter.Serialize(next.Input), carried);
            }
            else if (done.IsCompletedSuccessfully)
            {
                commit.Status = OrchestrationRuntimeStatus.Completed;
                commit.Output = converter.Serialize(done.Result);
                commit.Append.Add(new HistoryEvent(EventKind.ExecutionCompleted) { Data = commit.Output });
            }
            else
            {
                var error = done.Exception?.InnerExceptions.Count == 1 ? done.Exception.InnerException! : (Exception?)done.Exception ?? new TaskCanceledException();
                commit.Status = OrchestrationRuntimeStatus.Failed;
                commit.Failure = TaskFailureDetails.FromException(error);
                commit.Append.Add(new HistoryEvent(EventKind.ExecutionFailed) { Failure = commit.Failure });
            }
        }
        HistoryCount += commit.Append.Count;
    }

    void Apply(HistoryEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.OrchestratorStarted:
                currentUtc = DateTime.SpecifyKind(e.Timestamp!.Value, DateTimeKind.Utc);
                break;
            case EventKind.ExecutionStarted:
                serializedInput = e.Data;
                RunOnContext(() =>
                {
                    object? input;
                    try { input = converter.Deserialize(serializedInput, orchestrator.InputType); }
                    catch (Exception ex) { runTask = Task.FromException<object?>(ex); return; }
                    try { runTask = orchestrator.RunAsync(this, input); }
                    catch (Exception ex) { runTask = Task.FromException<object?>(ex); } // an orchestrator that throws before returning a task
                });
                break;
            case EventKind.TaskScheduled or EventKind.TimerCreated or EventKind.SubOrchestrationCreated or EventKind.EventSent:
                MatchAction(e);
                break;
            case EventKind.TaskCompleted or EventKind.TaskFailed or EventKind.TimerFired
                or EventKind.SubOrchestrationCompleted or EventKind.SubOrchestrationFailed:
                if (openTasks.Remove(e.TaskId, out var resolve)) RunOnContext(() => resolve(e));
                break;
            case EventKind.EventRaised:
                RunOnContext(() => DeliverEvent(e));
                break;
            case EventKind.ExecutionTerminated:
                terminated = true;
                terminatedOutput = e.Data;
                break;
        }
    }

    void MatchAction(HistoryEvent recorded)
    {
        var step = $"step {recorded.TaskId} of orchestration '{Name}' (instance '{InstanceId}')";
        if (!pendingActions.Remove(recorded.TaskId, out var action))
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration: at {step} the history has {recorded.Describe()} but the code no longer does it on replay.");
        if (action.Kind != recorded.Kind || !string.Equals(action.Name, recorded.Name, StringComparison.OrdinalIgnoreCase))
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration: at {step} the history has {recorded.Describe()} but the code now does {action.Describe()} on replay.");
    }

    void RunOnContext(Action action)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(syncContext);
        try
        {
            action();
            syncContext.Drain();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    void DeliverEvent(HistoryEvent e)
    {
        if (waiters.TryGetValue(e.Name ?? "", out var list) && list.First is { } first)
        {
            list.RemoveFirst();
            first.Value(e.Data);
        }
        else
        {
            bufferedEvents.Add(e);
        }
    }

    void CheckThread()
    {
        if (SynchronizationContext.Current != syncContext)
            throw new InvalidOperationException(
                "Orchestrator code called the durable context from outside its own thread (ConfigureAwait(false), Task.Run or a non-durable await?).");
    }

    T Deserialize<T>(string? data) => converter.Deserialize<T>(data)!;

    // ---------- the context ----------

    public override T? GetInput<T>() where T : default => converter.Deserialize<T>(serializedInput);

    public override async Task<T> CallActivityAsync<T>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        CheckThread();
        var data = converter.Serialize(input);
        return await WithRetry(options, () => Schedule<T>(new HistoryEvent(EventKind.TaskScheduled) { TaskId = nextTaskId++, Name = name.Name, Data = data }));
    }

    public override async Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        CheckThread();
        var data = converter.Serialize(input);
        var childId = (options as SubOrchestrationOptions)?.InstanceId;
        return await WithRetry(options, () => Schedule<TResult>(new HistoryEvent(EventKind.SubOrchestrationCreated)
        {
            TaskId = nextTaskId++, Name = orchestratorName.Name, Data = data,
            // A fresh id per attempt, derived deterministically.
            InstanceId = childId ?? NewGuid().ToString("N"),
        }));
    }

    async Task<T> WithRetry<T>(TaskOptions? options, Func<Task<T>> attempt)
    {
        var policy = options?.Retry?.Policy;
        if (policy is null) return await attempt();
        var firstAttemptAt = CurrentUtcDateTime;
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException) when (number < policy.MaxNumberOfAttempts)
            {
                var delay = policy.DelayBefore(number + 1);
                if (policy.RetryTimeout != Timeout.InfiniteTimeSpan && CurrentUtcDateTime + delay > firstAttemptAt + policy.RetryTimeout) throw;
                // The retry delay is a durable timer: it survives restarts and shows in history.
                await CreateTimer(CurrentUtcDateTime + delay, CancellationToken.None);
            }
        }
    }

    Task<T> Schedule<T>(HistoryEvent action)
    {
        pendingActions.Add(action.TaskId, action);
        var tcs = new TaskCompletionSource<T>();
        openTasks[action.TaskId] = e =>
        {
            if (e.Kind is EventKind.TaskCompleted or EventKind.SubOrchestrationCompleted)
            {
                try { tcs.TrySetResult(Deserialize<T>(e.Data)); }
                catch (Exception ex) { tcs.TrySetException(ex); }
            }
            else
            {
                tcs.TrySetException(new TaskFailedException(action.Name!, action.TaskId,
                    e.Failure ?? new TaskFailureDetails("Unknown", "The task failed.", null, null)));
            }
        };
        return tcs.Task;
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        CheckThread();
        var utc = fireAt.Kind == DateTimeKind.Local ? fireAt.ToUniversalTime() : DateTime.SpecifyKind(fireAt, DateTimeKind.Utc);
        var id = nextTaskId++;
        pendingActions.Add(id, new HistoryEvent(EventKind.TimerCreated) { TaskId = id, Timestamp = utc });
        var tcs = new TaskCompletionSource();
        openTasks[id] = _ => tcs.TrySetResult();
        if (cancellationToken.CanBeCanceled) cancellationToken.Register(() => tcs.TrySetCanceled(cancellationToken));
        return tcs.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        CheckThread();
        var index = bufferedEvents.FindIndex(e => string.Equals(e.Name, eventName, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            var e = bufferedEvents[index];
            bufferedEvents.RemoveAt(index);
            try { return Task.FromResult(Deserialize<T>(e.Data)); }
            catch (Exception ex) { return Task.FromException<T>(ex); }
        }
        var tcs = new TaskCompletionSource<T>();
        if (!waiters.TryGetValue(eventName, out var list)) waiters[eventName] = list = new();
        var node = list.AddLast(data =>
        {
            try { tcs.TrySetResult(Deserialize<T>(data)); }
            catch (Exception ex) { tcs.TrySetException(ex); }
        });
        if (cancellationToken.CanBeCanceled)
            cancellationToken.Register(() =>
            {
                // A cancelled waiter leaves the queue, so a later event goes to the next waiter or the buffer.
                if (node.List is not null) list.Remove(node);
                tcs.TrySetCanceled(cancellationToken);
            });
        return tcs.Task;
    }

    public override void SendEvent(string instanceId, string eventName, object payload)
    {
        CheckThread();
        var id = nextTaskId++;
        pendingActions.Add(id, new HistoryEvent(EventKind.EventSent) { TaskId = id, InstanceId = instanceId, Name = eventName, Data = converter.Serialize(payload) });
    }

    public override void SetCustomStatus(object? customStatus)
    {
        this.customStatus = converter.Serialize(customStatus);
        customStatusChanged = true;
    }

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
        => continueAsNew = (newInput, preserveUnprocessedEvents);

    public override Guid NewGuid()
    {
        // Name-based UUID v5 (RFC 4122 §4.3) over instance id, replay-safe time and a counter: the same on every replay.
        var name = Encoding.UTF8.GetBytes($"{InstanceId}_{currentUtc:o}_{guidCounter++}");
        Span<byte> buffer = stackalloc byte[16 + name.Length];
        GuidNamespace.TryWriteBytes(buffer, bigEndian: true, out _);
        name.CopyTo(buffer[16..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(buffer, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>Runs posted continuations in order on the thread that drains it: the orchestration's only thread.</summary>
    sealed class EpisodeSynchronizationContext : SynchronizationContext
    {
        readonly Queue<(SendOrPostCallback Callback, object? State)> queue = new();

        public override void Post(SendOrPostCallback d, object? state)
        {
            lock (queue) queue.Enqueue((d, state));
        }

        public override void Send(SendOrPostCallback d, object? state)
            => throw new NotSupportedException("Synchronous Send is not supported on an orchestration's context.");

        public override SynchronizationContext CreateCopy() => this;

        public void Drain()
        {
            while (true)
            {
                (SendOrPostCallback Callback, object? State) item;
                lock (queue)
                {
                    if (!queue.TryDequeue(out item)) return;
                }
                item.Callback(item.State);
            }
        }
    }
}
