using System.Globalization;
using Microsoft.Extensions.Configuration;
using UcjFlow.Core.Storage;
using UcjFlow.Embedded.Mail;

namespace UcjFlow.Host.Hosting;

/// <summary>
/// Everything `ucjflow serve` needs to know, from (later wins) the data folder's <c>ucjflow.settings.json</c>, environment
/// variables <c>UcjFlow__Key__Sub</c> or <c>UCJFLOW_Key__Sub</c>, and the command line. With nothing configured the
/// result is the embedded default: ./ucjflow-data, the sample campaign, mail to the outbox, loopback port 7071.
/// </summary>
public sealed record UcjFlowSettings
{
    public const string SettingsFileName = "ucjflow.settings.json";
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>Holds the databases, the blob containers (uploads/, reports/, exports/), outbox/ and generated secrets.</summary>
    public required string DataFolder { get; init; }
    public string Urls { get; init; } = DefaultUrl;
    /// <summary>The campaign file; null means the sample shipped next to the executable.</summary>
    public string? CampaignFile { get; init; }
    /// <summary>The address people reach the web page at, for links in emails; defaults to <see cref="Urls"/>.</summary>
    public string? PublicBaseUrl { get; init; }
    /// <summary>SMTP when <see cref="MailSettings.Host"/> is set, else .eml files in the data folder's outbox/.</summary>
    public required MailSettings Mail { get; init; }
    /// <summary>Coordinator name → bearer token. Empty means one is generated and kept in the data folder.</summary>
    public IReadOnlyDictionary<string, string> CoordinatorTokens { get; init; } = new Dictionary<string, string>();
    /// <summary>Village code (dotted) → bearer token of that village's PIC.</summary>
    public IReadOnlyDictionary<string, string> VillageTokens { get; init; } = new Dictionary<string, string>();
    /// <summary>Secret for the signed approval links (text, at least 16 bytes); null means generated and kept in the data folder.</summary>
    public string? SigningKey { get; init; }
    public TimeSpan ApprovalLinkLifetime { get; init; } = TimeSpan.FromDays(14);
    /// <summary>Largest upload accepted (the roster limit of roster.md, 20 MB).</summary>
    public long MaxUploadBytes { get; init; } = 20L * 1024 * 1024;
    /// <summary>How often the watcher looks at uploads/ (real time, not the campaign clock).</summary>
    public TimeSpan WatcherPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public string PublicBase => (PublicBaseUrl ?? Urls.Split(';')[0]).TrimEnd('/');

    /// <summary>Command-line values, each null when not given.</summary>
    public sealed record Overrides(string? DataFolder = null, string? Urls = null, string? CampaignFile = null);

    /// <summary>Reads the settings for the data folder named on the command line, by UCJFLOW_DATA, or ./ucjflow-data.</summary>
    public static UcjFlowSettings Load(Overrides cli, IDictionary<string, string?>? extra = null)
    {
        var env = new ConfigurationBuilder()
            .AddEnvironmentVariables("UcjFlow__")
            .AddEnvironmentVariables("UCJFLOW_")
            .Build();
        var data = Path.GetFullPath(cli.DataFolder ?? env["Data"] ?? "ucjflow-data");

        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(data, SettingsFileName), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("UcjFlow__")
            .AddEnvironmentVariables("UCJFLOW_")
            .AddInMemoryCollection(extra ?? new Dictionary<string, string?>())
            .Build();
        return FromConfiguration(config, data, cli);
    }

    internal static UcjFlowSettings FromConfiguration(IConfiguration config, string dataFolder, Overrides cli)
    {
        var smtp = config.GetSection("Smtp");
        var mail = new MailSettings
        {
            Host = Blank(smtp["Host"]),
            Port = Int(smtp["Port"], "Smtp:Port") ?? 587,
            StartTls = Bool(smtp["StartTls"], "Smtp:StartTls") ?? true,
            User = Blank(smtp["User"]),
            Password = Blank(smtp["Password"]),
            From = Blank(smtp["From"]) ?? "UcjFlow <ucjflow@localhost>",
            OutboxFolder = Path.Combine(dataFolder, "outbox"),
        };

        var coordinators = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in config.GetSection("Coordinators").GetChildren())
            if (Blank(c.Value) is { } token) coordinators[c.Key] = token;

        var villages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in config.GetSection("Villages").GetChildren())
        {
            if (Blank(v.Value) is not { } token) continue;
            var code = UploadPath.NormaliseVillageCode(v.Key)
                ?? throw new InvalidOperationException($"Setting Villages:{v.Key}: '{v.Key}' is not a village code like 1503012001.");
            villages[code] = token;
        }

        var days = Int(config["ApprovalLinkDays"], "ApprovalLinkDays");
        var maxMb = Int(config["MaxUploadMegabytes"], "MaxUploadMegabytes");
        return new UcjFlowSettings
        {
            DataFolder = dataFolder,
            Urls = cli.Urls ?? Blank(config["Urls"]) ?? DefaultUrl,
            CampaignFile = cli.CampaignFile ?? Blank(config["Campaign"]),
            PublicBaseUrl = Blank(config["PublicBaseUrl"]),
            Mail = mail,
            CoordinatorTokens = coordinators,
            VillageTokens = villages,
            SigningKey = Blank(config["SigningKey"]),
            ApprovalLinkLifetime = days is > 0 ? TimeSpan.FromDays(days.Value) : TimeSpan.FromDays(14),
            MaxUploadBytes = maxMb is > 0 ? maxMb.Value * 1024L * 1024 : 20L * 1024 * 1024,
        };
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    static int? Int(string? s, string key) =>
        Blank(s) is not { } v ? null
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
        : throw new InvalidOperationException($"Setting {key}: '{v}' is not a whole number.");

    static bool? Bool(string? s, string key) =>
        Blank(s) is not { } v ? null
        : bool.TryParse(v, out var b) ? b
        : throw new InvalidOperationException($"Setting {key}: '{v}' is not true or false.");
}
