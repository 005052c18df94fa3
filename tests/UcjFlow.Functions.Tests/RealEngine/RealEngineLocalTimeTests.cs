using Microsoft.Extensions.Logging;
using UcjFlow.Functions.Tests.Support;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Tests.Scenarios;
using UcjFlow.Workflow.Tests.Support;
using Xunit.Abstractions;

namespace UcjFlow.Functions.Tests.RealEngine;

/// <summary>
/// Tests that set the process's local time zone (TZ): they run alone, after every other test of the assembly, so no
/// other test sees the zone change.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalTimeZoneCollection
{
    public const string Name = "Local time zone";
}

/// <summary>
/// A port timer given an unmarked time (<see cref="DateTimeKind.Unspecified"/>), on a machine east of UTC as the
/// regency's are (WIB, UTC+7): the app's adapter takes it as UTC, as the embedded runner does. Durable alone would take it
/// as local time, seven hours in the past, and the adapter's never-early loop would then set timer after timer.
/// </summary>
[Collection(LocalTimeZoneCollection.Name)]
public sealed class RealEngineLocalTimeTests(ITestOutputHelper output)
{
    /// <summary>Episodes of one timer's orchestration: its start, the timer, and once more should the engine wake it early.</summary>
    const int MostEpisodes = 3;

    [Fact]
    public async Task An_unmarked_fire_time_is_UTC_on_a_machine_east_of_UTC_it_neither_spins_nor_fires_early()
    {
        var episodes = 0;
        var registry = new DurableTaskRegistry()
            .AddOrchestratorFunc<double, DateTime[]>("UnmarkedTimer", async (ctx, seconds) =>
            {
                Interlocked.Increment(ref episodes); // every episode replays the orchestrator from its start
                var fireAt = DateTime.SpecifyKind(ctx.CurrentUtcDateTime.AddSeconds(seconds), DateTimeKind.Unspecified);
                await ctx.CreateTimer(fireAt, CancellationToken.None);
                return [fireAt, ctx.CurrentUtcDateTime];
            });
        var logs = new CapturingLoggerFactory();
        var zone = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", "Asia/Jakarta");
        TimeZoneInfo.ClearCachedData();
        try
        {
            Assert.Equal(TimeSpan.FromHours(7), TimeZoneInfo.Local.BaseUtcOffset); // else this test shows nothing
            await using var hub = await RealTaskHub.StartAsync(Azurite.ConnectionString, Azurite.UniqueName("ucjlocaltime"), registry,
                _ => new Services(), logs, new MinimumLevelLoggerFactory(logs, LogLevel.Warning));
            var id = await hub.Client.ScheduleNewOrchestrationInstanceAsync("UnmarkedTimer", 2.0);

            var done = await Poll.UntilAsync(async () =>
                {
                    var m = await hub.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
                    if (Volatile.Read(ref episodes) > MostEpisodes)
                        throw new Xunit.Sdk.XunitException($"the orchestration spins: {episodes} episodes and still waiting ({m?.RuntimeStatus})");
                    return m;
                },
                m => m is { IsCompleted: true }, m => $"{id} did not complete ({m?.RuntimeStatus}, {episodes} episodes)");

            Assert.Equal(OrchestrationRuntimeStatus.Completed, done!.RuntimeStatus);
            var times = done.ReadOutputAs<DateTime[]>()!;
            output.WriteLine($"due {times[0]:HH:mm:ss.fff} (unmarked), woke {times[1]:HH:mm:ss.fff} UTC, {episodes} episodes");
            Assert.True(times[1] >= times[0], $"woke {(times[0] - times[1]).TotalMilliseconds:0} ms early");
            Assert.InRange(episodes, 2, MostEpisodes);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
