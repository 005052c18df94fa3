using Microsoft.Extensions.Configuration;
using UcjFlow.App.Settings;

namespace UcjFlow.Host.Hosting;

/// <summary>
/// Where <c>ucjflow serve</c> reads <see cref="UcjFlowSettings"/> from, later wins: the data folder's
/// <c>ucjflow.settings.json</c> (keys without the prefix: <c>"Mail": {"Host": …}</c>), environment variables
/// <c>UcjFlow__Mail__Host</c>, the command line. With nothing configured the result is the embedded default:
/// ./ucjflow-data, the sample campaign, mail to the outbox, loopback port 7071.
/// </summary>
public static class LocalSettings
{
    /// <summary>Command-line values, each null when not given.</summary>
    public sealed record Overrides(string? DataFolder = null, string? Urls = null, string? CampaignFile = null);

    /// <summary>
    /// The data folder as <c>serve</c> finds it (full path): <paramref name="fromCommandLine"/>, else UcjFlow__Data, else
    /// ./ucjflow-data. The backup and restore commands name the same folder the same way.
    /// </summary>
    public static string DataFolder(string? fromCommandLine, IDictionary<string, string?>? environment = null)
    {
        var env = environment ?? UcjFlowSettings.EnvironmentVariables();
        var fromEnvironment = env.FirstOrDefault(e => string.Equals(e.Key, UcjFlowSettings.Section + "__Data", StringComparison.OrdinalIgnoreCase)).Value;
        return Path.GetFullPath(fromCommandLine ?? fromEnvironment ?? "ucjflow-data");
    }

    /// <summary>Reads the settings of the data folder named on the command line, by UcjFlow__Data, or ./ucjflow-data.</summary>
    /// <exception cref="SettingsException">a name is unknown or a value malformed (the settings file's names included).</exception>
    public static UcjFlowSettings Load(Overrides cli, IDictionary<string, string?>? environment = null)
    {
        var env = environment ?? UcjFlowSettings.EnvironmentVariables();
        var prefix = UcjFlowSettings.Section + "__";
        var fromEnvironment = env.Where(e => e.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => e.Key[prefix.Length..].Replace("__", ":", StringComparison.Ordinal), e => e.Value);
        var data = DataFolder(cli.DataFolder, env);

        var command = new Dictionary<string, string?> { ["Data"] = data };
        if (cli.Urls is not null) command["Urls"] = cli.Urls;
        if (cli.CampaignFile is not null) command["Campaign"] = Path.GetFullPath(cli.CampaignFile);
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(data, UcjFlowSettings.SettingsFileName), optional: true, reloadOnChange: false)
            .AddInMemoryCollection(fromEnvironment)
            .AddInMemoryCollection(command)
            .Build();
        return UcjFlowSettings.Read(config, HostKind.Local, env);
    }
}
