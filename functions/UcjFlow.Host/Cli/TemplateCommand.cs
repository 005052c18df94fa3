namespace UcjFlow.Host.Cli;

/// <summary>`ucjflow template` (placeholder until the template writer lands).</summary>
public static class TemplateCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("ucjflow template: not implemented yet");
        return Task.FromResult(Program.ExitUsage);
    }
}
