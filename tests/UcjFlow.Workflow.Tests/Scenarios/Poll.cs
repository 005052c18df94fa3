namespace UcjFlow.Workflow.Tests.Scenarios;

/// <summary>
/// How the workflow's tests wait for an effect, on every engine: read the state every <see cref="Interval"/> until it
/// shows the effect, and fail once <see cref="Timeout"/> has passed without it. Never a sleep standing in for an effect.
/// </summary>
internal static class Poll
{
    /// <summary>How long a test waits for an effect before it fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a test waits between two reads of the state.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Reads with <paramref name="read"/> until <paramref name="done"/> holds for what it read, and returns that; throws a
    /// <see cref="TimeoutException"/> saying <paramref name="failure"/> of the last read once <see cref="Timeout"/> has
    /// passed. <paramref name="read"/> may throw to end the wait early (e.g. the instance failed).
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> failure)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{failure(value)} (waited {Timeout.TotalSeconds:0} s)");
            await Task.Delay(Interval);
        }
    }

    /// <summary><see cref="UntilAsync{T}(Func{Task{T}}, Func{T, bool}, Func{T, string})"/> with a synchronous read.</summary>
    public static Task<T> UntilAsync<T>(Func<T> read, Func<T, bool> done, Func<T, string> failure) =>
        UntilAsync(() => Task.FromResult(read()), done, failure);
}
