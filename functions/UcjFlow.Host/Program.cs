using UcjFlow.Host.Cli;

namespace UcjFlow.Host;

public static class Program
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUnreadable = 2;
    public const int ExitUsage = 64;
    /// <summary>The campaign file or a setting is invalid (sysexits EX_CONFIG).</summary>
    public const int ExitConfig = 78;

    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "";
        var rest = args.Skip(1).ToArray();
        return command switch
        {
            "serve" => await ServeCommand.RunAsync(rest, Console.Out, Console.Error),
            "demo" => await DemoCommand.RunAsync(rest, Console.Out, Console.Error),
            "validate" => await ValidateCommand.RunAsync(rest, Console.Out, Console.Error),
            "template" => await TemplateCommand.RunAsync(rest, Console.Out, Console.Error),
            "backup" => await BackupCommand.RunAsync(rest, Console.Out, Console.Error),
            "restore" => await RestoreCommand.RunAsync(rest, Console.Out, Console.Error),
            "campaign" => await CampaignCommand.RunAsync(rest, Console.Out, Console.Error),
            "--help" or "-h" or "help" => Help(),
            _ => Usage(command),
        };
    }

    private static int Help()
    {
        Console.Out.WriteLine("""
            usage: ucjflow <command> [options]
              serve [--data DIR] [--urls URL] [--campaign FILE]   the web page, the JSON API and the workflow on one machine
              demo [--json] [--keep]                              the whole flow in a temporary folder on a moved clock
              validate <file> [--village CODE] [--as-of YYYY-MM-DD] [--reference FILE] [--json | --html OUT | --csv OUT]
              template [--out FILE]                               the official village roster template
              backup OUT [--data DIR]                             a consistent snapshot of the data folder, also while serve runs
              restore SNAPSHOT [--data DIR] [--force]             a snapshot back as the data folder (--force: replace a non-empty one)
              campaign new FILE | list | show ID | close ID [--data DIR]
                                                                  the campaign catalog, also while serve runs (no restart)
            Settings: UcjFlow__<Name> environment variables or the data folder's ucjflow.settings.json (README, "Settings").
            """);
        return ExitOk;
    }

    private static int Usage(string command)
    {
        Console.Error.WriteLine(command.Length == 0
            ? "usage: ucjflow <serve|demo|validate|template|backup|restore|campaign> [options]"
            : $"ucjflow: unknown command '{command}' (expected serve, demo, validate, template, backup, restore or campaign)");
        return ExitUsage;
    }
}
