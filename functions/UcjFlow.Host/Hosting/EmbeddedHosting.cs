using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.Core.Storage;
using UcjFlow.Embedded.Durable;
using UcjFlow.Embedded.Registry;
using UcjFlow.Embedded.Storage;
using UcjFlow.Host.Api;
using UcjFlow.Host.Intake;
using UcjFlow.Workflow.Intake;
using UcjFlow.Host.Web;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Host.Hosting;

/// <summary>
/// The composition root of the local app: the embedded parts (folder blobs, SQLite registry, SQLite durable runner,
/// outbox or SMTP mail) behind the ports the workflow uses, plus the watcher, the API and the web page.
/// </summary>
public static class EmbeddedHosting
{
    /// <summary>The sample campaign shipped next to the executable.</summary>
    public static string SampleCampaignPath => Path.Combine(AppContext.BaseDirectory, "campaign.sarolangun-2024.json");

    /// <summary>
    /// Registers everything `serve` runs. <paramref name="time"/> is the campaign clock (the system clock, or a manual
    /// one in the demo and tests); the durable timers follow it.
    /// </summary>
    public static async Task<WebApplicationBuilder> AddUcjFlowEmbeddedAsync(this WebApplicationBuilder builder, UcjFlowSettings settings, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var data = settings.DataFolder;
        Directory.CreateDirectory(data);
        var campaign = CampaignLoader.LoadFile(settings.CampaignFile ?? SampleCampaignPath);
        var registry = await SqliteEnrollmentRegistry.OpenAsync(Path.Combine(data, "registry.db"), time);

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(time);
        services.AddSingleton(campaign);
        services.AddSingleton<IEnrollmentRegistry>(_ => registry);
        // The data folder is the blob root: uploads/, reports/ and exports/ sit next to the databases and outbox/.
        services.AddSingleton<IBlobStore>(new FolderBlobStore(data));
        services.AddSingleton<IMailer>(sp => settings.Mail.CreateMailer(time, sp.GetRequiredService<ILoggerFactory>().CreateLogger("UcjFlow.Mail")));
        services.AddSingleton(new ApprovalLinkSigner(DataFolderSecrets.LinkSigningKey(settings), time));
        services.AddSingleton(new WorkflowOptions { PublicBaseUrl = settings.PublicBase, ApprovalLinkLifetime = settings.ApprovalLinkLifetime });

        services.AddSingleton(sp => EmbeddedDurableRunner.Create(
            Path.Combine(data, "durable.db"),
            new DurableTaskRegistry().AddUcjFlowWorkflow(),
            new EmbeddedDurableOptions
            {
                TimeProvider = time,
                Services = sp,
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
                DataConverter = WorkflowJson.DataConverter,
            }));
        services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<EmbeddedDurableRunner>().Client);

        services.AddSingleton(new DecisionClaims(Path.Combine(data, "host.db")));
        services.AddSingleton<Access>();
        services.AddSingleton<IntakeStarter>();
        services.AddSingleton<UploadWatcher>();
        // Order matters: the runner is up before the watcher's recovery scan schedules anything.
        services.AddHostedService<DurableRunnerService>();
        services.AddHostedService(sp => sp.GetRequiredService<UploadWatcher>());

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.WebHost.UseUrls(settings.Urls);
        // Room for the multipart framing around a roster of the maximum size; the endpoint checks the file itself.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxUploadBytes + 1024 * 1024);
        return builder;
    }

    /// <summary>Maps the JSON API, the published reports and the web page.</summary>
    public static WebApplication MapUcjFlow(this WebApplication app)
    {
        app.UseApiExceptionHandler();
        app.MapGroup("/api")
            .MapUploadEndpoints()
            .MapBatchEndpoints()
            .MapCoverageEndpoints();
        app.MapReportEndpoints();
        app.MapWebPages();
        return app;
    }
}
