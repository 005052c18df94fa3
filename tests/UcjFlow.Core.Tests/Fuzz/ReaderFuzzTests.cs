using System.Diagnostics;
using System.Globalization;
using System.Text;
using UcjFlow.Core.Roster;
using Xunit.Abstractions;

namespace UcjFlow.Core.Tests.Fuzz;

/// <summary>
/// Thousands of damaged rosters derived from the shared samples (<see cref="RosterMutator"/>): each must end in a report
/// (valid, invalid, or unreadable with a file-level code), never in an exception, within 5 s and 400 MB allocated.
/// Deterministic by default; to reproduce or go further set UCJ_FUZZ_SEED, UCJ_FUZZ_CASES, or UCJ_FUZZ_CASE (one index).
/// Failing inputs are written to UCJ_FUZZ_OUT (default: a temp folder named in the failure) so they can be kept as
/// regression files in Fuzz/Regressions.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output)
{
    public const int DefaultSeed = 20241101;
    public const int DefaultCases = 4000;
    private static readonly TimeSpan MaxElapsed = TimeSpan.FromSeconds(5);
    private const long MaxAllocatedBytes = 400L * 1024 * 1024;

    [Fact]
    public void Damaged_rosters_end_in_a_report_or_a_file_code()
    {
        var seed = Env("UCJ_FUZZ_SEED") ?? DefaultSeed;
        var cases = Env("UCJ_FUZZ_CASES") ?? DefaultCases;
        var only = Env("UCJ_FUZZ_CASE");
        var outDir = Environment.GetEnvironmentVariable("UCJ_FUZZ_OUT") is { Length: > 0 } o
            ? o : Path.Combine(Path.GetTempPath(), "ucjflow-fuzz-" + seed);
        var seeds = FuzzSeed.All;

        var failures = new List<string>();
        var byCode = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var slowest = TimeSpan.Zero;
        var byFormat = new SortedDictionary<string, TimeSpan>(StringComparer.Ordinal);
        var slowCases = new PriorityQueue<string, TimeSpan>();
        long mostAllocated = 0;
        var clock = Stopwatch.StartNew();
        var mutating = TimeSpan.Zero;
        var first = only ?? 0;
        var last = only ?? cases - 1;
        for (var i = first; i <= last; i++)
        {
            var making = Stopwatch.GetTimestamp();
            var c = RosterMutator.Make(seed, i, seeds);
            mutating += Stopwatch.GetElapsedTime(making);
            var outcome = FuzzRun.RunWithDeadline(c.Content, c.FileName, c.Seed.VillageCode, MaxElapsed + TimeSpan.FromSeconds(1));
            if (outcome.Elapsed > slowest) slowest = outcome.Elapsed;
            byFormat[c.Seed.Format.ToString()] = byFormat.GetValueOrDefault(c.Seed.Format.ToString()) + outcome.Elapsed;
            slowCases.Enqueue($"case {i} ({c.Seed.Name}; {c.Mutation}) {outcome.Elapsed.TotalMilliseconds:F0} ms", outcome.Elapsed);
            if (slowCases.Count > 5) slowCases.Dequeue();
            mostAllocated = Math.Max(mostAllocated, outcome.AllocatedBytes);
            var key = outcome.Report is { } r ? r.FileCode ?? r.Status.ToString() : "exception";
            byCode[key] = byCode.GetValueOrDefault(key) + 1;
            if (only is not null)
            {
                // One case asked for: keep its input whatever the outcome, to inspect it or commit it as a regression.
                Directory.CreateDirectory(outDir);
                File.WriteAllBytes(Path.Combine(outDir, c.FileName), c.Content);
                output.WriteLine($"case {i} ({c.Seed.Name}; {c.Mutation}): {key}, {outcome.Elapsed.TotalMilliseconds:F0} ms, " +
                    $"{outcome.AllocatedBytes / 1024.0 / 1024.0:F1} MB allocated; input: {Path.Combine(outDir, c.FileName)}");
            }
            if (outcome.Problem(MaxElapsed, MaxAllocatedBytes) is not { } problem) continue;
            Directory.CreateDirectory(outDir);
            var path = Path.Combine(outDir, c.FileName);
            File.WriteAllBytes(path, c.Content);
            failures.Add($"case {i} ({c.Seed.Name}; {c.Mutation}) -> {problem}\n  input: {path}");
            if (outcome.Escaped is TimeoutException || failures.Count >= 20) break; // a hung case keeps a core busy
        }

        var summary = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"seed {seed}, cases {first}..{last} of {cases}, {clock.Elapsed.TotalSeconds:F1} s; ")
            .Append(CultureInfo.InvariantCulture, $"slowest {slowest.TotalMilliseconds:F0} ms, most allocated {mostAllocated / 1024.0 / 1024.0:F1} MB; ")
            .AppendJoin(", ", byCode.Select(kv => $"{kv.Key} {kv.Value}"));
        output.WriteLine(summary.ToString());
        output.WriteLine($"mutating {mutating.TotalSeconds:F1} s; validating by format: " + string.Join(", ", byFormat.Select(kv => $"{kv.Key} {kv.Value.TotalSeconds:F1} s")));
        while (slowCases.TryDequeue(out var slow, out _)) output.WriteLine("slow: " + slow);
        if (failures.Count == 0 && only is null && cases >= 1000)
        {
            // The damage must reach past the door: some cases read to the end, others stop at each kind of refusal.
            string[] reached = ["Valid", "Invalid", RuleCodes.FileCorrupt, RuleCodes.FileUnsupported, RuleCodes.HeaderNotFound, RuleCodes.FileTooLarge];
            Assert.All(reached, k => Assert.True(byCode.ContainsKey(k), $"no case ended {k}: {summary}"));
            Assert.True(byCode.GetValueOrDefault("Valid") + byCode.GetValueOrDefault("Invalid") >= (last - first + 1) / 4, $"fewer than a quarter of the cases were read to the end: {summary}");
        }
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} failing case(s); reproduce with UCJ_FUZZ_SEED={seed} UCJ_FUZZ_CASES={cases} " +
                $"(one case: UCJ_FUZZ_CASE=<n>)\n{summary}\n\n{string.Join("\n\n", failures)}");
    }

    [Fact]
    public void A_case_is_the_same_for_the_same_seed_and_index()
    {
        var a = RosterMutator.Make(DefaultSeed, 17, FuzzSeed.All);
        var b = RosterMutator.Make(DefaultSeed, 17, FuzzSeed.All);
        Assert.Equal(a.Mutation, b.Mutation);
        Assert.Equal(a.Content, b.Content);
        Assert.NotEqual(a.Content, RosterMutator.Make(DefaultSeed + 1, 17, FuzzSeed.All).Content);
    }

    private static int? Env(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
