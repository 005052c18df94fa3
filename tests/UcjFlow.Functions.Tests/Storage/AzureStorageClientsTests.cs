using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using UcjFlow.Functions.Storage;
using UcjFlow.Functions.Tests.Support;

namespace UcjFlow.Functions.Tests.Storage;

/// <summary>
/// AzureWebJobsStorage as the Functions host reads it: a connection string, or identity-based settings. The settings
/// reach the app as environment variables (app settings, local.settings.json), so the tests set real ones, under a
/// prefix of the test's own, and read them with the same environment-variable provider ('__' becomes ':').
/// </summary>
public sealed class AzureStorageClientsTests : IDisposable
{
    private readonly string _prefix = $"UCJTEST_{Guid.NewGuid():N}_";
    private readonly List<string> _variables = [];

    private IConfiguration Settings(params (string Name, string Value)[] settings)
    {
        foreach (var (name, value) in settings)
        {
            Environment.SetEnvironmentVariable(_prefix + name, value);
            _variables.Add(_prefix + name);
        }
        return new ConfigurationBuilder().AddEnvironmentVariables(_prefix).Build();
    }

    public void Dispose()
    {
        foreach (var variable in _variables) Environment.SetEnvironmentVariable(variable, null);
    }

    [Fact]
    public async Task A_connection_string_gives_a_client_that_writes_and_reads_on_azurite()
    {
        var client = AzureStorageClients.CreateBlobServiceClient(Settings(("AzureWebJobsStorage", Azurite.ConnectionString)));
        var container = client.GetBlobContainerClient(Azurite.UniqueName("clients"));
        try
        {
            await container.CreateAsync();
            await container.GetBlobClient("coverage/latest.json").UploadAsync(BinaryData.FromString("{\"v\":1}"));

            Assert.Equal("{\"v\":1}", (await container.GetBlobClient("coverage/latest.json").DownloadContentAsync()).Value.Content.ToString());
            Assert.Equal(new BlobServiceClient(Azurite.ConnectionString).Uri, client.Uri);
            Assert.True(client.CanGenerateAccountSasUri, "a connection string with an account key signs with that key");
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }

    [Fact]
    public void The_development_storage_shorthand_points_at_the_local_emulator()
    {
        var client = AzureStorageClients.CreateBlobServiceClient(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true")));

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), client.Uri);
        Assert.Equal("devstoreaccount1", client.AccountName);
    }

    [Fact]
    public void An_account_name_gives_the_public_endpoint_and_a_token_credential()
    {
        var client = AzureStorageClients.CreateBlobServiceClient(Settings(
            ("AzureWebJobsStorage__accountName", "ucjflowprod"), ("AzureWebJobsStorage__credential", "managedidentity")));

        Assert.Equal(new Uri("https://ucjflowprod.blob.core.windows.net/"), client.Uri);
        Assert.Equal("ucjflowprod", client.AccountName);
        // Only a shared-key client can sign an account SAS: this one authenticates with a token.
        Assert.False(client.CanGenerateAccountSasUri);
    }

    [Fact]
    public void A_blob_service_uri_and_a_user_assigned_identity()
    {
        var client = AzureStorageClients.CreateBlobServiceClient(Settings(
            ("AzureWebJobsStorage__blobServiceUri", "https://ucjflowprod.blob.core.windows.net"),
            ("AzureWebJobsStorage__credential", "managedidentity"),
            ("AzureWebJobsStorage__clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Equal(new Uri("https://ucjflowprod.blob.core.windows.net/"), client.Uri);
        Assert.False(client.CanGenerateAccountSasUri);
    }

    [Fact]
    public void The_account_name_wins_over_the_blob_service_uri_as_in_the_host()
    {
        var client = AzureStorageClients.CreateBlobServiceClient(Settings(
            ("AzureWebJobsStorage__accountName", "ucjflowprod"), ("AzureWebJobsStorage__blobServiceUri", "https://other.blob.core.windows.net")));

        Assert.Equal(new Uri("https://ucjflowprod.blob.core.windows.net/"), client.Uri);
    }

    [Fact]
    public void Nothing_set_names_the_settings_to_set()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AzureStorageClients.CreateBlobServiceClient(Settings()));

        Assert.Contains("set AzureWebJobsStorage to a connection string", e.Message);
        Assert.Contains("AzureWebJobsStorage__accountName", e.Message);
        Assert.Contains("AzureWebJobsStorage__blobServiceUri", e.Message);
        Assert.Contains("AzureWebJobsStorage__credential=managedidentity", e.Message);
        Assert.Contains("AzureWebJobsStorage__clientId", e.Message);
    }

    [Fact]
    public void An_empty_connection_string_is_nothing_set()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AzureStorageClients.CreateBlobServiceClient(Settings(("AzureWebJobsStorage", " "))));

        Assert.StartsWith("Storage is not configured", e.Message);
    }

    [Fact]
    public void An_identity_without_an_account_names_what_is_missing()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AzureStorageClients.CreateBlobServiceClient(Settings(
            ("AzureWebJobsStorage__credential", "managedidentity"), ("AzureWebJobsStorage__clientId", "00000000-0000-0000-0000-000000000001"))));

        Assert.Contains("only partly configured (AzureWebJobsStorage__clientId, AzureWebJobsStorage__credential set)", e.Message);
        Assert.Contains("AzureWebJobsStorage__accountName", e.Message);
        Assert.Contains("AzureWebJobsStorage__blobServiceUri", e.Message);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName", "UcjFlow Prod", "AzureWebJobsStorage__accountName 'UcjFlow Prod'")]
    [InlineData("AzureWebJobsStorage__accountName", "", "AzureWebJobsStorage__accountName ''")]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "ucjflowprod.blob.core.windows.net", "AzureWebJobsStorage__blobServiceUri")]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "http://127.0.0.1:10100/devstoreaccount1", "not an https URI")]
    public void A_bad_account_or_uri_is_named(string setting, string value, string expected)
    {
        var e = Assert.Throws<InvalidOperationException>(() => AzureStorageClients.CreateBlobServiceClient(Settings((setting, value))));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_half_credential_is_named()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AzureStorageClients.CreateBlobServiceClient(Settings(
            ("AzureWebJobsStorage__accountName", "ucjflowprod"), ("AzureWebJobsStorage__credential", "workloadidentity"))));

        Assert.Contains("AzureWebJobsStorage", e.Message);
        Assert.Contains("tenantId", e.Message);
    }

    [Fact]
    public void A_connection_string_that_is_not_one_is_named_without_its_content()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AzureStorageClients.CreateBlobServiceClient(Settings(
            ("AzureWebJobsStorage", "AccountName=ucjflowprod;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix="))));

        Assert.StartsWith("AzureWebJobsStorage is not a storage connection string", e.Message);
        Assert.DoesNotContain("c2VjcmV0LWtleQ==", e.Message);
    }

    [Fact]
    public void Another_connection_name_reads_its_own_settings()
    {
        var client = AzureStorageClients.CreateBlobServiceClient(
            Settings(("UploadsStorage__accountName", "ucjflowuploads"), ("AzureWebJobsStorage", "UseDevelopmentStorage=true")), "UploadsStorage");

        Assert.Equal(new Uri("https://ucjflowuploads.blob.core.windows.net/"), client.Uri);
    }
}
