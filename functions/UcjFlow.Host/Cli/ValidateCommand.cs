using System.Globalization;
using System.Text.RegularExpressions;
using UcjFlow.Core.Regions;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Host.Cli;

/// <summary>
/// <c>ucjflow validate &lt;file&gt; [--village CODE] [--as-of YYYY-MM-DD] [--reference FILE] [--json | --html OUT | --csv OUT]</c>.
/// Exit 0 when the file was read (Valid or Invalid), 2 when it is Unreadable, 64 on a usage error (one line on stderr).
/// </summary>
public static partial class ValidateCommand
{
    private const string UsageLine =
        "usage: ucjflow validate <file> [--village CODE] [--as-of YYYY-MM-DD] [--reference FILE] [--json | --html OUT | --csv OUT]";

    [GeneratedRegex(@"^\d{2}\.\d{2}\.\d{2}\.\d{4}")]
    private static partial Regex VillageCodePrefix();

    private sealed record Options(string File, string? Village, DateOnly? AsOf, string? Reference, string? Output, string? OutPath);

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, TimeProvider.System, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time, CancellationToken ct)
    {
        var (parsed, error) = Parse(args);
        if (parsed is not { } options)
            return Usage(stderr, error ?? UsageLine);

        if (!File.Exists(options.File))
            return Usage(stderr, $"ucjflow validate: file not found: {options.File}");

        var fileName = Path.GetFileName(options.File);
        string villageCode;
        if (options.Village is { } given)
        {
            var normalised = RegionCodes.Normalize(given);
            if (normalised is not { Length: 13 })
                return Usage(stderr, $"ucjflow validate: bad village code '{given}' (expected PP.KK.CC.VVVV, e.g. 15.03.01.2001)");
            villageCode = normalised;
        }
        else if (VillageCodePrefix().Match(fileName) is { Success: true } match)
        {
            villageCode = match.Value;
        }
        else
        {
            return Usage(stderr, "ucjflow validate: --village CODE is required when the file name does not start with the village code (PP.KK.CC.VVVV)");
        }
        if (RegionCodes.Default.Village(villageCode) is null)
            return Usage(stderr, $"ucjflow validate: unknown village code '{villageCode}' (not in the Kemendagri 2025 list)");

        var settings = ValidationSettings.Defaults(villageCode, options.AsOf, time);

        if (options.Reference is { } referencePath)
        {
            if (!File.Exists(referencePath))
                return Usage(stderr, $"ucjflow validate: reference file not found: {referencePath}");
            try
            {
                await using var referenceStream = File.OpenRead(referencePath);
                var reference = await ReferenceList.ReadAsync(referenceStream, Path.GetFileName(referencePath), settings.Limits, ct);
                settings = settings with { Reference = reference.Niks };
            }
            catch (RosterFileException e)
            {
                return Usage(stderr, $"ucjflow validate: reference file unreadable ({e.Code}): {OneLine(e.Message)}");
            }
        }

        RosterReport report;
        await using (var content = File.OpenRead(options.File))
            report = await RosterValidator.ValidateAsync(content, fileName, settings, ct: ct);

        switch (options.Output)
        {
            case "--json":
                await stdout.WriteLineAsync(RosterReportJson.Serialize(report));
                break;
            case "--html":
                await File.WriteAllTextAsync(options.OutPath!, RosterReportHtml.Render(report), new System.Text.UTF8Encoding(false), ct);
                break;
            case "--csv":
                await File.WriteAllBytesAsync(options.OutPath!, RosterReportCsv.RenderBytes(report), ct);
                break;
            default:
                await WriteSummaryAsync(stdout, report);
                break;
        }
        return report.Status == RosterStatus.Unreadable ? Program.ExitUnreadable : Program.ExitOk;
    }

    /// <summary>A short Indonesian summary for officials at a terminal; no NIK appears (messages mask them).</summary>
    private static async Task WriteSummaryAsync(TextWriter stdout, RosterReport report)
    {
        var id = CultureInfo.GetCultureInfo("id-ID");
        var village = RegionCodes.Default.Village(report.Village);
        await stdout.WriteLineAsync($"{report.File} — {(village is null ? report.Village : $"{village.Kind} {village.Name} ({village.Code})")}");
        if (report.Status == RosterStatus.Unreadable)
        {
            await stdout.WriteLineAsync($"Status: Unreadable ({report.FileCode})");
            await stdout.WriteLineAsync(report.FileMessage ?? "");
            return;
        }
        await stdout.WriteLineAsync($"Status: {report.Status} — lembar \"{report.Sheet}\", judul kolom di baris {report.HeaderRow}");
        await stdout.WriteLineAsync(
            $"Baris data {report.Rows.ToString("N0", id)}: sah {report.Valid.ToString("N0", id)} " +
            $"(dengan catatan {report.ValidWithWarnings.ToString("N0", id)}), ditolak {report.Rejected.ToString("N0", id)}");
        foreach (var (code, count) in report.ByCode)
            await stdout.WriteLineAsync($"  {code,-24} {count.ToString("N0", id),6}  {IssueLabels.Of(code)}");
        const int shown = 20;
        foreach (var issue in report.Issues.Take(shown))
            await stdout.WriteLineAsync($"  [{(issue.Severity == IssueSeverity.Error ? "DITOLAK" : "catatan")}] {issue.Message}");
        if (report.Issues.Count > shown)
            await stdout.WriteLineAsync($"  … dan {(report.Issues.Count - shown).ToString("N0", id)} catatan lain (gunakan --html atau --csv untuk semuanya)");
    }

    private static (Options? Options, string? Error) Parse(string[] args)
    {
        string? file = null, village = null, reference = null, output = null, outPath = null;
        DateOnly? asOf = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is > 2 and var eq)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string? Value()
            {
                if (inline is not null) return inline;
                if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) return args[++i];
                return null;
            }
            switch (arg)
            {
                case "--village":
                    if ((village = Value()) is null) return Fail("ucjflow validate: --village needs a code (PP.KK.CC.VVVV)");
                    break;
                case "--as-of":
                    var text = Value();
                    if (text is null || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                        return Fail($"ucjflow validate: bad --as-of date '{text}' (expected YYYY-MM-DD)");
                    asOf = date;
                    break;
                case "--reference":
                    if ((reference = Value()) is null) return Fail("ucjflow validate: --reference needs a file");
                    break;
                case "--json":
                case "--html":
                case "--csv":
                    if (output is not null) return Fail($"ucjflow validate: choose one output: {output} or {arg}, not both");
                    output = arg;
                    if (arg == "--json")
                    {
                        if (inline is not null) return Fail("ucjflow validate: --json takes no value");
                    }
                    else if ((outPath = Value()) is null) return Fail($"ucjflow validate: {arg} needs an output file");
                    break;
                default:
                    if (arg.StartsWith('-') && arg.Length > 1) return Fail($"ucjflow validate: unknown option '{arg}'");
                    if (file is not null) return Fail($"ucjflow validate: unexpected argument '{arg}' (one file at a time)");
                    file = arg;
                    break;
            }
        }
        if (file is null) return Fail(UsageLine);
        return (new Options(file, village, asOf, reference, output, outPath), null);
    }

    private static (Options?, string?) Fail(string reason) => (null, reason);

    private static int Usage(TextWriter stderr, string reason)
    {
        stderr.WriteLine(OneLine(reason));
        return Program.ExitUsage;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
