using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Workflow;

namespace UcjFlow.Benchmarks.Intake;

/// <summary>
/// Every village of the sample campaign (158 for Sarolangun) uploads a generated roster of about 700 rows at once through
/// the HTTP API of the in-process local app; measured: until every batch awaits approval, then until every batch is
/// approved and the published coverage summary counts them all.
/// Options: --villages N (default all), --rows N (default 700), --parallel N uploads at once (default 16).
/// </summary>
public static class IntakeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var villagesWanted = Option(args, "--villages", int.MaxValue);
        var rows = Option(args, "--rows", 700);
        var parallel = Option(args, "--parallel", 16);
        var data = Path.Combine(Path.GetTempPath(), "ucjflow-bench-intake-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // The campaign clock stands still inside the submission period: no reminder interferes with the timing.
            // The sample campaign with generated workforce figures for every kecamatan and desa, so the coverage summary
            // computes every percentage (the shared data has no real per-area figures).
            Directory.CreateDirectory(data);
            var campaignFile = WriteCampaignWithFigures(data);
            await using var app = await InProcessApp.StartAsync(data, new ManualClock(DemoCommand.Start), s => s with { CampaignFile = campaignFile });
            var villages = app.Campaign.Villages.Take(villagesWanted).ToList();
            var files = villages.Select((v, i) => (Village: v, File: RosterGenerator.Csv(v, i, rows, i % 4 == 0 ? RosterFlavor.Warnings : RosterFlavor.Clean))).ToList();
            var totalRows = files.Count * rows;
            Console.WriteLine($"intake benchmark: {files.Count} villages × {rows} rows = {totalRows:N0} rows, {files.Sum(f => f.File.Content.Length) / 1024.0 / 1024:0.0} MB, {parallel} uploads at once, {Environment.ProcessorCount} cores");

            var clock = Stopwatch.StartNew();
            var batchIds = new string[files.Count];
            await Parallel.ForAsync(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
            {
                var (village, (name, content)) = files[i];
                batchIds[i] = (await app.UploadAsync(village.Code, name, content)).BatchId;
            });
            var uploaded = clock.Elapsed;
            await UntilAsync(app, BatchStatus.AwaitingApproval, files.Count);
            var validated = clock.Elapsed;
            Console.WriteLine($"  uploads accepted (202)           {uploaded.TotalSeconds,8:0.00} s");
            Console.WriteLine($"  all AwaitingApproval             {validated.TotalSeconds,8:0.00} s   ({totalRows / validated.TotalSeconds:N0} rows/s)");
            await TimeWorkbenchAsync(app, batchIds[^1], "awaiting approval");

            clock.Restart();
            await Parallel.ForAsync(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
                (await app.DecideAsync(batchIds[i], true)).EnsureSuccessStatusCode());
            await UntilAsync(app, BatchStatus.Approved, files.Count);
            var approved = clock.Elapsed;
            var blobs = app.App.Services.GetRequiredService<IBlobStore>();
            var summary = await UntilPublishedAsync(blobs, totalRows);
            var published = clock.Elapsed;
            Console.WriteLine($"  all Approved (committed)         {approved.TotalSeconds,8:0.00} s   ({totalRows / approved.TotalSeconds:N0} rows/s)");
            Console.WriteLine($"  summary published with all       {published.TotalSeconds,8:0.00} s   (approved {summary.Approved:N0}, coverage {summary.CoveragePercent.ToString("0.00", CultureInfo.InvariantCulture)}%)");
            Console.WriteLine($"  mails in the outbox              {Directory.GetFiles(app.Outbox, "*.eml").Length,8}");
            await TimeWorkbenchAsync(app, batchIds[^1], "approved");

            // Reading coverage with every village approved: the live API (one calculation over the registry) and the
            // published HTML report (a blob), each 20 times after one warm-up.
            foreach (var (label, path) in new[] { ("GET /api/coverage", "api/coverage"), ("GET /reports/coverage/latest.html", "reports/coverage/latest.html"), ("GET /coverage (page)", "coverage") })
            {
                var bytes = (await app.Http.GetByteArrayAsync(path)).Length;
                var times = new List<double>();
                for (var i = 0; i < 20; i++)
                {
                    var t = Stopwatch.StartNew();
                    (await app.Http.GetByteArrayAsync(path)).AsSpan();
                    times.Add(t.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                Console.WriteLine($"  {label,-34} median {times[10],7:0.0} ms, best {times[0],7:0.0} ms, worst {times[^1],7:0.0} ms   ({bytes / 1024.0:0} KB)");
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// The coordinators' workbench reads on the loaded app (issue 10.3): the batch list's first page, a search by kecamatan
    /// name, the last page sorted by village, and the first and last page of one batch's people. Each request is timed
    /// 20 times after one warm-up; printed: median and slowest, in milliseconds, over the loopback HTTP API.
    /// </summary>
    static async Task TimeWorkbenchAsync(InProcessApp app, string batchId, string when)
    {
        var lastPeoplePage = Math.Max(1, (int)Math.Ceiling((await app.GetBatchAsync(batchId)).Counts.Valid / 50.0));
        (string Label, string Path)[] requests =
        [
            ("GET /api/batches (first page)", "api/batches"),
            ("GET /api/batches?q=Sarolangun", "api/batches?q=Sarolangun"),
            ("GET /api/batches?sort=village&page=4", "api/batches?sort=village&page=4"),
            ("GET …/people (first page of 50)", $"api/batches/{batchId}/people?size=50"),
            ($"GET …/people (page {lastPeoplePage} of 50)", $"api/batches/{batchId}/people?size=50&page={lastPeoplePage}"),
        ];
        Console.WriteLine($"  workbench reads, {when} (median / slowest of 20):");
        foreach (var (label, path) in requests)
        {
            (await app.Http.GetAsync(path)).EnsureSuccessStatusCode();
            var times = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await app.Http.GetAsync(path);
                await response.Content.LoadIntoBufferAsync();
                response.EnsureSuccessStatusCode();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"    {label,-40} {times[times.Count / 2],7:0.0} ms / {times[^1],7:0.0} ms");
        }
    }

    /// <summary>The sample campaign plus a generated workforce figure for each kecamatan and desa (benchmark data, not real figures).</summary>
    static string WriteCampaignWithFigures(string folder)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(UcjFlow.App.Hosting.UcjFlowServices.SampleCampaignPath))!.AsObject();
        var campaign = UcjFlow.Core.Campaigns.CampaignLoader.LoadFile(UcjFlow.App.Hosting.UcjFlowServices.SampleCampaignPath);
        var figures = new System.Text.Json.Nodes.JsonArray();
        foreach (var d in campaign.Villages.GroupBy(v => v.DistrictCode))
            figures.Add(Figure(d.Key, d.Count() * 1_000L, d.Count() * 300L));
        foreach (var v in campaign.Villages)
            figures.Add(Figure(v.Code, 1_000, 300));
        json["workforceFigures"] = figures;
        var path = Path.Combine(folder, "campaign-benchmark.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;

        static System.Text.Json.Nodes.JsonObject Figure(string area, long workforce, long baseline) => new()
        {
            ["area"] = area, ["workforce"] = workforce, ["baselineCovered"] = baseline, ["source"] = "generated for the benchmark", ["from"] = "2024-01-01",
        };
    }

    static async Task UntilAsync(InProcessApp app, BatchStatus status, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(30);
        while ((await app.Registry.ListBatchesAsync(app.Campaign.Id, status)).Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Not all {count} batches reached {status}.");
            await Task.Delay(100);
        }
    }

    static async Task<CoverageSummary> UntilPublishedAsync(IBlobStore blobs, long approved)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            if (await blobs.ExistsAsync(BlobContainers.Reports, CoverageBlobs.Json))
            {
                await using var stream = await blobs.OpenReadAsync(BlobContainers.Reports, CoverageBlobs.Json);
                var summary = CoverageJson.Deserialize(await new StreamReader(stream).ReadToEndAsync());
                if (summary.Approved >= approved) return summary;
            }
            if (DateTime.UtcNow > until) throw new TimeoutException("The coverage summary never counted every approval.");
            await Task.Delay(100);
        }
    }

    static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
