using UcjFlow.App.Api;
using UcjFlow.App.Hosting;
using UcjFlow.App.Settings;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Embedded.Durable;
using UcjFlow.Embedded.Mail;
using UcjFlow.Embedded.Registry;
using UcjFlow.Embedded.Storage;
using UcjFlow.Host.Intake;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Host.Hosting;

/// <summary>
/// The local host's parts behind the app's composition root (<see cref="UcjFlowServices.AddUcjFlow"/>): the data folder
/// as blob root, SQLite registry and outbox mail unless PostgreSQL or SMTP are set, generated secrets, the embedded
/// durable runner on SQLite, the upload watcher.
/// </summary>
public static class EmbeddedHosting
{
    /// <summary>The local host's fallbacks: everything lives in <see cref="UcjFlowSettings.DataFolder"/>.</summary>
    public static HostParts Parts(UcjFlowSettings settings, TimeProvider time) => new()
    {
        Kind = HostKind.Local,
        // The data folder is the blob root: uploads/, reports/ and exports/ sit next to the databases and outbox/.
        BlobStore = _ => new FolderBlobStore(settings.DataFolder),
        RegistryFallback = _ => SqliteEnrollmentRegistry.Create(RegistryPath(settings), time),
        MailerFallback = sp => new OutboxMailer(OutboxFolder(settings), settings.Mail.From, time, sp.GetRequiredService<ILoggerFactory>().CreateLogger("UcjFlow.Mail")),
        SigningKeyFallback = () => DataFolderSecrets.LinkSigningKey(settings.DataFolder),
        CoordinatorTokensFallback = () => new Dictionary<string, string>
        {
            [DataFolderSecrets.GeneratedCoordinatorName] = DataFolderSecrets.CoordinatorToken(settings.DataFolder),
        },
    };

    /// <summary>The SQLite registry when <c>Registry:Postgres</c> is not set: {data}/registry.db.</summary>
    public static string RegistryPath(UcjFlowSettings settings) => Path.Combine(settings.DataFolder, "registry.db");

    /// <summary>
    /// The registry as serve opens it (PostgreSQL when <c>Registry:Postgres</c> is set, else <see cref="RegistryPath"/>),
    /// for a command working beside a running serve: SQLite's WAL and busy timeout let both write.
    /// </summary>
    public static IEnrollmentRegistry OpenRegistry(UcjFlowSettings settings, TimeProvider time) =>
        settings.RegistryPostgres is { } postgres
            ? UcjFlow.Adapters.Registry.PostgresEnrollmentRegistry.Create(postgres, time)
            : SqliteEnrollmentRegistry.Create(RegistryPath(settings), time);

    /// <summary>Where mail goes without an SMTP server: {data}/outbox, one .eml per mail.</summary>
    public static string OutboxFolder(UcjFlowSettings settings) => Path.Combine(settings.DataFolder, "outbox");

    /// <summary>
    /// Registers everything `serve` runs. <paramref name="time"/> is the campaign clock (the system clock, or a manual
    /// one in the demo and tests); the durable timers follow it.
    /// </summary>
    public static WebApplicationBuilder AddUcjFlowEmbedded(this WebApplicationBuilder builder, UcjFlowSettings settings, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        Directory.CreateDirectory(settings.DataFolder);
        var services = builder.Services;
        services.AddUcjFlow(settings, Parts(settings, time), time);

        services.AddSingleton(sp => EmbeddedDurableRunner.Create(
            Path.Combine(settings.DataFolder, "durable.db"),
            sp.GetRequiredService<DurableTaskRegistry>(),
            new EmbeddedDurableOptions
            {
                TimeProvider = time,
                Services = sp,
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
                DataConverter = WorkflowJson.DataConverter,
                ActivityLanes = WorkflowActivityLanes.Of,
            }));
        services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<EmbeddedDurableRunner>().Client);
        services.AddSingleton<UploadScanner>();
        services.AddSingleton<UploadWatcher>();
        // Order matters: the runner is up before the watcher's recovery scan schedules anything.
        services.AddHostedService<DurableRunnerService>();
        services.AddHostedService(sp => sp.GetRequiredService<UploadWatcher>());

        builder.WebHost.UseUrls(settings.Urls);
        // Room for the multipart framing around a roster of the maximum size; the API checks the file itself.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxUploadBytes + 1024 * 1024);
        return builder;
    }

    /// <summary>Maps the app's routes (API, reports, web page) behind the API's error answer.</summary>
    public static WebApplication MapUcjFlowEmbedded(this WebApplication app)
    {
        app.UseExceptionHandler(error => error.Run(context =>
            ApiErrors.WriteAsync(context, context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error ?? new InvalidOperationException())));
        app.MapUcjFlow();
        return app;
    }
}
