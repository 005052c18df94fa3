using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using UcjFlow.Core.Storage;
using BlobProperties = UcjFlow.Core.Storage.BlobProperties;

namespace UcjFlow.Functions.Storage;

/// <summary>
/// The blob store port on Azure Blob Storage. A block blob upload commits whole (Put Blob / Put Block List), so readers
/// see the old blob or the new one, as the port requires.
/// </summary>
public sealed class AzureBlobStore(BlobServiceClient service) : IBlobStore
{
    BlobClient Blob(string container, string name)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.Validate(name);
        return service.GetBlobContainerClient(container).GetBlobClient(name);
    }

    public async Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Blob(container, name).OpenReadAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BlobNotFoundException(container, name);
        }
    }

    public async Task WriteAsync(string container, string name, Stream content, CancellationToken cancellationToken = default)
    {
        var blob = Blob(container, name);
        await service.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await blob.UploadAsync(content, overwrite: true, cancellationToken);
    }

    public async Task WriteAsync(string container, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        // Writers such as OpenXML need a seekable stream; the file is uploaded only when the writer succeeded.
        var temp = Path.GetTempFileName();
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose))
            {
                await write(file, cancellationToken);
                file.Position = 0;
                await WriteAsync(container, name, file, cancellationToken);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken = default)
        => (await Blob(container, name).ExistsAsync(cancellationToken)).Value;

    public async IAsyncEnumerable<BlobProperties> ListAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobNames.ValidateContainer(container);
        var client = service.GetBlobContainerClient(container);
        if (!(await client.ExistsAsync(cancellationToken)).Value) yield break;
        // The service lists in lexicographic (ordinal) name order, as the port promises.
        await foreach (var item in client.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
            yield return new BlobProperties(container, item.Name, item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.MinValue);
    }

    public async Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken = default)
        => (await Blob(container, name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value;

    public async Task<BlobProperties?> GetPropertiesAsync(string container, string name, bool withHash = false, CancellationToken cancellationToken = default)
    {
        var blob = Blob(container, name);
        Azure.Storage.Blobs.Models.BlobProperties props;
        try
        {
            props = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        string? hash = null;
        if (withHash)
        {
            await using var content = await blob.OpenReadAsync(cancellationToken: cancellationToken);
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
        }
        return new BlobProperties(container, name, props.ContentLength, props.LastModified, hash);
    }
}
