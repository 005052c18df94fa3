using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using UcjFlow.Core.Storage;
using BlobProperties = UcjFlow.Core.Storage.BlobProperties;

namespace UcjFlow.Functions.Storage;

/// <summary>
/// The blob store port on Azure Blob Storage (block blobs, containers made on the first write). A block blob upload
/// commits whole (Put Blob, or Put Block List after the blocks), so readers see the old blob or the new one; and each
/// read is one GET, which streams the one version it started on even if the blob is replaced meanwhile.
/// </summary>
public sealed class AzureBlobStore(BlobServiceClient service) : IBlobStore
{
    BlobContainerClient Container(string container)
    {
        BlobNames.ValidateContainer(container);
        return service.GetBlobContainerClient(container);
    }

    BlobClient Blob(string container, string name) => Blob(Container(container), name);

    BlobClient Blob(BlobContainerClient container, string name)
    {
        BlobNames.Validate(name);
        return container.GetBlobClient(name);
    }

    public async Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var blob = Blob(container, name);
        try
        {
            // One GET streams one version whole. Not BlobClient.OpenRead: that one fetches the blob in 4 MiB ranges,
            // each conditional on the first one's ETag, and fails half-way (412) when the blob is replaced between
            // them. After a broken connection this stream asks for the rest on the same ETag, so it never mixes two
            // versions either.
            return (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BlobNotFoundException(container, name);
        }
    }

    public async Task WriteAsync(string container, string name, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var client = Container(container);
        await UploadAsync(client, Blob(client, name), content, cancellationToken);
    }

    public async Task WriteAsync(string container, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var client = Container(container);
        var blob = Blob(client, name);
        // Writers such as OpenXML need a seekable stream: a local file, removed when closed whatever happens, uploaded
        // only once the writer succeeded.
        var temp = Path.Combine(Path.GetTempPath(), $"ucjflow-blob-{Guid.NewGuid():N}.part");
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await write(file, cancellationToken);
        await file.FlushAsync(cancellationToken);
        file.Position = 0;
        await UploadAsync(client, blob, file, cancellationToken);
    }

    static async Task UploadAsync(BlobContainerClient container, BlobClient blob, Stream content, CancellationToken cancellationToken)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await blob.UploadAsync(content, overwrite: true, cancellationToken);
    }

    public async Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken = default)
        => (await Blob(container, name).ExistsAsync(cancellationToken)).Value;

    public async IAsyncEnumerable<BlobProperties> ListAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = Container(container);
        if (!(await client.ExistsAsync(cancellationToken)).Value) yield break;
        // The service lists in name order, upper case first (Azurite: UTF-16 ordinal, as the port promises).
        await foreach (var item in client.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix ?? "" }, cancellationToken))
            yield return new BlobProperties(container, item.Name, item.Properties.ContentLength ?? 0,
                item.Properties.LastModified ?? throw new InvalidOperationException($"The listing of '{container}' gave '{item.Name}' no Last-Modified."));
    }

    public async Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken = default)
        => (await Blob(container, name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value;

    public async Task<BlobProperties?> GetPropertiesAsync(string container, string name, bool withHash = false, CancellationToken cancellationToken = default)
    {
        var blob = Blob(container, name);
        try
        {
            if (!withHash)
            {
                var props = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
                return new BlobProperties(container, name, props.ContentLength, props.LastModified);
            }
            // Length, time and hash from the one download, so they describe the same version of a blob being replaced.
            using var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(download.Content, cancellationToken));
            return new BlobProperties(container, name, download.Details.ContentLength, download.Details.LastModified, hash);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
