using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using UcjFlow.Core.Storage;
using UcjFlow.Functions.Storage;
using UcjFlow.Functions.Tests.Support;
using UcjFlow.Tests.Storage;

namespace UcjFlow.Functions.Tests.Storage;

/// <summary>
/// The blob-store contract on Azure Blob Storage, against the Azurite server .ci/run starts. Azurite is shared by all
/// tests, so each test instance writes to three containers of its own instead of uploads/reports/exports, and deletes
/// them when done.
/// </summary>
public sealed class AzureBlobStoreTests : BlobStoreContract
{
    private readonly BlobServiceClient _service = Azurite.BlobService();

    protected override string Uploads { get; } = Azurite.UniqueName("uploads");
    protected override string Reports { get; } = Azurite.UniqueName("reports");
    protected override string Exports { get; } = Azurite.UniqueName("exports");

    protected override Task<IBlobStore> OpenStoreAsync() => Task.FromResult<IBlobStore>(new AzureBlobStore(_service));

    public override async Task DisposeAsync()
    {
        foreach (var container in new[] { Uploads, Reports, Exports })
            await _service.GetBlobContainerClient(container).DeleteIfExistsAsync();
    }

    protected override async Task AssertNothingLeftTheStoreAsync()
    {
        foreach (var container in new[] { Uploads, Reports, Exports })
            Assert.False((await _service.GetBlobContainerClient(container).ExistsAsync()).Value, $"a refused name created container {container}");
    }

    [Fact]
    public async Task The_first_write_creates_the_container()
    {
        Assert.False((await _service.GetBlobContainerClient(Reports).ExistsAsync()).Value);

        await Store.WriteAsync(Reports, "coverage/latest.json", Bytes("{}"));
        await Store.WriteAsync(Exports, "batch-1/export.csv", (s, ct) => s.WriteAsync("NIK"u8.ToArray(), ct).AsTask());

        Assert.True((await _service.GetBlobContainerClient(Reports).ExistsAsync()).Value);
        Assert.True((await _service.GetBlobContainerClient(Exports).ExistsAsync()).Value);
        Assert.False((await _service.GetBlobContainerClient(Uploads).ExistsAsync()).Value);
    }

    [Fact]
    public async Task Blobs_are_plain_block_blobs_under_their_own_names()
    {
        // The Event Grid blob trigger and anyone with a SAS see the same names the store writes, and the store reads
        // what they upload.
        const string name = "1503/150301/1503012001/roster kader é.xlsx";
        await Store.WriteAsync(Uploads, name, Bytes("ours"));
        var container = _service.GetBlobContainerClient(Uploads);
        await container.GetBlobClient("1503/150301/1503012002/theirs.csv").UploadAsync(BinaryData.FromString("theirs"));

        var ours = (await container.GetBlobClient(name).GetPropertiesAsync()).Value;
        Assert.Equal(BlobType.Block, ours.BlobType);
        Assert.Equal("ours", (await container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal("theirs", await ReadAllAsync(Uploads, "1503/150301/1503012002/theirs.csv"));
    }
}
