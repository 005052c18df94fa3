using System.Diagnostics;
using UcjFlow.Embedded.Durable;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Benchmarks.Durable;

/// <summary>
/// Throughput of the embedded durable runner on this machine, beside the figures Microsoft publishes for Durable
/// Functions on its default Azure Storage provider (per orchestration: about 5 activities/s sequential, about 100/s fan-out).
///   dotnet run -c Release --project tests/UcjFlow.Benchmarks -- durable [--activities N] [--instances N] [--full-sync]
/// </summary>
public static class DurableBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var activities = Option(args, "--activities", 1000);
        var instances = Option(args, "--instances", 1000);
        var fullSync = args.Contains("--full-sync");
        var folder = Path.Combine(Path.GetTempPath(), "ucj-durable-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var registry = new DurableTaskRegistry()
                .AddOrchestratorFunc<int, int>("Sequential", async (ctx, n) =>
                {
                    var sum = 0;
                    for (var i = 0; i < n; i++) sum += await ctx.CallActivityAsync<int>("Work", i);
                    return sum;
                })
                .AddOrchestratorFunc<int, int>("FanOut", async (ctx, n) =>
                    (await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("Work", i)))).Sum())
                .AddOrchestratorFunc<int, int>("Small", async (ctx, n) => await ctx.CallActivityAsync<int>("Work", n))
                .AddActivityFunc<int, int>("Work", (_, i) => i % 7);

            await using var runner = EmbeddedDurableRunner.Create(Path.Combine(folder, "bench.db"), registry,
                new EmbeddedDurableOptions { SynchronousFull = fullSync });
            await runner.StartAsync();
            var client = runner.Client;

            // Warm up the JIT and SQLite pages so the first measurement is not a cold start.
            await client.WaitForInstanceCompletionAsync(await client.ScheduleNewOrchestrationInstanceAsync("FanOut", 50));

            var sequential = await TimeAsync(async () =>
                await Check(client, await client.ScheduleNewOrchestrationInstanceAsync("Sequential", activities)));
            var fanOut = await TimeAsync(async () =>
                await Check(client, await client.ScheduleNewOrchestrationInstanceAsync("FanOut", activities)));
            var many = await TimeAsync(async () =>
            {
                var ids = new List<string>(instances);
                for (var i = 0; i < instances; i++) ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Small", i));
                foreach (var id in ids) await Check(client, id);
            });

            Console.WriteLine($"Embedded durable runner (SQLite WAL, synchronous={(fullSync ? "FULL" : "NORMAL")}), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            Console.WriteLine();
            Console.WriteLine("| scenario | this runner | Durable Functions, Azure Storage provider (published) |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| sequential chain of {activities} activities | {activities / sequential.TotalSeconds:N0} activities/s ({sequential.TotalSeconds:N2} s) | about 5 activities/s per orchestration |");
            Console.WriteLine($"| fan-out / fan-in of {activities} activities | {activities / fanOut.TotalSeconds:N0} activities/s ({fanOut.TotalSeconds:N2} s) | about 100 activities/s per orchestration |");
            Console.WriteLine($"| {instances} small orchestrations (1 activity each), started and completed | {instances / many.TotalSeconds:N0} orchestrations/s ({many.TotalSeconds:N2} s) | scales out across VMs |");
            return 0;
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    static async Task Check(DurableTaskClient client, string id)
    {
        var done = await client.WaitForInstanceCompletionAsync(id);
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            throw new InvalidOperationException($"{id} ended {done.RuntimeStatus}");
    }

    static async Task<TimeSpan> TimeAsync(Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.Elapsed;
    }

    static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }
}
