namespace UcjFlow.Host.Cli;

/// <summary>`ucjflow validate` (placeholder until the roster engine lands).</summary>
public static class ValidateCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("ucjflow validate: not implemented yet");
        return Task.FromResult(Program.ExitUsage);
    }
}
