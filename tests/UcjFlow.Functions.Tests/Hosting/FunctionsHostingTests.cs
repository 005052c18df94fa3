using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UcjFlow.Adapters.Mail;
using UcjFlow.App.Settings;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Functions.Hosting;

namespace UcjFlow.Functions.Tests.Hosting;

/// <summary>
/// The Functions app's composition (Program.cs: <see cref="FunctionsHosting.AddUcjFlowFunctions"/>) built as the worker
/// builds it, without the Functions host: what it refuses, and that every function class can be activated from it.
/// </summary>
public sealed class FunctionsHostingTests
{
    static readonly Dictionary<string, string?> Complete = new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["UcjFlow:Registry:Postgres"] = "Host=postgres.example.id;Database=ucjflow;Username=ucjflow;Password=x",
        ["UcjFlow:Mail:Host"] = "smtp.example.id",
        ["UcjFlow:SigningKey"] = "0123456789abcdef0123456789abcdef",
        ["UcjFlow:CoordinatorTokens:koordinator"] = "token-koordinator-0001",
        ["UcjFlow:PublicBaseUrl"] = "https://ucjflow.sarolangunkab.go.id",
    };

    static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureFunctionsWebApplication();
        builder.AddUcjFlowFunctions();
        return builder.Build();
    }

    [Fact]
    public void Every_function_class_in_functions_metadata_is_activated_from_the_composed_services()
    {
        using var host = Build(Complete);
        var entryTypes = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!.AsArray()
            .Select(f => f!["entryPoint"]!.GetValue<string>())
            .Select(e => e[..e.LastIndexOf('.')])
            .Distinct()
            .Select(name => typeof(FunctionsHosting).Assembly.GetType(name, throwOnError: true)!)
            .ToList();

        Assert.NotEmpty(entryTypes);
        foreach (var type in entryTypes)
            Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, type));
        Assert.Equal("AzureBlobStore", host.Services.GetRequiredService<IBlobStore>().GetType().Name);
        Assert.Equal("PostgresEnrollmentRegistry", host.Services.GetRequiredService<IEnrollmentRegistry>().GetType().Name);
        Assert.Equal("SmtpMailer", host.Services.GetRequiredService<PendingMailer>().Inner.GetType().Name);
        var notifier = Assert.IsType<UcjFlow.Adapters.Notify.Notifier>(host.Services.GetRequiredService<IMailer>());
        Assert.Same(host.Services.GetRequiredService<PendingMailer>(), notifier.Mail);
        Assert.Null(notifier.Texts); // no Notify:Gateway set
    }

    [Fact]
    public void Telemetry_goes_to_Application_Insights_with_the_workers_information_logs()
    {
        using var host = Build(Complete);
        Assert.NotNull(host.Services.GetService<Microsoft.ApplicationInsights.TelemetryClient>());
        Assert.Contains(host.Services.GetServices<ILoggerProvider>(), p => p.GetType().Name == "ApplicationInsightsLoggerProvider");
        // The worker's Application Insights package adds a Warning floor for its provider; FunctionsHosting removes it.
        var filters = host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value;
        Assert.DoesNotContain(filters.Rules, r => r.ProviderName?.EndsWith(".ApplicationInsightsLoggerProvider", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Without_the_settings_that_have_no_default_on_Azure_the_app_refuses_to_start_naming_each()
    {
        var e = Assert.Throws<SettingsException>(() => Build(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }));
        foreach (var name in new[] { "UcjFlow:Registry:Postgres", "UcjFlow:Mail:Host", "UcjFlow:SigningKey", "UcjFlow:CoordinatorTokens", "UcjFlow:PublicBaseUrl" })
            Assert.Contains(e.Problems, p => p.StartsWith(name, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_storage_the_app_refuses_to_start_naming_AzureWebJobsStorage()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build(new(Complete) { ["AzureWebJobsStorage"] = null }));
        Assert.Contains("AzureWebJobsStorage", e.Message);
    }

    [Theory]
    [InlineData("UcjFlow:Mail:Hots", "did you mean UcjFlow:Mail:Host?")]
    [InlineData("UcjFlow:Data", "UcjFlow:Data is a setting of the local host")]
    [InlineData("UcjFlow:SigningKey", "UcjFlow:SigningKey is a Key Vault reference the platform could not resolve", "@Microsoft.KeyVault(SecretUri=https://kv-ucj.vault.azure.net/secrets/signing-key/)")]
    public void A_misspelt_setting_one_of_the_local_host_or_an_unresolved_secret_stops_the_start(string key, string expected, string value = "x")
    {
        var e = Assert.Throws<SettingsException>(() => Build(new(Complete) { [key] = value }));
        Assert.Contains(expected, e.Message);
    }
}
