namespace UcjFlow.Host.Cli;

public static class DemoCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("not implemented yet");
        return Task.FromResult(Program.ExitFailed);
    }
}
