using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UcjFlow.App.Hosting;
using UcjFlow.App.Settings;
using UcjFlow.Functions.Durable;
using UcjFlow.Functions.Storage;
using UcjFlow.Workflow;

namespace UcjFlow.Functions.Hosting;

/// <summary>The Azure host's parts behind the app's composition root: settings, Blob Storage, JSON, telemetry, errors.</summary>
public static class FunctionsHosting
{
    /// <summary>
    /// Reads <see cref="UcjFlowSettings"/> from the app settings <c>UcjFlow__…</c> and composes the app. Refuses to start
    /// (<see cref="SettingsException"/>, in the log) on an unknown setting or a missing required one: the registry
    /// (PostgreSQL), SMTP, the signing key and at least one coordinator token have no default on Azure.
    /// </summary>
    public static FunctionsApplicationBuilder AddUcjFlowFunctions(this FunctionsApplicationBuilder builder)
    {
        var settings = UcjFlowSettings.Read(builder.Configuration.GetSection(UcjFlowSettings.Section), HostKind.AzureFunctions);
        var services = builder.Services;
        services.AddUcjFlow(settings, Parts(builder.Configuration));
        services.AddSingleton<WorkflowBridge>();

        // Activity and orchestration payloads use the workflow's source-generated JSON, as on the embedded runner.
        services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(WorkflowJson.Options));
        builder.UseMiddleware<HttpErrorMiddleware>();

        services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        // The worker's Application Insights provider drops everything below Warning by default; without that rule the
        // worker's own logging configuration (default Information, "Logging" settings) decides. host.json governs the host's logs only.
        services.Configure<LoggerFilterOptions>(options =>
        {
            var rule = options.Rules.FirstOrDefault(r => r.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
            if (rule is not null) options.Rules.Remove(rule);
        });
        return builder;
    }

    /// <summary>
    /// Azure Blob Storage where the Functions host keeps its own state (<c>AzureWebJobsStorage</c>: a connection string, or
    /// identity-based); nothing else has a fallback on Azure. The client is made now (no request), so a missing or
    /// half-configured connection stops the start.
    /// </summary>
    public static HostParts Parts(IConfiguration configuration)
    {
        var storage = AzureStorageClients.CreateBlobServiceClient(configuration);
        return new() { Kind = HostKind.AzureFunctions, BlobStore = _ => new AzureBlobStore(storage) };
    }
}
