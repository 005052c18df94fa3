using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.App.Api;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Functions.Tests.Metadata;

/// <summary>
/// The Functions host cannot run here, so what it would load is checked where it reads it: functions.metadata, written
/// by the Worker SDK at build time from the [Function] attributes, and host.json.
/// </summary>
public sealed class FunctionsMetadataTests
{
    static readonly Lazy<JsonArray> Functions = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!.AsArray());

    static IEnumerable<JsonObject> All => Functions.Value.Select(f => f!.AsObject());

    static JsonObject Trigger(JsonObject function) =>
        function["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));

    static IEnumerable<string> NamesWithTrigger(string type) =>
        All.Where(f => Trigger(f)["type"]!.GetValue<string>() == type).Select(f => f["name"]!.GetValue<string>()).Order(StringComparer.OrdinalIgnoreCase);

    static JsonObject Function(string name) => All.Single(f => f["name"]!.GetValue<string>() == name);

    [Fact]
    public void Every_orchestrator_and_activity_the_workflow_declares_is_a_function_with_that_trigger_and_no_other_is()
    {
        var workflow = new DurableTaskRegistry().AddUcjFlowWorkflow();

        Assert.Equal(workflow.Orchestrators.Keys.Select(k => k.Name).Order(StringComparer.OrdinalIgnoreCase), NamesWithTrigger("orchestrationTrigger"));
        Assert.Equal(workflow.Activities.Keys.Select(k => k.Name).Order(StringComparer.OrdinalIgnoreCase), NamesWithTrigger("activityTrigger"));
    }

    [Fact]
    public void Every_route_of_the_app_is_one_anonymous_HTTP_trigger_with_the_same_template_and_method()
    {
        var triggers = All.Select(Trigger).Where(t => t["type"]!.GetValue<string>() == "httpTrigger").ToList();
        Assert.All(triggers, t => Assert.Equal("Anonymous", t["authLevel"]!.GetValue<string>()));
        var functionRoutes = triggers
            .SelectMany(t => t["methods"]!.AsArray().Select(m => $"{m!.GetValue<string>().ToUpperInvariant()} {t["route"]!.GetValue<string>()}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(LocalHostRoutes(), functionRoutes);
    }

    /// <summary>What the local host maps (<see cref="UcjFlowRoutes.MapUcjFlow"/>), read off its endpoint table.</summary>
    static IEnumerable<string> LocalHostRoutes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Mapping only infers which handler parameters are services; nothing is resolved, so the ports can stay empty.
        foreach (var service in new[] { typeof(UploadApi), typeof(BatchApi), typeof(RevocationApi), typeof(CoverageApi), typeof(UcjFlow.App.Web.ReportFiles), typeof(UcjFlow.App.Web.WebPages), typeof(DurableTaskClient) })
            builder.Services.AddSingleton(service, _ => throw new NotSupportedException());
        using var app = builder.Build();
        app.MapUcjFlow();
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void The_Functions_app_ships_no_SQLite_runner_registry_or_folder_store()
    {
        // Everything the Functions app loads, followed through its references (the test's own Embedded reference aside).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<System.Reflection.AssemblyName>([typeof(UcjFlow.Functions.Hosting.FunctionsHosting).Assembly.GetName()]);
        while (queue.TryDequeue(out var name))
        {
            if (!seen.Add(name.Name!) || !name.Name!.StartsWith("UcjFlow", StringComparison.Ordinal)) continue;
            foreach (var reference in System.Reflection.Assembly.Load(name).GetReferencedAssemblies()) queue.Enqueue(reference);
        }

        Assert.Contains("UcjFlow.App", seen);
        Assert.Contains("UcjFlow.Adapters", seen);
        Assert.DoesNotContain("UcjFlow.Embedded", seen);
        Assert.DoesNotContain(seen, n => n.Contains("Sqlite", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_upload_trigger_is_fed_by_Event_Grid_on_the_uploads_container()
    {
        var trigger = Trigger(Function("OnUpload"));
        Assert.Equal("blobTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("EventGrid", trigger["source"]!.GetValue<string>());
        Assert.Equal("uploads/{name}", trigger["path"]!.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", trigger["connection"]!.GetValue<string>());
    }

    [Fact]
    public void The_campaign_timer_does_not_run_on_startup()
    {
        var trigger = Trigger(Function("EnsureCampaign"));
        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.False(trigger["runOnStartup"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public void Host_json_serves_routes_at_the_site_root_and_names_the_task_hub_and_its_storage()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!;
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        var durable = host["extensions"]!["durableTask"]!;
        Assert.Equal("UcjFlow", durable["hubName"]!.GetValue<string>());
        Assert.Equal("AzureStorage", durable["storageProvider"]!["type"]!.GetValue<string>());
        Assert.True(host["logging"]!["applicationInsights"]!["samplingSettings"]!["isEnabled"]!.GetValue<bool>());
    }
}
