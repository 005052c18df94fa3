using UcjFlow.Host.Demo;

namespace UcjFlow.Host.Tests.Support;

public static class Poll
{
    /// <summary>Polls <paramref name="probe"/> until it returns a value, or fails naming <paramref name="what"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? deadline = null) where T : class
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > until) Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    /// <summary>The first outbox mail matching, once it is written.</summary>
    public static Task<OutboxMail> OutboxAsync(string folder, Func<OutboxMail, bool> match, string what) =>
        UntilAsync(() => Task.FromResult(OutboxMail.ReadAll(folder).FirstOrDefault(match)), $"an outbox mail: {what}");
}
