using System.Diagnostics;
using System.Globalization;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Workflow;

namespace UcjFlow.Benchmarks.Intake;

/// <summary>
/// Issue 9.2's figure: seconds from one village's upload of a 700-row roster to its result mail in the outbox, while 20
/// other villages' 700-row rosters are being validated. The local app in process, through its HTTP API; the 20 are
/// uploaded at once, the measured one as soon as they are accepted. Prints each run, the median, and the machine's load
/// average (the figure depends on what else runs). Options: --runs N (default 3), --others N (default 20), --rows N (default 700).
/// </summary>
public static class AnswerBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Option(args, "--runs", 3);
        var others = Option(args, "--others", 20);
        var rows = Option(args, "--rows", 700);
        Console.WriteLine($"answer benchmark: upload → result mail for one {rows}-row roster while {others} others of {rows} rows are validated; {Environment.ProcessorCount} cores, load {Load()}");
        var seconds = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var (toMail, othersDone) = await OnceAsync(others, rows);
            seconds.Add(toMail.TotalSeconds);
            Console.WriteLine($"  run {run}: result mail after {toMail.TotalSeconds,6:0.00} s   (the {others} others all validated after {othersDone.TotalSeconds:0.00} s)   load {Load()}");
        }
        seconds.Sort();
        Console.WriteLine($"  median                {seconds[seconds.Count / 2],6:0.00} s");
        return 0;
    }

    static async Task<(TimeSpan ToMail, TimeSpan OthersDone)> OnceAsync(int others, int rows)
    {
        var data = Path.Combine(Path.GetTempPath(), "ucjflow-bench-answer-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // The campaign clock stands still inside the submission period: no reminder interferes with the timing.
            await using var app = await InProcessApp.StartAsync(data, new ManualClock(DemoCommand.Start));
            var measured = app.Campaign.Villages.First(v => v.PicEmail is not null);
            var background = app.Campaign.Villages.Where(v => v != measured).Take(others)
                .Select((v, i) => (Village: v, File: RosterGenerator.Csv(v, i + 1, rows, RosterFlavor.Errors))).ToList();
            var (name, content) = RosterGenerator.Csv(measured, 0, rows, RosterFlavor.Errors);

            var othersClock = Stopwatch.StartNew();
            var ids = await Task.WhenAll(background.Select(async b => (await app.UploadAsync(b.Village.Code, b.File.FileName, b.File.Content)).BatchId));
            var clock = Stopwatch.StartNew();
            await app.UploadAsync(measured.Code, name, content);
            await Polling.UntilAsync(() => Task.FromResult(OutboxMail.ReadAll(app.Outbox)
                .Any(m => m.To.Contains(measured.PicEmail!) && m.Subject.Contains("Hasil pemeriksaan", StringComparison.Ordinal))),
                TimeSpan.FromMinutes(10), "the village's result mail");
            var toMail = clock.Elapsed;
            await Polling.UntilAsync(async () => (await Task.WhenAll(ids.Select(id => app.Registry.GetBatchAsync(id)))).All(b => b!.Status != BatchStatus.Validating),
                TimeSpan.FromMinutes(10), "the other villages' rosters validated");
            return (toMail, othersClock.Elapsed);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The 1-minute load average (Linux), else "n/a".</summary>
    static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
