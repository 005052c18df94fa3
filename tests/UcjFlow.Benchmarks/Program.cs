// Benchmarks: console programs, not part of the test run. Run with
//   dotnet run -c Release --project tests/UcjFlow.Benchmarks -- <roster|durable|intake|answer|coverage-history|renewal>
using UcjFlow.Benchmarks.Coverage;
using UcjFlow.Benchmarks.Durable;
using UcjFlow.Benchmarks.Intake;
using UcjFlow.Benchmarks.Roster;

var which = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
return which switch
{
    "roster" => await RosterBenchmark.RunAsync(rest),
    "durable" => await DurableBenchmark.RunAsync(rest),
    "intake" => await IntakeBenchmark.RunAsync(rest),
    "answer" => await AnswerBenchmark.RunAsync(rest),
    "coverage-history" => await CoverageHistoryBenchmark.RunAsync(rest),
    "renewal" => await RenewalBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/UcjFlow.Benchmarks -- <roster|durable|intake|answer|coverage-history|renewal> [options]");
    return 64;
}
