using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace UcjFlow.Host.Cli;

/// <summary>
/// A snapshot of a local data folder, taken while <c>serve</c> may be running, and its restore: a folder with the data
/// folder's layout plus <see cref="ManifestName"/>. Each SQLite database is copied with SQLite's online backup (a
/// consistent image however busy the writers are), the durable store first and the registry after it, then every other
/// file (uploads, reports, exports, outbox, secrets, settings). That order leaves what a crash would leave, with the
/// registry at most a moment ahead of the durable store: on start the runner re-runs the activities it had not recorded
/// (each is idempotent), the watcher's recovery scan starts an intake for any upload it finds unregistered, and every
/// blob a database names was written before the database named it, so it is in the copy. Temporary files (the blob
/// store's <c>.tmp/</c>, dot-files, <c>*.tmp</c>, <c>*.part</c>) and SQLite's <c>-wal</c>/<c>-shm</c>/<c>-journal</c>
/// files are left out.
/// </summary>
public static class DataFolderSnapshot
{
    /// <summary>The snapshot's table of contents, written last: a folder without it is not a (complete) snapshot.</summary>
    public const string ManifestName = "ucjflow-snapshot.json";

    /// <summary>The embedded durable runner's store (EmbeddedHosting): backed up before any other database.</summary>
    const string DurableStore = "durable.db";

    static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>
    /// Writes a snapshot of <paramref name="dataFolder"/> to <paramref name="target"/> (created; it must not exist or be
    /// empty), through a staging folder next to it that is renamed into place at the end, so a failed backup leaves no
    /// folder that looks like a snapshot. Owner-only permissions (it holds the secrets).
    /// </summary>
    /// <exception cref="SnapshotException">the data folder holds no UcjFlow databases, or the target is not usable.</exception>
    public static SnapshotManifest Write(string dataFolder, string target, TimeProvider time)
    {
        var source = Path.GetFullPath(dataFolder);
        target = Path.GetFullPath(target);
        if (!File.Exists(Path.Combine(source, DurableStore)))
            throw new SnapshotException($"{source} is not a UcjFlow data folder (no {DurableStore}).");
        if (IsWithin(target, source))
            throw new SnapshotException($"The snapshot cannot be written inside the data folder it copies ({target}).");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new SnapshotException($"{target} already exists and is not empty: name a new folder for the snapshot.");
        if (File.Exists(target)) throw new SnapshotException($"{target} is a file: name a new folder for the snapshot.");

        var staging = $"{target}.partial-{Guid.NewGuid():N}";
        CreatePrivateDirectory(staging);
        try
        {
            var files = new List<SnapshotFile>();
            var candidates = Enumerate(source).ToList();
            // Databases first, the durable store before the registry (see the class summary), then the files.
            foreach (var db in candidates.Where(IsSqliteDatabase).OrderBy(f => Path.GetFileName(f) == DurableStore ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(source, db);
                BackupDatabase(db, Destination(staging, relative));
                files.Add(new SnapshotFile(Portable(relative), new FileInfo(Destination(staging, relative)).Length, Database: true));
            }
            var databases = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var file in Enumerate(source))
            {
                var relative = Path.GetRelativePath(source, file);
                if (databases.Contains(Portable(relative)) || IsSqliteSidecar(file)) continue;
                // A database created after the first pass (none normally) is still copied with the backup API.
                if (IsSqliteDatabase(file))
                {
                    BackupDatabase(file, Destination(staging, relative));
                    files.Add(new SnapshotFile(Portable(relative), new FileInfo(Destination(staging, relative)).Length, Database: true));
                    continue;
                }
                if (CopyFile(file, Destination(staging, relative)) is { } bytes)
                    files.Add(new SnapshotFile(Portable(relative), bytes, Database: false));
            }

            var manifest = new SnapshotManifest(1, time.GetUtcNow(), source, files);
            File.WriteAllBytes(Path.Combine(staging, ManifestName), JsonSerializer.SerializeToUtf8Bytes(manifest, SnapshotJson.Default.SnapshotManifest));
            if (Directory.Exists(target)) Directory.Delete(target); // empty, checked above
            Directory.Move(staging, target);
            return manifest;
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>
    /// Brings <paramref name="snapshot"/> back as the data folder <paramref name="dataFolder"/>: checks the manifest, every
    /// file's size and each database (SQLite quick_check) first, then copies into a staging folder next to the target and
    /// renames it into place. A non-empty target is refused unless <paramref name="replace"/>, which removes its contents.
    /// </summary>
    /// <exception cref="SnapshotException">not a snapshot, an incomplete or damaged one, or a non-empty target.</exception>
    public static SnapshotManifest Restore(string snapshot, string dataFolder, bool replace)
    {
        snapshot = Path.GetFullPath(snapshot);
        var target = Path.GetFullPath(dataFolder);
        var manifestPath = Path.Combine(snapshot, ManifestName);
        if (!File.Exists(manifestPath))
            throw new SnapshotException($"{snapshot} is not a UcjFlow snapshot (no {ManifestName}; an interrupted backup has none).");
        SnapshotManifest manifest;
        try { manifest = JsonSerializer.Deserialize(File.ReadAllBytes(manifestPath), SnapshotJson.Default.SnapshotManifest)!; }
        catch (JsonException e) { throw new SnapshotException($"{manifestPath} cannot be read: {e.Message}"); }
        if (manifest is not { Format: 1, Files: not null }) throw new SnapshotException($"{manifestPath} is not a snapshot manifest this version reads.");

        foreach (var file in manifest.Files)
        {
            var path = Destination(snapshot, file.Path);
            if (!IsWithin(path, snapshot) || !File.Exists(path))
                throw new SnapshotException($"The snapshot is incomplete: {file.Path} is missing.");
            if (new FileInfo(path).Length != file.Bytes)
                throw new SnapshotException($"The snapshot is damaged: {file.Path} has {new FileInfo(path).Length} bytes, the manifest says {file.Bytes}.");
            if (file.Database && QuickCheck(path) is var check && check != "ok")
                throw new SnapshotException($"The snapshot is damaged: database {file.Path} fails SQLite's check ({check}).");
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            if (!replace)
                throw new SnapshotException($"{target} is not empty: restore does not overwrite a data folder (stop serve, then pass --force to replace its contents).");
        }
        if (File.Exists(target)) throw new SnapshotException($"{target} is a file, not a data folder.");

        var staging = $"{target}.restore-{Guid.NewGuid():N}";
        CreatePrivateDirectory(staging);
        try
        {
            foreach (var file in manifest.Files) CopyFile(Destination(snapshot, file.Path), Destination(staging, file.Path));
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            return manifest;
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>SQLite's online backup of one database into a new file; the source stays open to its writers throughout.</summary>
    static void BackupDatabase(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        // Read-write without create: a WAL database cannot be opened read-only once serve has gone and its -shm with it.
        using var from = new SqliteConnection(new SqliteConnectionStringBuilder
            { DataSource = source, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60 }.ToString());
        using var to = new SqliteConnection(new SqliteConnectionStringBuilder
            { DataSource = destination, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        from.Open();
        to.Open();
        from.BackupDatabase(to);
    }

    static string QuickCheck(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            { DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check;";
            return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "no answer";
        }
        catch (SqliteException e)
        {
            return e.Message;
        }
    }

    /// <summary>Copies one file with its Unix mode (secrets stay owner-only); null when it vanished meanwhile (a temporary file).</summary>
    static long? CopyFile(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        try
        {
            File.Copy(source, destination, overwrite: false);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
            return new FileInfo(destination).Length;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Every file below <paramref name="root"/> except temporary ones, in a stable order; folders that vanish are skipped.</summary>
    static IEnumerable<string> Enumerate(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            string[] files, folders;
            try
            {
                files = Directory.GetFiles(folder, "*", options);
                folders = Directory.GetDirectories(folder, "*", options);
            }
            catch (DirectoryNotFoundException)
            {
                continue;
            }
            foreach (var file in files.Order(StringComparer.Ordinal))
                if (!IsTemporary(Path.GetFileName(file)) && !(folder == root && Path.GetFileName(file) == Hosting.DataFolder.LockFileName))
                    yield return file; // the lock file is a running serve's, and it holds it exclusively
            // Dot-folders are temporary by convention here (the blob store's .tmp/).
            foreach (var sub in folders.Where(f => !Path.GetFileName(f).StartsWith('.')).OrderDescending(StringComparer.Ordinal))
                pending.Push(sub);
        }
    }

    /// <summary>Names the data folder's writers use while writing: dot-files (the outbox's .*.tmp), *.tmp, *.part.</summary>
    static bool IsTemporary(string name) =>
        name.StartsWith('.') || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase);

    static bool IsSqliteSidecar(string path) =>
        path.EndsWith("-wal", StringComparison.Ordinal) || path.EndsWith("-shm", StringComparison.Ordinal) || path.EndsWith("-journal", StringComparison.Ordinal);

    static bool IsSqliteDatabase(string path)
    {
        if (IsSqliteSidecar(path)) return false;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[16];
            return stream.ReadAtLeast(header, 16, throwOnEndOfStream: false) == 16 && header.SequenceEqual(SqliteHeader);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    static string Destination(string root, string relative) => Path.GetFullPath(Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar)));

    static string Portable(string relative) => relative.Replace(Path.DirectorySeparatorChar, '/');

    static bool IsWithin(string path, string folder) =>
        path.Equals(folder, StringComparison.Ordinal) || path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A snapshot's table of contents. Paths are relative with '/'; Bytes is each copied file's length.</summary>
public sealed record SnapshotManifest(int Format, DateTimeOffset CreatedAt, string Source, IReadOnlyList<SnapshotFile> Files);

/// <summary>One file of a snapshot; Database: copied with SQLite's online backup (checked on restore).</summary>
public sealed record SnapshotFile(string Path, long Bytes, bool Database);

/// <summary>A backup or restore that cannot be done; the message says why, for the operator.</summary>
public sealed class SnapshotException(string message) : Exception(message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(SnapshotManifest))]
internal sealed partial class SnapshotJson : JsonSerializerContext;
