using UcjFlow.Core.Roster.Template;

namespace UcjFlow.Host.Cli;

/// <summary>`ucjflow template [--out FILE]`: writes the official village roster template (.xlsx).</summary>
public static class TemplateCommand
{
    public const string DefaultFileName = RosterTemplateWriter.FileName;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" or "-o" when i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal):
                    if (output is not null) return Usage(stderr, "--out given twice");
                    output = args[++i];
                    break;
                case "--out" or "-o":
                    return Usage(stderr, "--out needs a file name");
                case "-h" or "--help":
                    stdout.WriteLine("usage: ucjflow template [--out FILE]   (default " + DefaultFileName + ")");
                    return Task.FromResult(Program.ExitOk);
                default:
                    return Usage(stderr, $"unexpected argument '{args[i]}'");
            }
        }
        output ??= DefaultFileName;
        if (Directory.Exists(output)) output = Path.Combine(output, DefaultFileName);
        try
        {
            // Written to a temporary file first, so a failure never leaves half a workbook under the final name.
            var full = Path.GetFullPath(output);
            var temp = full + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite)) RosterTemplateWriter.Write(file);
            File.Move(temp, full, overwrite: true);
            stdout.WriteLine($"template written: {output}");
            return Task.FromResult(Program.ExitOk);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            stderr.WriteLine($"ucjflow template: cannot write {output}: {e.Message}");
            return Task.FromResult(1);
        }
    }

    private static Task<int> Usage(TextWriter stderr, string reason)
    {
        stderr.WriteLine($"ucjflow template: {reason} (usage: ucjflow template [--out FILE])");
        return Task.FromResult(Program.ExitUsage);
    }
}
