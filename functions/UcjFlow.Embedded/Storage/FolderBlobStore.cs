using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using UcjFlow.Core.Storage;

namespace UcjFlow.Embedded.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on a local folder: each container is a sub-folder of <see cref="Root"/>, and '/' in a blob
/// name is a sub-folder. Writes go to <c>{root}/.tmp/</c> first and are then renamed into place, so a reader (or the
/// upload watcher) never sees a half-written blob; rename within one file system is atomic.
/// </summary>
public sealed class FolderBlobStore : IBlobStore
{
    private const string TempFolderName = ".tmp";
    private readonly string _tempFolder;

    public FolderBlobStore(string root)
    {
        Root = Path.GetFullPath(root);
        _tempFolder = Path.Combine(Root, TempFolderName);
        Directory.CreateDirectory(_tempFolder);
    }

    /// <summary>The folder holding the containers.</summary>
    public string Root { get; }

    /// <summary>The full file path of a blob, after refusing names that would leave the container.</summary>
    public string PathOf(string container, string name)
    {
        BlobNames.ValidateContainer(container);
        BlobNames.Validate(name);
        var containerRoot = Path.Combine(Root, container);
        var full = Path.GetFullPath(Path.Combine(containerRoot, name.Replace('/', Path.DirectorySeparatorChar)));
        // Belt and braces: Validate already refused '..', this also catches anything the OS resolves differently.
        if (!full.StartsWith(containerRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Blob name '{name}' leaves container '{container}'.", nameof(name));
        return full;
    }

    public Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(container, name);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(container, name);
        }
    }

    public Task WriteAsync(string container, string name, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return WriteAsync(container, name, (target, ct) => content.CopyToAsync(target, ct), cancellationToken);
    }

    public async Task WriteAsync(string container, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var path = PathOf(container, name);
        var temp = Path.Combine(_tempFolder, $"{Guid.NewGuid():N}.part");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                // The rename must not publish a file whose bytes are still only in the OS cache if the machine dies.
                stream.Flush(flushToDisk: true);
            }
            cancellationToken.ThrowIfCancellationRequested();
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            throw new BlobStoreFullException(container, name, e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// ENOSPC (28) or EDQUOT (122) on Unix, where .NET puts the errno in HResult; ERROR_HANDLE_DISK_FULL or
    /// ERROR_DISK_FULL on Windows.
    /// </summary>
    private static bool IsDiskFull(IOException e) =>
        e.HResult is 28 or 122 or unchecked((int)0x80070027) or unchecked((int)0x80070070);

    /// <summary>
    /// Deletes the temp files of writes a crash cut short ({root}/.tmp/*.part): none was published, so none is wanted.
    /// Only while no other store writes under this root (the host calls it at start, holding the data folder's lock).
    /// Returns how many were deleted.
    /// </summary>
    public static int DeleteLeftoverTempFiles(string root)
    {
        return LeftoverFiles.Delete(Path.Combine(Path.GetFullPath(root), TempFolderName), "*.part");
    }

    public Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken = default)
        => Task.FromResult(File.Exists(PathOf(container, name)));

    public async IAsyncEnumerable<BlobProperties> ListAsync(string container, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobNames.ValidateContainer(container);
        prefix ??= "";
        var containerRoot = Path.Combine(Root, container);
        if (!Directory.Exists(containerRoot)) yield break;
        // Only descend into the folder the prefix fixes, so listing one village does not walk the whole container.
        var lastSlash = prefix.LastIndexOf('/');
        var startFolder = containerRoot;
        if (lastSlash > 0)
        {
            BlobNames.Validate(prefix[..lastSlash], nameof(prefix));
            startFolder = Path.Combine(containerRoot, prefix[..lastSlash].Replace('/', Path.DirectorySeparatorChar));
            if (!Directory.Exists(startFolder)) yield break;
        }
        var names = new List<(string Name, FileInfo Info)>();
        foreach (var file in new DirectoryInfo(startFolder).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(containerRoot, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (name.StartsWith(prefix, StringComparison.Ordinal)) names.Add((name, file));
        }
        names.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var (name, info) in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            info.Refresh();
            if (!info.Exists) continue; // deleted while listing
            yield return new BlobProperties(container, name, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(container, name);
        if (!File.Exists(path)) return Task.FromResult(false);
        File.Delete(path);
        return Task.FromResult(true);
    }

    public async Task<BlobProperties?> GetPropertiesAsync(string container, string name, bool withHash = false, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(PathOf(container, name));
        if (!info.Exists) return null;
        string? hash = null;
        if (withHash)
        {
            try
            {
                await using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
                hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
                // Length and time from the same open file the hash was computed from (the blob may be replaced meanwhile).
                return new BlobProperties(container, name, stream.Length, new DateTimeOffset(File.GetLastWriteTimeUtc(info.FullName), TimeSpan.Zero), hash);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
        }
        return new BlobProperties(container, name, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
    }
}
