namespace UcjFlow.Benchmarks;

/// <summary>
/// The benchmarks' one wait: asks <c>done</c> every 10 ms (the resolution the timings are read at) until it says yes,
/// and gives up with a <see cref="TimeoutException"/> naming what never happened once <c>within</c> has passed.
/// </summary>
internal static class Polling
{
    static readonly TimeSpan Every = TimeSpan.FromMilliseconds(10);

    /// <exception cref="TimeoutException"><paramref name="done"/> never said yes within <paramref name="within"/>.</exception>
    public static async Task UntilAsync(Func<Task<bool>> done, TimeSpan within, string what)
    {
        var until = DateTime.UtcNow + within;
        while (!await done())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what}: not within {within.TotalMinutes:0} minutes.");
            await Task.Delay(Every);
        }
    }
}
