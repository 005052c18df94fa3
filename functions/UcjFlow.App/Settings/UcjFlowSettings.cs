using System.Globalization;
using Microsoft.Extensions.Configuration;
using UcjFlow.Adapters.Mail;
using UcjFlow.Adapters.Notify;
using UcjFlow.Core.Storage;

namespace UcjFlow.App.Settings;

/// <summary>Which host reads the settings: a few names belong to one host only (<see cref="UcjFlowSettings.Names"/>).</summary>
public enum HostKind
{
    /// <summary><c>ucjflow serve</c> and the demo: the embedded default on one machine.</summary>
    Local,
    /// <summary>The Azure Functions isolated worker.</summary>
    AzureFunctions,
}

/// <summary>
/// A setting is misspelt, unknown, malformed or missing. <see cref="Exception.Message"/> names every such setting, in
/// English (it goes to the operator's console or the Functions log).
/// </summary>
public sealed class SettingsException(IReadOnlyList<string> problems)
    : Exception("UcjFlow settings: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The one settings model of both hosts. Every name sits under <c>UcjFlow</c>: the environment variable
/// <c>UcjFlow__Mail__Host</c>, the Functions app setting of the same name (and <c>local.settings.json</c>'s
/// <c>Values</c>), the key <c>Mail:Host</c> of the local data folder's <c>ucjflow.settings.json</c>. Reading refuses
/// (<see cref="SettingsException"/>) any name not in <see cref="Names"/> (with the nearest known name), a name of the
/// other host, a value of the wrong form, and an environment variable that looks meant for UcjFlow but is not read.
/// Required settings per host are checked by the composition root (<c>AddUcjFlow</c>).
/// </summary>
public sealed record UcjFlowSettings
{
    /// <summary>The configuration section and environment prefix ("UcjFlow__").</summary>
    public const string Section = "UcjFlow";
    public const string SettingsFileName = "ucjflow.settings.json";
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>Every setting name (relative to <see cref="Section"/>; <c>*</c> is any one name), with the hosts that read it.</summary>
    public static readonly IReadOnlyList<(string Name, HostKind[] Hosts, string Meaning)> Names =
    [
        ("Campaign", [HostKind.Local, HostKind.AzureFunctions], "campaign file (JSON); default: the Sarolangun sample next to the app"),
        ("PublicBaseUrl", [HostKind.Local, HostKind.AzureFunctions], "address people reach the web page at, for links in mails"),
        ("Mail:Host", [HostKind.Local, HostKind.AzureFunctions], "SMTP server; unset: .eml files in the local outbox/ (required on Azure)"),
        ("Mail:Port", [HostKind.Local, HostKind.AzureFunctions], "SMTP port, default 587"),
        ("Mail:StartTls", [HostKind.Local, HostKind.AzureFunctions], "true: STARTTLS required (default); false: used when the server offers it"),
        ("Mail:User", [HostKind.Local, HostKind.AzureFunctions], "SMTP login"),
        ("Mail:Password", [HostKind.Local, HostKind.AzureFunctions], "SMTP password (sent only over TLS)"),
        ("Mail:CaCertificate", [HostKind.Local, HostKind.AzureFunctions], "PEM file of a CA or self-signed server certificate to trust besides the system's"),
        ("Mail:From", [HostKind.Local, HostKind.AzureFunctions], "sender, e.g. \"UcjFlow <ucjflow@kab.go.id>\""),
        ("CoordinatorTokens:*", [HostKind.Local, HostKind.AzureFunctions], "coordinator name → bearer token (local: generated when none)"),
        ("VillageTokens:*", [HostKind.Local, HostKind.AzureFunctions], "village code → bearer token of its PIC"),
        ("CoordinatorDistricts:*", [HostKind.Local, HostKind.AzureFunctions], "coordinator name (of CoordinatorTokens) → the one kecamatan code whose villages they see and decide"),
        ("CoordinatorRegencies:*", [HostKind.Local, HostKind.AzureFunctions], "coordinator name (of CoordinatorTokens) → the one regency code whose campaigns they see and decide"),
        ("AccessLinkDays", [HostKind.Local, HostKind.AzureFunctions], "days a village's personal access link stays valid, default 90"),
        ("SigningKey", [HostKind.Local, HostKind.AzureFunctions], "secret of the signed links, at least 32 characters (local: generated when unset)"),
        ("ApprovalLinkDays", [HostKind.Local, HostKind.AzureFunctions], "days a mailed approval link stays valid, default 14"),
        ("MaxUploadMegabytes", [HostKind.Local, HostKind.AzureFunctions], "largest roster accepted, default 20 (roster.md), at most 25"),
        ("Registry:Postgres", [HostKind.Local, HostKind.AzureFunctions], "PostgreSQL connection string of the registry (local default: SQLite in the data folder; required on Azure)"),
        ("Notify:Gateway:Url", [HostKind.Local, HostKind.AzureFunctions], "WhatsApp/SMS gateway: each village message to a PIC with a phone is also POSTed there as {\"phone\",\"text\",\"key\"}; unset: none"),
        ("Notify:Gateway:Token", [HostKind.Local, HostKind.AzureFunctions], "bearer token sent to the gateway"),
        ("Data", [HostKind.Local], "data folder, default ./ucjflow-data"),
        ("Urls", [HostKind.Local], "where serve listens, default " + DefaultUrl),
    ];

    /// <summary>Local host: holds the databases, the blob containers (uploads/, reports/, exports/), outbox/ and generated secrets.</summary>
    public string DataFolder { get; init; } = Path.GetFullPath("ucjflow-data");
    /// <summary>Local host: where <c>serve</c> listens.</summary>
    public string Urls { get; init; } = DefaultUrl;
    /// <summary>The campaign file; null means the sample shipped next to the app.</summary>
    public string? CampaignFile { get; init; }
    /// <summary>The address people reach the web page at, for links in emails; defaults to the first of <see cref="Urls"/>.</summary>
    public string? PublicBaseUrl { get; init; }
    /// <summary>SMTP when <see cref="MailSettings.Host"/> is set.</summary>
    public MailSettings Mail { get; init; } = new();
    /// <summary>The WhatsApp/SMS gateway when <see cref="GatewaySettings.Url"/> is set.</summary>
    public GatewaySettings Gateway { get; init; } = new();
    /// <summary>Coordinator name → bearer token.</summary>
    public IReadOnlyDictionary<string, string> CoordinatorTokens { get; init; } = new Dictionary<string, string>();
    /// <summary>Village code (dotted, 15.03.01.2001) → bearer token of that village's PIC.</summary>
    public IReadOnlyDictionary<string, string> VillageTokens { get; init; } = new Dictionary<string, string>();
    /// <summary>Coordinator name → dotted kecamatan code (15.03.01) the coordinator is scoped to; coordinators not named here see the whole regency.</summary>
    public IReadOnlyDictionary<string, string> CoordinatorDistricts { get; init; } = new Dictionary<string, string>();

    /// <summary>Coordinator name → dotted regency code ("15.03"): a deployment of several regencies scopes each coordinator to one.</summary>
    public IReadOnlyDictionary<string, string> CoordinatorRegencies { get; init; } = new Dictionary<string, string>();
    /// <summary>How long a village's personal access link stays valid (default 90 days).</summary>
    public TimeSpan AccessLinkLifetime { get; init; } = TimeSpan.FromDays(90);
    /// <summary>Secret of the signed approval links (text, at least 32 characters); its UTF-8 bytes are the HMAC key.</summary>
    public string? SigningKey { get; init; }
    /// <summary>PostgreSQL connection string of the registry; null means the host's default (local: SQLite).</summary>
    public string? RegistryPostgres { get; init; }
    public TimeSpan ApprovalLinkLifetime { get; init; } = TimeSpan.FromDays(14);
    /// <summary>Largest upload accepted, in bytes (the roster limit of roster.md, 20 MB).</summary>
    public long MaxUploadBytes { get; init; } = 20L * 1024 * 1024;
    /// <summary>Local host: how often the upload watcher looks at uploads/ (real time, not the campaign clock). Not a setting name: tests shorten it.</summary>
    public TimeSpan WatcherPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public string PublicBase => (PublicBaseUrl ?? Urls.Split(';')[0]).TrimEnd('/');

    // Records print every property; settings end up in logs, the secrets must not (MailSettings hides its password the same way).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"DataFolder = {DataFolder}, Urls = {Urls}, CampaignFile = {CampaignFile}, PublicBaseUrl = {PublicBaseUrl}, Mail = {Mail}, Gateway = {Gateway}, ");
        builder.Append($"CoordinatorTokens = [{string.Join(", ", CoordinatorTokens.Keys)}] (tokens hidden), VillageTokens = [{string.Join(", ", VillageTokens.Keys)}] (tokens hidden), ");
        builder.Append($"SigningKey = {(SigningKey is null ? "" : "***")}, RegistryPostgres = {(RegistryPostgres is null ? "" : "*** (hidden)")}, ");
        builder.Append($"CoordinatorDistricts = [{string.Join(", ", CoordinatorDistricts.Select(d => d.Key + ": " + d.Value))}], AccessLinkLifetime = {AccessLinkLifetime}, ");
        builder.Append($"ApprovalLinkLifetime = {ApprovalLinkLifetime}, MaxUploadBytes = {MaxUploadBytes}, WatcherPollInterval = {WatcherPollInterval}");
        return true;
    }

    /// <summary>
    /// Reads the settings of <paramref name="host"/> from <paramref name="section"/>, whose keys are the names of
    /// <see cref="Names"/> ("Mail:Host"). <paramref name="environment"/> (default: this process's) is scanned for
    /// variables that look meant for UcjFlow but are not read (<c>UCJFLOW_MAIL__HOST</c>, <c>UcjFlow_Mail</c>).
    /// </summary>
    /// <exception cref="SettingsException">any name unknown or of the other host, any value malformed.</exception>
    public static UcjFlowSettings Read(IConfiguration section, HostKind host, IDictionary<string, string?>? environment = null)
    {
        var problems = new List<string>();
        CheckNames(section, host, problems);
        CheckValues(section, problems);
        CheckEnvironment(environment ?? EnvironmentVariables(), problems);

        var mail = new MailSettings
        {
            Host = Blank(section["Mail:Host"]),
            Port = Int(section, "Mail:Port", problems) ?? 587,
            StartTls = Bool(section, "Mail:StartTls", problems) ?? true,
            User = Blank(section["Mail:User"]),
            Password = Blank(section["Mail:Password"]),
            CaCertificate = Blank(section["Mail:CaCertificate"]),
            From = Blank(section["Mail:From"]) ?? new MailSettings().From,
        };
        if (mail.Port is < 1 or > 65535) problems.Add($"{Section}:Mail:Port: {mail.Port} is not a TCP port.");
        if (mail.CaCertificate is { } ca && !File.Exists(ca)) problems.Add($"{Section}:Mail:CaCertificate: no file {ca}.");

        var gatewayUrl = Blank(section["Notify:Gateway:Url"]);
        Uri? gateway = null;
        if (gatewayUrl is not null && (!Uri.TryCreate(gatewayUrl, UriKind.Absolute, out gateway) || gateway.Scheme is not ("https" or "http")))
            problems.Add($"{Section}:Notify:Gateway:Url: '{gatewayUrl}' is not an http(s) URL.");
        var gatewayToken = Blank(section["Notify:Gateway:Token"]);
        if (gatewayToken is not null && gatewayUrl is null)
            problems.Add($"{Section}:Notify:Gateway:Token is set but {Section}:Notify:Gateway:Url is not: no text would be sent.");

        var coordinators = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in section.GetSection("CoordinatorTokens").GetChildren())
            if (Blank(c.Value) is { } token) coordinators[c.Key] = token;
            else problems.Add($"{Section}:CoordinatorTokens:{c.Key} is empty.");

        var villages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in section.GetSection("VillageTokens").GetChildren())
        {
            if (UploadPath.NormaliseVillageCode(v.Key) is not { } code)
                problems.Add($"{Section}:VillageTokens:{v.Key}: '{v.Key}' is not a village code like 1503012001.");
            else if (Blank(v.Value) is not { } token)
                problems.Add($"{Section}:VillageTokens:{v.Key} is empty.");
            else villages[code] = token;
        }
        if (coordinators.Values.Concat(villages.Values).GroupBy(t => t, StringComparer.Ordinal).Any(g => g.Count() > 1))
            problems.Add($"{Section}: two tokens in CoordinatorTokens/VillageTokens are the same; every person needs their own.");

        var districts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in section.GetSection("CoordinatorDistricts").GetChildren())
        {
            if (Core.Regions.RegionCodes.Normalize(Blank(d.Value)) is not { Length: 8 } district)
                problems.Add($"{Section}:CoordinatorDistricts:{d.Key}: '{d.Value}' is not a kecamatan code like 15.03.01.");
            else if (!coordinators.ContainsKey(d.Key))
                problems.Add($"{Section}:CoordinatorDistricts:{d.Key}: there is no coordinator '{d.Key}' in CoordinatorTokens ({string.Join(", ", coordinators.Keys)}).");
            else districts[d.Key] = district;
        }

        var regencies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in section.GetSection("CoordinatorRegencies").GetChildren())
        {
            if (Core.Regions.RegionCodes.Normalize(Blank(r.Value)) is not { Length: 5 } regency)
                problems.Add($"{Section}:CoordinatorRegencies:{r.Key}: '{r.Value}' is not a regency code like 15.03.");
            else if (!coordinators.ContainsKey(r.Key))
                problems.Add($"{Section}:CoordinatorRegencies:{r.Key}: there is no coordinator '{r.Key}' in CoordinatorTokens ({string.Join(", ", coordinators.Keys)}).");
            else if (districts.TryGetValue(r.Key, out var d) && !d.StartsWith(regency + ".", StringComparison.Ordinal))
                problems.Add($"{Section}:CoordinatorRegencies:{r.Key}: kecamatan {d} of CoordinatorDistricts is not in regency {regency}.");
            else regencies[r.Key] = regency;
        }

        var signingKey = Blank(section["SigningKey"]);
        if (signingKey is { Length: < 32 }) problems.Add($"{Section}:SigningKey must be at least 32 characters long.");

        var days = Int(section, "ApprovalLinkDays", problems);
        if (days is <= 0) problems.Add($"{Section}:ApprovalLinkDays must be at least 1.");
        var accessDays = Int(section, "AccessLinkDays", problems);
        if (accessDays is <= 0) problems.Add($"{Section}:AccessLinkDays must be at least 1.");
        var maxMb = Int(section, "MaxUploadMegabytes", problems);
        // The Azure Functions worker refuses request bodies over 30,000,000 bytes; both hosts keep the same limit.
        if (maxMb is < 1 or > MaxUploadMegabytesLimit) problems.Add($"{Section}:MaxUploadMegabytes must be between 1 and {MaxUploadMegabytesLimit}.");

        var postgres = Blank(section["Registry:Postgres"]);
        if (postgres is not null)
        {
            // The message never repeats the value: it holds a password.
            try { _ = new Npgsql.NpgsqlConnectionStringBuilder(postgres); }
            catch (ArgumentException e) { problems.Add($"{Section}:Registry:Postgres is not a PostgreSQL connection string ({e.Message.Split('\'')[0].Trim()})."); }
        }

        var urls = Blank(section["Urls"]) ?? DefaultUrl;
        var publicBase = Blank(section["PublicBaseUrl"]);
        if (publicBase is not null && !Uri.TryCreate(publicBase, UriKind.Absolute, out _))
            problems.Add($"{Section}:PublicBaseUrl: '{publicBase}' is not an absolute URL.");

        if (problems.Count > 0) throw new SettingsException(problems);
        return new UcjFlowSettings
        {
            DataFolder = Path.GetFullPath(Blank(section["Data"]) ?? "ucjflow-data"),
            Urls = urls,
            CampaignFile = Blank(section["Campaign"]),
            PublicBaseUrl = publicBase,
            Mail = mail,
            Gateway = new GatewaySettings { Url = gateway, Token = gatewayToken },
            CoordinatorTokens = coordinators,
            VillageTokens = villages,
            CoordinatorDistricts = districts,
            CoordinatorRegencies = regencies,
            AccessLinkLifetime = TimeSpan.FromDays(accessDays ?? 90),
            SigningKey = signingKey,
            RegistryPostgres = postgres,
            ApprovalLinkLifetime = TimeSpan.FromDays(days ?? 14),
            MaxUploadBytes = (maxMb ?? 20) * 1024L * 1024,
        };
    }

    /// <summary>The largest <c>MaxUploadMegabytes</c>: an upload of that size still fits the Azure Functions worker's 30,000,000-byte request limit.</summary>
    public const int MaxUploadMegabytesLimit = 25;

    /// <summary>
    /// A value still holding the sample's placeholder, or a Key Vault reference App Service could not resolve (it then
    /// passes the reference text itself), would become a working token or key: refuse it.
    /// </summary>
    static void CheckValues(IConfiguration section, List<string> problems)
    {
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null) continue;
            if (value.Contains("CHANGE-ME", StringComparison.OrdinalIgnoreCase))
                problems.Add($"{Section}:{key} still holds the sample's CHANGE-ME placeholder.");
            else if (value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
                problems.Add($"{Section}:{key} is a Key Vault reference the platform could not resolve: give the app's identity " +
                    "'Key Vault Secrets User' on the vault and set keyVaultReferenceIdentity.");
        }
    }

    /// <summary>Every configured key must be a known name of this host.</summary>
    static void CheckNames(IConfiguration section, HostKind host, List<string> problems)
    {
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null) continue; // a parent section ("Mail"), not a setting
            var known = Find(key);
            if (known is null)
                problems.Add($"{Section}:{key} is not a setting{Suggest(key)}.");
            else if (!known.Value.Hosts.Contains(host))
                problems.Add($"{Section}:{key} is a setting of the {(known.Value.Hosts.Contains(HostKind.Local) ? "local host (ucjflow serve)" : "Azure Functions app")} only.");
        }
    }

    /// <summary>The entry of <see cref="Names"/> that <paramref name="key"/> ("Mail:Host", "CoordinatorTokens:budi") is, or null.</summary>
    public static (string Name, HostKind[] Hosts, string Meaning)? Find(string key) =>
        Names.Where(n => Matches(n.Name, key)).Select(n => ((string, HostKind[], string)?)n).FirstOrDefault();

    static bool Matches(string name, string key)
    {
        var n = name.Split(':');
        var k = key.Split(':');
        return n.Length == k.Length && n.Zip(k).All(p => p.First == "*" || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>" (did you mean UcjFlow:Mail:Host?)" for the known name nearest by edit distance, when near enough.</summary>
    static string Suggest(string key)
    {
        var segments = key.Split(':');
        var best = Names
            .Select(n => n.Name.Split(':'))
            // A '*' stands for what the key has in that place: "Coordinators:budi" is near "CoordinatorTokens:budi".
            .Select(n => string.Join(':', n.Select((part, i) => part == "*" && i < segments.Length ? segments[i] : part)))
            .Select(n => (Name: n, Distance: Distance(n.ToLowerInvariant(), key.ToLowerInvariant())))
            .MinBy(p => p.Distance);
        return best.Distance <= Math.Max(2, best.Name.Length / 3) ? $" (did you mean {Section}:{best.Name}?)"
            : $"; known settings: {string.Join(", ", Names.Select(n => n.Name))}";
    }

    static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    /// <summary>Variables named like UcjFlow's but without the "UcjFlow__" prefix are never read: say so instead of ignoring them.</summary>
    static void CheckEnvironment(IDictionary<string, string?> environment, List<string> problems)
    {
        foreach (var name in environment.Keys)
        {
            var squeezed = name.Replace("_", "", StringComparison.Ordinal);
            if (squeezed.StartsWith("ucjflow", StringComparison.OrdinalIgnoreCase) && !name.StartsWith(Section + "__", StringComparison.OrdinalIgnoreCase))
                problems.Add($"Environment variable {name} is not read: UcjFlow settings are named {Section}__<Name>, e.g. {Section}__Mail__Host.");
        }
    }

    /// <summary>This process's environment variables by name.</summary>
    public static Dictionary<string, string?> EnvironmentVariables() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    static int? Int(IConfiguration section, string key, List<string> problems)
    {
        if (Blank(section[key]) is not { } v) return null;
        if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        problems.Add($"{Section}:{key}: '{v}' is not a whole number.");
        return null;
    }

    static bool? Bool(IConfiguration section, string key, List<string> problems)
    {
        if (Blank(section[key]) is not { } v) return null;
        if (bool.TryParse(v, out var b)) return b;
        problems.Add($"{Section}:{key}: '{v}' is not true or false.");
        return null;
    }
}
