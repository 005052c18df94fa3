using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using UcjFlow.Embedded.Durable;
using UcjFlow.Functions.Tests.RealEngine;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Benchmarks.Durable;

/// <summary>
/// Durable throughput on this machine, one engine beside the other, for the same three workloads written once against the
/// workflow's durable port: the embedded runner (SQLite), and the real Durable Task engine (DurableTask.Core's TaskHubWorker
/// with the Azure Storage provider on Azurite, through Microsoft.DurableTask's DurableTaskShimFactory and the app's
/// WorkflowBridge, as the real-engine tests run it; set up as the app's host.json: 4 partitions, 8 concurrent activities
/// and orchestrations), beside the figures Microsoft publishes for Durable Functions on its Azure Storage provider.
///   dotnet run -c Release --project tests/UcjFlow.Benchmarks -- durable [--activities N] [--instances N] [--full-sync]
///       [--engine embedded|real|both]
/// The real engine needs Azurite (blob, queue and table): its connection string comes from UCJ_TEST_AZURITE, as in the
/// tests (.ci/run sets it), or --azurite "connection string". Without either only the embedded runner is measured.
/// </summary>
public static class DurableBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var activities = Option(args, "--activities", 1000);
        var instances = Option(args, "--instances", 1000);
        var fullSync = args.Contains("--full-sync");
        var azurite = Text(args, "--azurite") ?? Environment.GetEnvironmentVariable("UCJ_TEST_AZURITE");
        var engine = Text(args, "--engine") ?? (string.IsNullOrWhiteSpace(azurite) ? "embedded" : "both");
        if (engine is not ("embedded" or "real" or "both")) return Usage($"unknown engine '{engine}'");
        if (engine != "embedded" && string.IsNullOrWhiteSpace(azurite))
            return Usage("the real engine needs Azurite: set UCJ_TEST_AZURITE or pass --azurite \"connection string\"");
        if (engine == "embedded" && string.IsNullOrWhiteSpace(azurite))
            Console.Error.WriteLine("durable: UCJ_TEST_AZURITE is not set, measuring the embedded runner only");

        Figures? embedded = null, real = null;
        if (engine != "real")
        {
            var folder = Path.Combine(Path.GetTempPath(), "ucj-durable-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                await using var runner = EmbeddedDurableRunner.Create(Path.Combine(folder, "bench.db"), Registry(),
                    new EmbeddedDurableOptions { SynchronousFull = fullSync });
                await runner.StartAsync();
                embedded = await MeasureAsync(runner.Client, activities, instances);
            }
            finally
            {
                try { Directory.Delete(folder, true); } catch (IOException) { }
            }
        }
        if (engine != "embedded")
        {
            await using var hub = await RealTaskHub.StartAsync(azurite!, "ucjbench" + Guid.NewGuid().ToString("N")[..16], Registry(),
                _ => NoServices.Instance, NullLoggerFactory.Instance, NullLoggerFactory.Instance,
                new RealTaskHubOptions { PartitionCount = 4, MaxConcurrentWorkItems = 8, MaxQueuePollingInterval = TimeSpan.FromSeconds(1) });
            real = await MeasureAsync(hub.Client, activities, instances);
        }

        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}; embedded runner: SQLite WAL, synchronous={(fullSync ? "FULL" : "NORMAL")}; " +
            "real engine: DurableTask.Core 3.11 + Azure Storage provider 2.11 on Azurite, 4 partitions, 8 concurrent work items");
        Console.WriteLine();
        Console.WriteLine("| scenario | embedded runner | real engine (DurableTask.Core, Azure Storage on Azurite) | Durable Functions, Azure Storage provider (published) |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| sequential chain of {activities} activities | {Rate(embedded, f => f.Sequential, activities, "activities/s")} | {Rate(real, f => f.Sequential, activities, "activities/s")} | about 5 activities/s per orchestration |");
        Console.WriteLine($"| fan-out / fan-in of {activities} activities | {Rate(embedded, f => f.FanOut, activities, "activities/s")} | {Rate(real, f => f.FanOut, activities, "activities/s")} | about 100 activities/s per orchestration |");
        Console.WriteLine($"| {instances} small orchestrations (1 activity each), started and completed | {Rate(embedded, f => f.Many, instances, "orchestrations/s")} | {Rate(real, f => f.Many, instances, "orchestrations/s")} | scales out across VMs |");
        return 0;
    }

    /// <summary>The three workloads, written once against the port; both engines run this registry.</summary>
    static DurableTaskRegistry Registry() => new DurableTaskRegistry()
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

    sealed record Figures(TimeSpan Sequential, TimeSpan FanOut, TimeSpan Many);

    static async Task<Figures> MeasureAsync(DurableTaskClient client, int activities, int instances)
    {
        // Warm up the JIT, the database pages or the queues, so the first measurement is not a cold start.
        await Check(client, await client.ScheduleNewOrchestrationInstanceAsync("FanOut", 50), Expected(50));

        var sequential = await TimeAsync(async () =>
            await Check(client, await client.ScheduleNewOrchestrationInstanceAsync("Sequential", activities), Expected(activities)));
        var fanOut = await TimeAsync(async () =>
            await Check(client, await client.ScheduleNewOrchestrationInstanceAsync("FanOut", activities), Expected(activities)));
        var many = await TimeAsync(async () =>
        {
            var ids = new List<string>(instances);
            for (var i = 0; i < instances; i++) ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Small", i));
            for (var i = 0; i < instances; i++) await Check(client, ids[i], i % 7);
        });
        return new Figures(sequential, fanOut, many);
    }

    static int Expected(int n) => Enumerable.Range(0, n).Sum(i => i % 7);

    static async Task Check(DurableTaskClient client, string id, int expected)
    {
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            throw new InvalidOperationException($"{id} ended {done.RuntimeStatus}: {done.FailureDetails}");
        if (done.ReadOutputAs<int>() != expected)
            throw new InvalidOperationException($"{id} returned {done.SerializedOutput}, not {expected}");
    }

    static string Rate(Figures? figures, Func<Figures, TimeSpan> pick, int count, string unit) =>
        figures is null ? "not measured" : $"{count / pick(figures).TotalSeconds:N0} {unit} ({pick(figures).TotalSeconds:N2} s)";

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

    static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    static int Usage(string problem)
    {
        Console.Error.WriteLine($"durable: {problem}");
        Console.Error.WriteLine("usage: dotnet run -c Release --project tests/UcjFlow.Benchmarks -- durable [--activities N] [--instances N] [--full-sync] [--engine embedded|real|both] [--azurite CONNECTION]");
        Console.Error.WriteLine("       the real engine runs on Azurite: its connection string from UCJ_TEST_AZURITE (as .ci/run sets it) or --azurite");
        return 64;
    }

    /// <summary>The benchmark's activities need no services.</summary>
    sealed class NoServices : IServiceProvider
    {
        public static readonly NoServices Instance = new();
        public object? GetService(Type serviceType) => null;
    }
}
