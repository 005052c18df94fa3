using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using UcjFlow.App.Api;
using UcjFlow.App.Hosting;
using UcjFlow.App.Settings;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Hosting;
using UcjFlow.Workflow.Campaigns;

namespace UcjFlow.Host.Cli;

/// <summary>
/// <c>ucjflow campaign new FILE | list | show ID | close ID [--data DIR]</c>: the deployment's campaign catalog (issue 13.1),
/// changed while <c>serve</c> runs on the folder: it opens the registry as serve does (the data folder's settings:
/// <c>Registry:Postgres</c>, else {data}/registry.db; DIR as for serve) without taking the folder's lock, and a running
/// serve picks a change up within <see cref="CampaignStore.RefreshInterval"/>. The catalog is first seeded as serve seeds it
/// (<see cref="UcjFlowServices.Seed"/>), so a single-campaign data folder keeps its campaign. Writes go through
/// <see cref="CampaignEdits"/>, the page's rules. Exit 0 done; 1 refused (invalid file with every problem, an id that
/// exists, unknown id, closed already, no data folder); 64 usage error; 78 the folder's settings or campaign file are invalid.
/// </summary>
public static class CampaignCommand
{
    const string UsageLine = "usage: ucjflow campaign new FILE | list | show ID | close ID [--data DIR]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider? time = null)
    {
        string? data = null;
        var words = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--data" when value is not null: data = value; i++; break;
                case var a when !a.StartsWith('-'): words.Add(a); break;
                default: return Usage(stderr, $"unexpected '{args[i]}'");
            }
        }
        var (action, argument) = words switch
        {
            ["list"] => ("list", null),
            [("new" or "show" or "close") and var a, var b] => (a, b),
            _ => (null, null),
        };
        if (action is null) return Usage(stderr, words.Count == 0 ? null : $"unexpected '{string.Join(' ', words)}'");

        string? json = null;
        if (action == "new")
        {
            try { json = await File.ReadAllTextAsync(argument!); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"ucjflow campaign new: cannot read {argument}: {e.Message}");
                return Program.ExitFailed;
            }
        }

        UcjFlowSettings settings;
        CampaignSeed seed;
        try
        {
            settings = LocalSettings.Load(new LocalSettings.Overrides(data));
            seed = UcjFlowServices.Seed(settings);
        }
        catch (SettingsException e)
        {
            stderr.WriteLine($"ucjflow campaign: {e.Message}");
            return Program.ExitConfig;
        }
        catch (CampaignConfigException e)
        {
            stderr.WriteLine($"ucjflow campaign: the data folder's configured campaign: {e.Message}");
            return Program.ExitConfig;
        }
        if (settings.RegistryPostgres is null && action != "new" && !File.Exists(EmbeddedHosting.RegistryPath(settings)))
        {
            stderr.WriteLine($"ucjflow campaign: {settings.DataFolder} is not a UcjFlow data folder (no {Path.GetFileName(EmbeddedHosting.RegistryPath(settings))}).");
            return Program.ExitFailed;
        }
        Directory.CreateDirectory(settings.DataFolder);

        time ??= TimeProvider.System;
        var registry = EmbeddedHosting.OpenRegistry(settings, time);
        try
        {
            var store = new CampaignStore(registry, seed, NullLogger<CampaignStore>.Instance);
            await store.CurrentAsync();
            var by = $"ucjflow campaign ({Environment.UserName})";
            return action switch
            {
                "new" => await NewAsync(store, registry, argument!, json!, by, stdout, stderr),
                "list" => await ListAsync(store, registry, stdout),
                "show" => await ShowAsync(store, registry, argument!, stdout, stderr),
                _ => await CloseAsync(store, registry, argument!, by, stdout, stderr),
            };
        }
        finally
        {
            if (registry is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }
    }

    static async Task<int> NewAsync(CampaignStore store, IEnrollmentRegistry registry, string file, string json, string by, TextWriter stdout, TextWriter stderr)
    {
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(file));
        var result = await CampaignEdits.AddAsync(store, registry, json, baseDirectory, by, _ => true, CancellationToken.None);
        switch (result.Outcome)
        {
            case CampaignEditOutcome.Saved:
                stdout.WriteLine($"Campaign {result.Campaign!.Id} added ({result.Campaign.Name}); a running serve takes it within {CampaignStore.RefreshInterval.TotalSeconds:0} s.");
                stdout.WriteLine(Line(CampaignEdits.Summary(result.Campaign, false)));
                return Program.ExitOk;
            case CampaignEditOutcome.Invalid:
                stderr.WriteLine($"ucjflow campaign new: {file} is invalid ({result.Problems.Count} problem{(result.Problems.Count == 1 ? "" : "s")}):");
                foreach (var p in result.Problems) stderr.WriteLine($"  - {p}");
                return Program.ExitFailed;
            default:
                stderr.WriteLine($"ucjflow campaign new: a campaign with id '{CampaignLoader.Validate(json, baseDirectory: baseDirectory).Campaign?.Id}' exists already; "
                    + "give the new campaign another id (`ucjflow campaign list` shows the ids in use).");
                return Program.ExitFailed;
        }
    }

    static async Task<int> ListAsync(CampaignStore store, IEnrollmentRegistry registry, TextWriter stdout)
    {
        var catalog = await store.CurrentAsync();
        var stored = await registry.ListCampaignsAsync();
        if (stored.Count == 0) stdout.WriteLine("No campaigns.");
        foreach (var s in stored)
            stdout.WriteLine(catalog.Find(s.CampaignId) is { } c
                ? Line(CampaignEdits.Summary(c, s.IsClosed))
                : $"{s.CampaignId}  {s.RegencyCode}  (stored document no longer valid: `ucjflow campaign show {s.CampaignId}`)  {(s.IsClosed ? "closed" : "open")}");
        return Program.ExitOk;
    }

    static async Task<int> ShowAsync(CampaignStore store, IEnrollmentRegistry registry, string id, TextWriter stdout, TextWriter stderr)
    {
        if ((await registry.ListCampaignsAsync()).FirstOrDefault(s => s.CampaignId == id) is not { } s)
            return Unknown(stderr, "show", id);
        var problems = (await store.CurrentAsync()).Find(id) is null ? CampaignLoader.Validate(s.Document).Problems : [];
        stdout.WriteLine($"Campaign {s.CampaignId}: {(s.IsClosed ? $"closed {Local(s.ClosedAt!.Value)} by {s.ClosedBy}" : "open")}; saved {Local(s.SavedAt)} by {s.SavedBy}");
        foreach (var p in problems) stdout.WriteLine($"  no longer valid: {p}");
        stdout.WriteLine(s.Document);
        return Program.ExitOk;
    }

    static async Task<int> CloseAsync(CampaignStore store, IEnrollmentRegistry registry, string id, string by, TextWriter stdout, TextWriter stderr)
    {
        var result = await CampaignEdits.CloseAsync(store, registry, id, by, CancellationToken.None);
        switch (result.Outcome)
        {
            case CampaignEditOutcome.Closed:
                stdout.WriteLine($"Campaign {id} closed: it takes no more uploads; its batches and enrolments stay.");
                return Program.ExitOk;
            case CampaignEditOutcome.AlreadyClosed:
                stderr.WriteLine($"ucjflow campaign close: campaign {id} is closed already.");
                return Program.ExitFailed;
            default:
                return Unknown(stderr, "close", id);
        }
    }

    /// <summary>One campaign on one line: id, regency, funder, coverage period, deadline, villages, open or closed.</summary>
    static string Line(CampaignSummary c) => string.Join("  ",
        c.Id, $"{c.RegencyCode} {c.RegencyName}", c.Funder, $"coverage {Day(c.CoverageStart)}..{Day(c.CoverageEnd)}",
        $"deadline {Day(c.SubmissionDeadline)}", $"{c.Villages} villages", c.Closed ? "closed" : "open");

    static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A moment as a Jakarta local time (the project's dates are WIB).</summary>
    static string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, UcjFlow.Core.Mail.IndonesianFormat.Jakarta).ToString("yyyy-MM-dd HH:mm 'WIB'", CultureInfo.InvariantCulture);

    static int Unknown(TextWriter stderr, string action, string id)
    {
        stderr.WriteLine($"ucjflow campaign {action}: there is no campaign '{id}' (`ucjflow campaign list` shows them).");
        return Program.ExitFailed;
    }

    static int Usage(TextWriter stderr, string? problem)
    {
        if (problem is not null) stderr.WriteLine($"ucjflow campaign: {problem}");
        stderr.WriteLine(UsageLine);
        return Program.ExitUsage;
    }
}
