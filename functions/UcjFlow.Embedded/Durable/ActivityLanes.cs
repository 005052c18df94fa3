namespace UcjFlow.Embedded.Durable;

/// <summary>
/// Where an activity call waits for one of the runner's workers (<see cref="EmbeddedDurableOptions.ActivityLanes"/>).
/// A free worker takes the oldest call of the lane with the lowest <paramref name="Order"/> that has one waiting and
/// fewer than <paramref name="MaxConcurrent"/> of its calls running; lanes are told apart by <paramref name="Name"/>.
/// Lanes order only the start of calls already stored: every call still runs at least once, after a crash too.
/// </summary>
public sealed record ActivityLane(string Name, int Order, int MaxConcurrent = int.MaxValue)
{
    /// <summary>The one lane of a runner without <see cref="EmbeddedDurableOptions.ActivityLanes"/>: first in, first out.</summary>
    public static ActivityLane Default { get; } = new("default", 0);
}

/// <summary>
/// The activity calls waiting for a worker, in their lanes (<see cref="ActivityLane"/>). Thread-safe; workers wait
/// asynchronously. Within a lane, calls start in the order they were queued.
/// </summary>
internal sealed class ActivityLanes(Func<string, ActivityLane> laneOf)
{
    sealed class Lane(ActivityLane definition)
    {
        public ActivityLane Definition { get; } = definition;
        public Queue<ActivityWorkItem> Waiting { get; } = new();
        public int Running;
        public bool CanStart => Waiting.Count > 0 && Running < Definition.MaxConcurrent;
    }

    readonly Lock gate = new();
    readonly Dictionary<string, Lane> byName = new(StringComparer.Ordinal);
    readonly Dictionary<string, Lane> byActivity = new(StringComparer.Ordinal);
    readonly Queue<TaskCompletionSource> idleWorkers = new();
    Lane[] ordered = [];

    /// <summary>Queues a call in its lane and wakes an idle worker if it can start.</summary>
    public void Add(ActivityWorkItem item)
    {
        lock (gate)
        {
            LaneOf(item.Name).Waiting.Enqueue(item);
            WakeLocked();
        }
    }

    /// <summary>
    /// The next call to run, once there is one that may start now; the caller reports its end with <see cref="Done"/>.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="ct"/> is cancelled while waiting.
    /// </summary>
    public async Task<ActivityWorkItem> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            TaskCompletionSource wake;
            lock (gate)
            {
                foreach (var lane in ordered)
                {
                    if (!lane.CanStart) continue;
                    lane.Running++;
                    return lane.Waiting.Dequeue();
                }
                wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                idleWorkers.Enqueue(wake);
            }
            try
            {
                await wake.Task.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (gate)
                    if (!wake.TrySetCanceled()) WakeLocked(); // a wake-up meant for this worker goes to another one
                throw;
            }
        }
    }

    /// <summary>A call taken by <see cref="TakeAsync"/> has ended: its lane has room for the next.</summary>
    public void Done(ActivityWorkItem item)
    {
        lock (gate)
        {
            LaneOf(item.Name).Running--;
            WakeLocked();
        }
    }

    /// <summary>Wakes as many idle workers as there are calls that may start now.</summary>
    void WakeLocked()
    {
        var startable = 0;
        foreach (var lane in ordered)
            if (lane.CanStart) startable += Math.Min(lane.Waiting.Count, lane.Definition.MaxConcurrent - lane.Running);
        while (startable-- > 0 && idleWorkers.TryDequeue(out var worker))
            if (!worker.TrySetResult()) startable++; // gave up waiting (stopping): try the next one
    }

    Lane LaneOf(string activity)
    {
        if (byActivity.TryGetValue(activity, out var lane)) return lane;
        var definition = laneOf(activity) ?? ActivityLane.Default;
        if (!byName.TryGetValue(definition.Name, out lane))
        {
            if (definition.MaxConcurrent < 1) throw new InvalidOperationException($"Activity lane '{definition.Name}' lets no call run.");
            lane = byName[definition.Name] = new Lane(definition);
            ordered = [.. byName.Values.OrderBy(l => l.Definition.Order).ThenBy(l => l.Definition.Name, StringComparer.Ordinal)];
        }
        return byActivity[activity] = lane;
    }
}
