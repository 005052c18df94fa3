namespace UcjFlow.Benchmarks.Intake;

public static class IntakeBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("not implemented yet");
        return Task.FromResult(1);
    }
}
