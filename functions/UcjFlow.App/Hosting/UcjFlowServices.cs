using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UcjFlow.Adapters.Mail;
using UcjFlow.Adapters.Notify;
using UcjFlow.Adapters.Registry;
using UcjFlow.App.Api;
using UcjFlow.App.Security;
using UcjFlow.App.Settings;
using UcjFlow.App.Web;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.App.Hosting;

/// <summary>
/// What differs between the two hosts; everything else is composed once by <see cref="UcjFlowServices.AddUcjFlow"/>.
/// A <c>null</c> fallback makes the matching setting required on that host.
/// </summary>
public sealed record HostParts
{
    /// <summary>Which host. On Azure Functions <c>UcjFlow:PublicBaseUrl</c> is required: there is no listening address to fall back on.</summary>
    public required HostKind Kind { get; init; }

    /// <summary>Blob storage: a folder (local) or Azure Blob Storage.</summary>
    public required Func<IServiceProvider, IBlobStore> BlobStore { get; init; }

    /// <summary>The registry when <c>UcjFlow:Registry:Postgres</c> is not set (local: SQLite in the data folder).</summary>
    public Func<IServiceProvider, IEnrollmentRegistry>? RegistryFallback { get; init; }

    /// <summary>The mailer when <c>UcjFlow:Mail:Host</c> is not set (local: .eml files in the data folder's outbox/).</summary>
    public Func<IServiceProvider, IMailer>? MailerFallback { get; init; }

    /// <summary>The link-signing key when <c>UcjFlow:SigningKey</c> is not set (local: generated once, kept in the data folder).</summary>
    public Func<byte[]>? SigningKeyFallback { get; init; }

    /// <summary>Coordinator name → token when <c>UcjFlow:CoordinatorTokens</c> is empty (local: one generated token).</summary>
    public Func<IReadOnlyDictionary<string, string>>? CoordinatorTokensFallback { get; init; }
}

/// <summary>The composition root of both hosts and of the test harnesses that start either.</summary>
public static class UcjFlowServices
{
    /// <summary>The sample campaign shipped next to the app, used when <c>UcjFlow:Campaign</c> is not set.</summary>
    public static string SampleCampaignPath => Path.Combine(AppContext.BaseDirectory, "campaign.sarolangun-2024.json");

    /// <summary>
    /// Registers the workflow's ports and services, the API and the web page. <paramref name="time"/> is the campaign
    /// clock (the system clock, or a manual one in the demo and tests). Loads the campaign now, so a broken campaign
    /// file stops the start.
    /// </summary>
    /// <exception cref="SettingsException">a setting this host requires is missing.</exception>
    /// <exception cref="CampaignConfigException">the campaign file is missing or invalid.</exception>
    public static IServiceCollection AddUcjFlow(this IServiceCollection services, UcjFlowSettings settings, HostParts host, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        CheckRequired(settings, host);
        // The configured campaign file is read now, so a broken one stops the start; it seeds the catalog on first use.
        var seed = Seed(settings);
        var campaign = seed.Campaign;
        var signingKey = settings.SigningKey is { } key ? Encoding.UTF8.GetBytes(key) : host.SigningKeyFallback!();
        var coordinators = settings.CoordinatorTokens.Count > 0 ? settings.CoordinatorTokens : host.CoordinatorTokensFallback!();
        CheckDistricts(settings, campaign);

        services.AddSingleton(settings);
        services.AddSingleton(time);
        services.AddSingleton(seed);
        services.AddSingleton(sp => new CampaignStore(sp.GetRequiredService<IEnrollmentRegistry>(), seed, sp.GetRequiredService<ILogger<CampaignStore>>()));
        services.AddSingleton<CampaignScope>();
        services.AddSingleton(host.BlobStore);
        services.AddSingleton(settings.RegistryPostgres is { } postgres
            ? _ => PostgresEnrollmentRegistry.Create(postgres, time)
            : host.RegistryFallback!);
        // Every mail goes through the pending-mail queue: a failed one is kept, shown to coordinators and sent again.
        Func<IServiceProvider, IMailer> mailer = settings.Mail.UsesSmtp
            ? sp => new SmtpMailer(settings.Mail, sp.GetRequiredService<ILoggerFactory>().CreateLogger("UcjFlow.Mail"))
            : host.MailerFallback!;
        services.AddSingleton(sp => new PendingMailer(mailer(sp), sp.GetRequiredService<IBlobStore>(), time,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("UcjFlow.Mail")));
        // With a WhatsApp/SMS gateway, each village message with a PIC phone also goes there as text, through its own pending queue.
        services.AddSingleton(sp => new Notifier(sp.GetRequiredService<PendingMailer>(), settings.Gateway.IsSet
            ? new PendingMailer(
                new GatewaySender(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
                    // Retry waits are real seconds, not the campaign clock (a manual one in the demo would never let them pass).
                    settings.Gateway, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>().CreateLogger("UcjFlow.Gateway")),
                sp.GetRequiredService<IBlobStore>(), time, sp.GetRequiredService<ILoggerFactory>().CreateLogger("UcjFlow.Gateway"), PendingMailer.TextQueue)
            : null));
        services.AddSingleton<IMailer>(sp => sp.GetRequiredService<Notifier>());
        services.AddSingleton(new ApprovalLinkSigner(signingKey, time));
        services.AddSingleton(new WorkflowOptions
        {
            PublicBaseUrl = settings.PublicBase, ApprovalLinkLifetime = settings.ApprovalLinkLifetime, TextGateway = settings.Gateway.Url is not null,
        });
        services.AddSingleton(new DurableTaskRegistry().AddUcjFlowWorkflow());
        services.AddSingleton<CoveragePublisher>();
        services.AddSingleton<IntakeStarter>();
        services.AddSingleton<WorkflowUpkeep>();

        services.AddSingleton(sp => new Access(coordinators, settings.VillageTokens, settings.CoordinatorDistricts,
            sp.GetRequiredService<ApprovalLinkSigner>(), sp.GetRequiredService<IEnrollmentRegistry>(), time, settings.CoordinatorRegencies));
        services.AddSingleton<AccessApi>();
        services.AddSingleton<RenewalApi>();
        services.AddSingleton<CampaignApi>();
        services.AddSingleton<UploadApi>();
        services.AddSingleton<BatchApi>();
        services.AddSingleton<RevocationApi>();
        services.AddSingleton<ExportApi>();
        services.AddSingleton<CoverageApi>();
        services.AddSingleton<BatchMailActivity>();
        services.AddSingleton<VillageMessagesApi>();
        services.AddSingleton<ReportFiles>();
        services.AddSingleton<WebPages>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        return services;
    }

    /// <summary>
    /// What seeds the campaign catalog on first use (<see cref="CampaignStore"/>): the configured campaign file, or the
    /// sample (stored only into an empty catalog). The <c>ucjflow campaign</c> command seeds with the same, so the catalog
    /// it changes is the one serve would start with.
    /// </summary>
    /// <exception cref="CampaignConfigException">the campaign file is missing or invalid.</exception>
    public static CampaignSeed Seed(UcjFlowSettings settings)
    {
        var campaignPath = CampaignPath(settings.CampaignFile);
        var campaign = CampaignLoader.LoadFile(campaignPath);
        return new CampaignSeed(campaign, CampaignStore.StoredDocument(File.ReadAllText(campaignPath), campaign),
            settings.CampaignFile is null ? "sample" : Path.GetFileName(campaignPath), OnlyIntoEmpty: settings.CampaignFile is null);
    }

    /// <summary>
    /// The campaign file: the sample when none is set; a relative path is looked up in the working directory, then next
    /// to the app (a Functions worker's working directory is not always its folder).
    /// </summary>
    public static string CampaignPath(string? file) =>
        file is null ? SampleCampaignPath
        : Path.IsPathRooted(file) || File.Exists(file) ? file
        : Path.Combine(AppContext.BaseDirectory, file);

    /// <summary>A coordinator scoped to a kecamatan the campaign does not have would see nothing: refuse the start instead.</summary>
    static void CheckDistricts(UcjFlowSettings settings, Campaign campaign)
    {
        var unknown = settings.CoordinatorDistricts.Where(d => campaign.Villages.All(v => v.DistrictCode != d.Value))
            .Select(d => $"{UcjFlowSettings.Section}:CoordinatorDistricts:{d.Key}: kecamatan {d.Value} has no village in campaign {campaign.Id}.").ToList();
        if (unknown.Count > 0) throw new SettingsException(unknown);
    }

    static void CheckRequired(UcjFlowSettings settings, HostParts host)
    {
        var missing = new List<string>();
        const string on = " (required on Azure Functions: there is no local default)";
        if (settings.RegistryPostgres is null && host.RegistryFallback is null)
            missing.Add($"{UcjFlowSettings.Section}:Registry:Postgres is not set: the PostgreSQL connection string of the registry{on}.");
        if (!settings.Mail.UsesSmtp && host.MailerFallback is null)
            missing.Add($"{UcjFlowSettings.Section}:Mail:Host is not set: the SMTP server mail goes through{on}.");
        if (settings.SigningKey is null && host.SigningKeyFallback is null)
            missing.Add($"{UcjFlowSettings.Section}:SigningKey is not set: the secret of the signed links, at least 32 characters{on}.");
        if (settings.PublicBaseUrl is null && host.Kind == HostKind.AzureFunctions)
            missing.Add($"{UcjFlowSettings.Section}:PublicBaseUrl is not set: the app's https:// address, which every link in a mail starts with{on}.");
        if (settings.CoordinatorTokens.Count == 0 && host.CoordinatorTokensFallback is null)
            missing.Add($"{UcjFlowSettings.Section}:CoordinatorTokens is empty: set at least one, e.g. {UcjFlowSettings.Section}__CoordinatorTokens__koordinator{on}.");
        if (missing.Count > 0) throw new SettingsException(missing);
    }
}
