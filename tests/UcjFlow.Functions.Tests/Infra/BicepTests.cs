using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace UcjFlow.Functions.Tests.Infra;

/// <summary>
/// infra/ through the Bicep CLI, offline: every .bicep file builds and lints without a single warning, and the ARM JSON
/// main.bicep compiles to deploys what the Functions app needs (keyless storage, the identity's roles, the app settings
/// the app reads, the Event Grid subscription of the OnUpload blob trigger). Build outputs go to a temporary folder.
/// </summary>
public sealed class BicepTests(CompiledMain main) : IClassFixture<CompiledMain>
{
    [Fact]
    public void Every_bicep_file_builds_and_lints_without_a_warning()
    {
        var infra = BicepCli.InfraDirectory;
        var files = Directory.EnumerateFiles(infra, "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(infra, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("main.bicep", files);
        Assert.Contains(files, f => f.StartsWith("modules/", StringComparison.Ordinal));

        var output = Directory.CreateTempSubdirectory("ucjflow-bicep-build-");
        try
        {
            var build = BicepCli.Run(infra, "build", "--pattern", "**/*.bicep", "--outdir", output.FullName);
            var lint = BicepCli.Run(infra, "lint", "--pattern", "**/*.bicep");

            var problems = build.Problems().Concat(lint.Problems()).Distinct().ToList();
            Assert.True(problems.Count == 0, "Bicep reported problems:\n" + string.Join('\n', problems) + $"\n\n{build}\n\n{lint}");
            var notBuilt = files.Where(f => !File.Exists(Path.Combine(output.FullName, Path.ChangeExtension(f, ".json")))).ToList();
            Assert.True(notBuilt.Count == 0, $"No ARM JSON for: {string.Join(", ", notBuilt)}\n\n{build}");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void Storage_account_takes_no_shared_keys_and_holds_the_app_containers()
    {
        var storage = main.Single("Microsoft.Storage/storageAccounts");
        var properties = storage.Properties;
        Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());

        // The containers are one loop over a variable of the storage module: every container the app names, and the package.
        var containers = main.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Contains("containerNames", containers.Element.GetProperty("copy").GetProperty("count").GetString());
        var names = containers.Template.GetProperty("variables").GetProperty("containerNames").EnumerateArray().Select(n => n.GetString()).ToList();
        var appContainers = typeof(UcjFlow.Core.Storage.BlobContainers).GetFields().Select(f => (string)f.GetRawConstantValue()!);
        string?[] expected = [.. appContainers.Order(StringComparer.Ordinal), "[parameters('deploymentContainerName')]"];
        string?[] actual = [.. names.SkipLast(1).Order(StringComparer.Ordinal), names[^1]];
        Assert.Equal(expected, actual);
        var site = main.Single("Microsoft.Web/sites");
        Assert.Contains("parameters('deploymentContainerName')",
            site.Properties.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage").GetProperty("value").GetString());
    }

    [Fact]
    public void User_assigned_identity_holds_the_storage_roles_metrics_publisher_and_secrets_user()
    {
        var identity = main.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        var expected = new Dictionary<string, string>
        {
            ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Microsoft.Storage/storageAccounts", // Storage Blob Data Owner
            ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Microsoft.Storage/storageAccounts", // Storage Queue Data Contributor
            ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Microsoft.Storage/storageAccounts", // Storage Table Data Contributor
            ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Microsoft.Insights/components", // Monitoring Metrics Publisher
            ["4633458b-17de-408a-b874-0445c86b69e6"] = "Microsoft.KeyVault/vaults", // Key Vault Secrets User
        };
        var assignments = main.All("Microsoft.Authorization/roleAssignments").ToList();
        foreach (var (role, scopeType) in expected)
        {
            var matching = assignments.Where(a =>
                a.Properties.GetProperty("roleDefinitionId").GetString() == $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{role}')]").ToList();
            Assert.True(matching.Count == 1, $"Expected one assignment of role {role} (on {scopeType}), found {matching.Count}.");
            var assignment = matching[0];
            Assert.StartsWith($"[resourceId('{scopeType}', ", assignment.Element.GetProperty("scope").GetString());
            Assert.Equal("ServicePrincipal", assignment.Properties.GetProperty("principalType").GetString());
            // principalId is the module's parameter, which main.bicep fills with the identity module's output.
            Assert.Equal("[parameters('principalId')]", assignment.Properties.GetProperty("principalId").GetString());
            Assert.Matches($@"'Microsoft\.Resources/deployments', '{identity.Module}'\), '[0-9-]+'\)\.outputs\.principalId\.value\]$",
                main.ModuleParameter(assignment.Module, "principalId"));
        }

        // The function app runs as that identity, and resolves its Key Vault references with it.
        var site = main.Single("Microsoft.Web/sites");
        var siteIdentity = site.Element.GetProperty("identity");
        Assert.Equal("UserAssigned", siteIdentity.GetProperty("type").GetString());
        Assert.Equal("[format('{0}', parameters('identityId'))]", Assert.Single(siteIdentity.GetProperty("userAssignedIdentities").EnumerateObject()).Name);
        Assert.Equal("[parameters('identityId')]", site.Properties.GetProperty("keyVaultReferenceIdentity").GetString());
        Assert.Matches($@"'{identity.Module}'\), '[0-9-]+'\)\.outputs\.id\.value\]$", main.ModuleParameter(site.Module, "identityId"));
        Assert.Matches($@"'{identity.Module}'\), '[0-9-]+'\)\.outputs\.clientId\.value\]$", main.ModuleParameter(site.Module, "identityClientId"));
    }

    [Fact]
    public void Function_app_is_dotnet_10_isolated_on_flex_consumption()
    {
        var plan = main.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.Element.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.Element.GetProperty("sku").GetProperty("tier").GetString());

        var site = main.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.Element.GetProperty("kind").GetString());
        Assert.Contains("'azd-service-name'", site.Element.GetProperty("tags").GetString());
        Assert.Equal("api", main.ModuleParameter(site.Module, "serviceName"));
        var config = site.Properties.GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        var deployment = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", deployment.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", deployment.GetProperty("authentication").GetProperty("type").GetString());
        var scale = config.GetProperty("scaleAndConcurrency");
        Assert.Equal(2048, site.Template.GetProperty("parameters").GetProperty("instanceMemoryMB").GetProperty("defaultValue").GetInt32());
        Assert.Equal("[parameters('instanceMemoryMB')]", scale.GetProperty("instanceMemoryMB").GetString());
        Assert.Equal("[parameters('maximumInstanceCount')]", scale.GetProperty("maximumInstanceCount").GetString());
        Assert.Equal("[parameters('maximumInstanceCount')]", main.ModuleParameter(site.Module, "maximumInstanceCount"));
        Assert.True(main.Template.GetProperty("parameters").TryGetProperty("maximumInstanceCount", out _));
    }

    [Fact]
    public void Function_app_settings_are_the_names_the_app_reads_with_identity_based_storage()
    {
        var settings = main.Single("Microsoft.Web/sites/config").Properties.EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);

        Assert.Contains("AzureWebJobsStorage__accountName", settings.Keys);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        // No connection string for host storage, and nothing Flex Consumption refuses (the runtime is in functionAppConfig).
        Assert.DoesNotContain(settings.Keys, k => k.Equals("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(settings.Values, v => v.Contains("AccountKey", StringComparison.OrdinalIgnoreCase));
        foreach (var refused in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE" })
            Assert.DoesNotContain(refused, settings.Keys);

        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", settings.Keys);
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.True(main.Single("Microsoft.Insights/components").Properties.GetProperty("DisableLocalAuth").GetBoolean());

        // Exactly the UcjFlow settings the app binds: a misspelt one makes the app refuse to start.
        string[] ucjFlow =
        [
            "UcjFlow__Campaign", "UcjFlow__PublicBaseUrl", "UcjFlow__Registry__Postgres",
            "UcjFlow__Mail__Host", "UcjFlow__Mail__Port", "UcjFlow__Mail__StartTls", "UcjFlow__Mail__User", "UcjFlow__Mail__Password", "UcjFlow__Mail__From",
            "UcjFlow__SigningKey", "UcjFlow__CoordinatorTokens__koordinator",
        ];
        Assert.Equal(ucjFlow.Order(StringComparer.Ordinal), settings.Keys.Where(k => k.StartsWith("UcjFlow", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal));
        foreach (var secret in new[] { "UcjFlow__Registry__Postgres", "UcjFlow__Mail__Password", "UcjFlow__SigningKey", "UcjFlow__CoordinatorTokens__koordinator" })
            Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})', parameters('", settings[secret]);
        Assert.Contains(".defaultHostName)]", settings["UcjFlow__PublicBaseUrl"]);
        Assert.StartsWith("[format('https://{0}', ", settings["UcjFlow__PublicBaseUrl"]);
        Assert.Equal("campaign.sarolangun-2024.json", main.Template.GetProperty("parameters").GetProperty("campaign").GetProperty("defaultValue").GetString());

        // The secrets arrive as secure parameters and live in a vault that authorizes with RBAC.
        foreach (var secure in new[] { "postgresAdminPassword", "mailPassword", "signingKey", "coordinatorToken" })
            Assert.Equal("securestring", main.Template.GetProperty("parameters").GetProperty(secure).GetProperty("type").GetString());
        Assert.True(main.Single("Microsoft.KeyVault/vaults").Properties.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.Equal(4, main.All("Microsoft.KeyVault/vaults/secrets").Count());
    }

    [Fact]
    public void Registry_is_a_burstable_postgresql_16_server_reachable_from_azure()
    {
        var server = main.Single("Microsoft.DBforPostgreSQL/flexibleServers");
        Assert.Equal("Standard_B1ms", server.Element.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("Burstable", server.Element.GetProperty("sku").GetProperty("tier").GetString());
        Assert.Equal("16", server.Properties.GetProperty("version").GetString());
        Assert.Equal("securestring", server.Template.GetProperty("parameters").GetProperty("administratorPassword").GetProperty("type").GetString());
        main.Single("Microsoft.DBforPostgreSQL/flexibleServers/databases");
        Assert.Equal("ucjflow", main.Template.GetProperty("variables").GetProperty("registryDatabase").GetString());
        var firewall = main.Single("Microsoft.DBforPostgreSQL/flexibleServers/firewallRules").Properties;
        Assert.Equal("0.0.0.0", firewall.GetProperty("startIpAddress").GetString());
        Assert.Equal("0.0.0.0", firewall.GetProperty("endIpAddress").GetString());
    }

    [Fact]
    public void Upload_subscription_sends_blob_created_in_uploads_to_the_OnUpload_blob_trigger()
    {
        var topic = main.Single("Microsoft.EventGrid/systemTopics");
        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.Properties.GetProperty("topicType").GetString());
        Assert.StartsWith("[resourceId('Microsoft.Storage/storageAccounts', ", topic.Properties.GetProperty("source").GetString());

        var subscription = main.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        // Created only once the code runs (its webhook needs the blobs_extension system key): off by default.
        Assert.Equal("[parameters('deployUploadSubscription')]", main.Module(subscription.Module).GetProperty("condition").GetString());
        Assert.False(main.Template.GetProperty("parameters").GetProperty("deployUploadSubscription").GetProperty("defaultValue").GetBoolean());

        var destination = subscription.Properties.GetProperty("destination");
        Assert.Equal("WebHook", destination.GetProperty("endpointType").GetString());
        var url = destination.GetProperty("properties").GetProperty("endpointUrl").GetString()!;
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.OnUpload&code=", url);
        Assert.StartsWith("[format('https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.OnUpload&code={1}', ", url);
        Assert.Contains(".defaultHostName, listKeys(format('{0}/host/default', resourceId('Microsoft.Web/sites', ", url);
        Assert.EndsWith(".systemKeys.blobs_extension)]", url);
        var filter = subscription.Properties.GetProperty("filter");
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter.GetProperty("includedEventTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("/blobServices/default/containers/uploads/", filter.GetProperty("subjectBeginsWith").GetString());

        // The function the webhook names is in the Functions app, with a blob trigger.
        var onUpload = FunctionsAppMethods().Where(m => FunctionName(m) == "OnUpload").ToList();
        var method = Assert.Single(onUpload);
        Assert.Contains(method.GetParameters(), p => p.GetCustomAttributesData().Any(a => a.AttributeType.Name == "BlobTriggerAttribute"));
    }

    [Fact]
    public void Azd_files_agree_with_main_bicep()
    {
        var infra = BicepCli.InfraDirectory;
        var root = Path.GetDirectoryName(infra)!;
        var parameters = main.Template.GetProperty("parameters");

        // main.parameters.json names only parameters of main.bicep and gives every one without a default.
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(infra, "main.parameters.json")));
        var given = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(given, name => Assert.True(parameters.TryGetProperty(name, out _), $"main.parameters.json sets '{name}', which main.bicep does not declare."));
        var required = parameters.EnumerateObject().Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name);
        Assert.All(required, name => Assert.Contains(name, given));

        // azure.yaml: service api is the Functions project, deployed as a function app; the hooks it runs exist.
        var yaml = File.ReadAllText(Path.Combine(root, "azure.yaml"));
        Assert.Matches(@"(?m)^services:\s*\n\s+api:\s*\n\s+project: \./functions/UcjFlow\.Functions\s*\n\s+language: dotnet\s*\n\s+host: function\s*$", yaml);
        Assert.True(File.Exists(Path.Combine(root, "functions", "UcjFlow.Functions", "UcjFlow.Functions.csproj")));
        Assert.Contains("postdeploy:", yaml);
        var hooks = Regex.Matches(yaml, @"(?m)^\s+run: (\S+)$").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, hooks.Count);
        Assert.All(hooks, hook => Assert.True(File.Exists(Path.Combine(root, hook)), $"azure.yaml runs {hook}, which does not exist."));

        // The hooks read main.bicep's outputs (azd passes them as environment variables) and deploy the subscription module.
        var outputs = main.Template.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "AZURE_FUNCTION_APP_NAME", "AZURE_STORAGE_ACCOUNT_NAME", "AZURE_RESOURCE_GROUP", "SERVICE_API_NAME" }, outputs);
        foreach (var hook in hooks)
        {
            var script = File.ReadAllText(Path.Combine(root, hook));
            Assert.Contains("modules/upload-subscription.bicep", script);
            var variables = Regex.Matches(script, @"(?:\$\{|\$env:)([A-Z][A-Z0-9_]+)").Select(m => m.Groups[1].Value).Distinct();
            Assert.All(variables.Where(v => v != "AZURE_SUBSCRIPTION_ID"), v => Assert.True(outputs.Contains(v), $"{hook} reads {v}, which main.bicep does not output."));
        }
    }

    static IEnumerable<MethodInfo> FunctionsAppMethods()
    {
        var assembly = Assembly.Load(new AssemblyName("UcjFlow.Functions"));
        Type?[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types; }
        return types.OfType<Type>().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));
    }

    static string? FunctionName(MethodInfo method) =>
        method.GetCustomAttributesData()
            .FirstOrDefault(a => a.AttributeType.FullName == "Microsoft.Azure.Functions.Worker.FunctionAttribute")?
            .ConstructorArguments.FirstOrDefault().Value as string;
}

/// <summary>main.bicep compiled once (bicep build --stdout) for the tests of this class, with its modules' resources.</summary>
public sealed class CompiledMain : IDisposable
{
    readonly JsonDocument document;

    public CompiledMain()
    {
        var run = BicepCli.Run(BicepCli.InfraDirectory, "build", "main.bicep", "--stdout");
        Assert.True(run.ExitCode == 0, run.ToString());
        document = JsonDocument.Parse(run.Stdout);
        Resources = Walk(Template, module: "").ToList();
    }

    /// <summary>The subscription-scoped template.</summary>
    public JsonElement Template => document.RootElement;

    /// <summary>Every resource, in main.bicep and (recursively) in its modules' nested templates.</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    public IEnumerable<ArmResource> All(string type) => Resources.Where(r => r.Type == type);

    public ArmResource Single(string type)
    {
        var matches = All(type).ToList();
        Assert.True(matches.Count == 1, $"Expected one {type} in main.bicep's deployment, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The deployment (module) named <paramref name="name"/> in main.bicep.</summary>
    public JsonElement Module(string name) =>
        Resources.Single(r => r.Module == "" && r.Type == "Microsoft.Resources/deployments" && r.Element.GetProperty("name").GetString() == name).Element;

    /// <summary>The ARM expression main.bicep passes to parameter <paramref name="parameter"/> of module <paramref name="module"/>.</summary>
    public string ModuleParameter(string module, string parameter) =>
        Module(module).GetProperty("properties").GetProperty("parameters").GetProperty(parameter).GetProperty("value").GetString()!;

    static IEnumerable<ArmResource> Walk(JsonElement template, string module)
    {
        var resources = template.GetProperty("resources");
        // Templates with symbolic names (languageVersion 2.0) hold an object of resources, the others an array.
        var items = resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray() : resources.EnumerateObject().Select(p => p.Value);
        foreach (var resource in items)
        {
            if (resource.TryGetProperty("existing", out var existing) && existing.GetBoolean()) continue;
            var type = resource.GetProperty("type").GetString()!;
            yield return new ArmResource(module, type, resource, template);
            if (type == "Microsoft.Resources/deployments" && resource.GetProperty("properties").TryGetProperty("template", out var nested))
                foreach (var inner in Walk(nested, resource.GetProperty("name").GetString()!))
                    yield return inner;
        }
    }

    public void Dispose() => document.Dispose();
}

/// <summary>A resource of the compiled deployment: the main.bicep module it is in ("" for main itself) and its template.</summary>
public sealed record ArmResource(string Module, string Type, JsonElement Element, JsonElement Template)
{
    public JsonElement Properties => Element.GetProperty("properties");
}
