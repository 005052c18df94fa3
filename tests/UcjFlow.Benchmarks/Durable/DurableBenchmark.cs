namespace UcjFlow.Benchmarks.Durable;

public static class DurableBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("not implemented yet");
        return Task.FromResult(1);
    }
}
