using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace UcjFlow.Functions.Storage;

/// <summary>
/// The storage clients the app uses, made from the settings the Functions host reads for its own storage, so one set of
/// app settings serves both:
/// <list type="bullet">
/// <item><c>AzureWebJobsStorage</c> = a connection string (<c>UseDevelopmentStorage=true</c> for Azurite), or</item>
/// <item>identity-based: <c>AzureWebJobsStorage__accountName</c> (→ <c>https://{account}.blob.core.windows.net</c>) or
/// <c>AzureWebJobsStorage__blobServiceUri</c>; the account name wins when both are set, as in the host. The credential
/// is the host's too: <c>AzureWebJobsStorage__credential</c> = <c>managedidentity</c> with
/// <c>AzureWebJobsStorage__clientId</c> for a user-assigned identity; without <c>credential</c>, DefaultAzureCredential,
/// <c>clientId</c> becoming its ManagedIdentityClientId. Microsoft.Extensions.Azure's <see cref="AzureComponentFactory"/>,
/// which the Functions worker's own storage bindings use, reads these settings and the client options.</item>
/// </list>
/// </summary>
public static class AzureStorageClients
{
    /// <summary>The connection the Functions host keeps its own state in (and the default here).</summary>
    public const string HostStorage = "AzureWebJobsStorage";

    /// <summary>
    /// A blob service client for the connection named <paramref name="connectionName"/> (a setting, or a section of
    /// settings <c>{connectionName}__…</c>). Throws <see cref="InvalidOperationException"/> naming the settings to set
    /// when the connection is missing or half-configured; makes no request.
    /// </summary>
    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration, string connectionName = HostStorage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);
        var section = configuration.GetSection(connectionName);
        var collection = new ServiceCollection();
        collection.AddAzureClientsCore();
        using var services = collection.BuildServiceProvider();
        var components = services.GetRequiredService<AzureComponentFactory>();

        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            var options = (BlobClientOptions)components.CreateClientOptions(typeof(BlobClientOptions), null, section);
            try
            {
                return new BlobServiceClient(section.Value, options);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                // The message names the setting, never its value: a connection string carries the account key.
                throw new InvalidOperationException($"{connectionName} is not a storage connection string ({e.Message}).", e);
            }
        }

        var serviceUri = ServiceUri(section, connectionName);
        try
        {
            return new BlobServiceClient(serviceUri, components.CreateTokenCredential(section),
                (BlobClientOptions)components.CreateClientOptions(typeof(BlobClientOptions), null, section));
        }
        catch (ArgumentException e)
        {
            // Half a credential, e.g. credential=workloadidentity without tenantId: the library names what is missing.
            throw new InvalidOperationException($"{connectionName}: {e.Message} (settings {connectionName}__…).", e);
        }
    }

    static Uri ServiceUri(IConfigurationSection section, string name)
    {
        var identitySettings = $"{name}__accountName (the storage account, for https://{{account}}.blob.core.windows.net) or {name}__blobServiceUri, " +
                               $"with {name}__credential=managedidentity and, for a user-assigned identity, {name}__clientId";
        if (!section.GetChildren().Any())
            throw new InvalidOperationException(
                $"Storage is not configured: set {name} to a connection string, or use an identity: {identitySettings}.");

        if (section["accountName"] is { } account)
        {
            if (account.Length is < 3 or > 24 || !account.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'))
                throw new InvalidOperationException(
                    $"{name}__accountName '{account}' is not a storage account name (3-24 lowercase letters and digits).");
            return new Uri($"https://{account}.blob.core.windows.net");
        }
        if (section["blobServiceUri"] is { } uri)
        {
            // Token credentials are only sent over TLS.
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttps)
                throw new InvalidOperationException($"{name}__blobServiceUri '{uri}' is not an https URI (e.g. https://{{account}}.blob.core.windows.net).");
            return parsed;
        }
        throw new InvalidOperationException(
            $"{name} is only partly configured ({string.Join(", ", section.GetChildren().Select(c => $"{name}__{c.Key}"))} set): " +
            $"set {name} to a connection string, or {identitySettings}.");
    }
}
