using UcjFlow.Host.Cli;

namespace UcjFlow.Host;

public static class Program
{
    public const int ExitOk = 0;
    public const int ExitUnreadable = 2;
    public const int ExitUsage = 64;

    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "";
        var rest = args.Skip(1).ToArray();
        return command switch
        {
            "validate" => await ValidateCommand.RunAsync(rest, Console.Out, Console.Error),
            "template" => await TemplateCommand.RunAsync(rest, Console.Out, Console.Error),
            _ => Usage(command),
        };
    }

    private static int Usage(string command)
    {
        Console.Error.WriteLine(command.Length == 0
            ? "usage: ucjflow <validate|template> [options]"
            : $"ucjflow: unknown command '{command}' (expected validate or template)");
        return ExitUsage;
    }
}
