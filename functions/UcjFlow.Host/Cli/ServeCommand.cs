using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using UcjFlow.App.Settings;
using UcjFlow.Core.Campaigns;
using UcjFlow.Host.Hosting;

namespace UcjFlow.Host.Cli;

/// <summary>
/// <c>ucjflow serve [--data DIR] [--urls URL] [--campaign FILE]</c>: the web page, the JSON API, the upload watcher and
/// the workflow on one machine. Prints "URL: …" and "Coordinator token: …" on stdout once listening; logs go to stderr.
/// </summary>
public static class ServeCommand
{
    const string UsageLine = "usage: ucjflow serve [--data DIR] [--urls URL] [--campaign FILE]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? data = null, urls = null, campaign = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--data" when value is not null: data = value; i++; break;
                case "--urls" when value is not null: urls = value; i++; break;
                case "--campaign" when value is not null: campaign = value; i++; break;
                default:
                    stderr.WriteLine($"ucjflow serve: unexpected '{args[i]}'");
                    stderr.WriteLine(UsageLine);
                    return Program.ExitUsage;
            }
        }

        UcjFlowSettings settings;
        WebApplication app;
        try
        {
            settings = LocalSettings.Load(new LocalSettings.Overrides(data, urls, campaign));
            app = UcjFlowApp.Create(settings);
        }
        catch (CampaignConfigException e)
        {
            stderr.WriteLine(e.Message);
            return Program.ExitConfig;
        }
        catch (SettingsException e)
        {
            stderr.WriteLine($"ucjflow serve: {e.Message}");
            return Program.ExitConfig;
        }
        catch (DataFolderException e)
        {
            stderr.WriteLine($"ucjflow serve: {e.Message}");
            return Program.ExitFailed;
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? settings.Urls;
        stdout.WriteLine($"URL: {address}");
        stdout.WriteLine(settings.CoordinatorTokens.Count == 0
            ? $"Coordinator token: {DataFolderSecrets.CoordinatorToken(settings.DataFolder)}"
            : "Coordinator token: (configured in settings)");
        stdout.Flush();
        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return Program.ExitOk;
    }
}
