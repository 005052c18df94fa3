namespace UcjFlow.Core.Storage;

/// <summary>The container names both hosts use (architecture.md, "Storage layout").</summary>
public static class BlobContainers
{
    public const string Uploads = "uploads";
    public const string Reports = "reports";
    public const string Exports = "exports";
    /// <summary>Mail the server has not taken yet: <c>pending/{key slug}.{key hash}.json</c>, until it goes through.</summary>
    public const string Mail = "mail";
}

/// <summary>What a blob is without its content. <see cref="ContentHash"/> is lowercase hex SHA-256, only when asked for.</summary>
public sealed record BlobProperties(string Container, string Name, long Length, DateTimeOffset LastModified, string? ContentHash = null);

/// <summary>The blob wanted does not exist.</summary>
public sealed class BlobNotFoundException(string container, string name)
    : FileNotFoundException($"Blob '{container}/{name}' does not exist.")
{
    public string Container { get; } = container;
    public string Name { get; } = name;
}

/// <summary>
/// The store ran out of space while writing a blob (a full disk under the embedded host's data folder): nothing of the
/// blob was published, the previous one (if any) is unchanged.
/// </summary>
public sealed class BlobStoreFullException(string container, string name, Exception inner)
    : IOException($"No space left to write blob '{container}/{name}'.", inner)
{
    public string Container { get; } = container;
    public string Name { get; } = name;
}

/// <summary>
/// Blob storage port: a folder in the embedded host, Azure Blob Storage in the Functions host.
/// Names use '/' as separator ("1503/150301/1503012001/roster.xlsx"); '.' and '..' segments, empty segments
/// and backslashes are refused with <see cref="ArgumentException"/>.
/// </summary>
public interface IBlobStore
{
    /// <summary>Opens a blob for reading. Throws <see cref="BlobNotFoundException"/> when it does not exist.</summary>
    Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a whole blob, replacing any previous one. Atomic: a reader sees the old blob or the new one, never part of one.
    /// Throws <see cref="BlobStoreFullException"/> when the store has no room left for it.
    /// </summary>
    Task WriteAsync(string container, string name, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a blob by letting <paramref name="write"/> fill a seekable stream (for writers such as OpenXML that
    /// stream their output). Atomic as <see cref="WriteAsync(string, string, Stream, CancellationToken)"/>;
    /// if <paramref name="write"/> throws, nothing is published.
    /// </summary>
    Task WriteAsync(string container, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken = default);

    /// <summary>Blobs whose name starts with <paramref name="prefix"/> (plain string prefix), in ordinal name order.</summary>
    IAsyncEnumerable<BlobProperties> ListAsync(string container, string prefix = "", CancellationToken cancellationToken = default);

    /// <summary>Deletes a blob; false when there was none.</summary>
    Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken = default);

    /// <summary>Length, last modified and, with <paramref name="withHash"/>, the SHA-256 of the content; null when the blob does not exist.</summary>
    Task<BlobProperties?> GetPropertiesAsync(string container, string name, bool withHash = false, CancellationToken cancellationToken = default);
}

/// <summary>Helpers every store implementation shares.</summary>
public static class BlobNames
{
    /// <summary>Refuses names that could leave the container or mean different things on different stores.</summary>
    public static void Validate(string name, string paramName = "name")
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("Blob name is empty.", paramName);
        if (name.Length > 1024) throw new ArgumentException("Blob name is longer than 1024 characters.", paramName);
        foreach (var ch in name)
            if (ch == '\\' || ch == ':' || char.IsControl(ch))
                throw new ArgumentException($"Blob name '{name}' contains a character that is not allowed ('\\', ':' or a control character).", paramName);
        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0) throw new ArgumentException($"Blob name '{name}' has an empty path segment.", paramName);
            if (segment is "." or "..") throw new ArgumentException($"Blob name '{name}' contains a '{segment}' segment (path traversal).", paramName);
        }
    }

    /// <summary>Container names: lowercase letters, digits and '-' (as Azure requires), 3–63 characters.</summary>
    public static void ValidateContainer(string container)
    {
        if (container is null || container.Length is < 3 or > 63 || !container.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            throw new ArgumentException($"Container name '{container}' is not valid (3-63 lowercase letters, digits or '-').", nameof(container));
    }
}
