namespace UcjFlow.Host.Demo;

/// <summary>
/// A clock that only moves when told to, with working timers: <see cref="Advance"/> fires every timer that falls due,
/// so the durable runner's timers (reminders, deadlines) follow it. Used by the demo and the tests.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    readonly object gate = new();
    readonly List<ManualTimer> timers = [];
    DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate) return now;
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock forward and fires, in due order, each timer due by the new time.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "A clock does not go back.");
        DateTimeOffset target;
        lock (gate) target = now + by;
        while (true)
        {
            ManualTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.Due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    now = target;
                    return;
                }
                if (next.Due > now) now = next.Due;
                next.Reschedule();
            }
            next.Fire();
        }
    }

    /// <summary>Moves the clock to <paramref name="instant"/> (no-op when already past it).</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        var by = instant - GetUtcNow();
        if (by > TimeSpan.Zero) Advance(by);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        TimeSpan period = Timeout.InfiniteTimeSpan;
        public DateTimeOffset Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.gate)
            {
                clock.timers.Remove(this);
                this.period = period;
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                Due = clock.now + dueTime;
                clock.timers.Add(this);
            }
            // A zero due time fires at once, as System.Threading.Timer does.
            if (dueTime <= TimeSpan.Zero) clock.Advance(TimeSpan.Zero);
            return true;
        }

        /// <summary>Under the clock's lock: removes the timer, or moves it one period on.</summary>
        public void Reschedule()
        {
            clock.timers.Remove(this);
            if (period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
            {
                Due += period;
                clock.timers.Add(this);
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock.gate) clock.timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
