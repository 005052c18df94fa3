using UcjFlow.App.Settings;
using UcjFlow.Embedded;
using UcjFlow.Embedded.Mail;
using UcjFlow.Embedded.Storage;

namespace UcjFlow.Host.Hosting;

/// <summary>The data folder cannot be used as it is: another process holds it, or one of its databases is damaged.</summary>
public sealed class DataFolderException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// What the local host does with its data folder before anything in it is opened: take the folder's lock (one process
/// per folder), delete the temp files of writes a crash cut short, and refuse a damaged SQLite database.
/// </summary>
public sealed class DataFolder : IDisposable
{
    /// <summary>The lock file in the data folder; its content means nothing, the OS lock on it is the point.</summary>
    public const string LockFileName = "ucjflow.lock";

    readonly FileStream lockFile;

    DataFolder(FileStream lockFile, int removedTempFiles)
    {
        this.lockFile = lockFile;
        RemovedTempFiles = removedTempFiles;
    }

    /// <summary>How many temp files of an earlier, interrupted run <see cref="Open"/> deleted.</summary>
    public int RemovedTempFiles { get; }

    /// <summary>
    /// Takes the lock on <c>{data}/ucjflow.lock</c>: an exclusive OS lock (flock on Unix, a share mode on Windows) held
    /// until <see cref="Dispose"/> or the process ends, so the OS releases it even after kill -9. Then, holding it,
    /// deletes leftover temp files (blob store, outbox, secrets) and checks the SQLite files.
    /// </summary>
    /// <exception cref="DataFolderException">another process holds the folder, or a database is damaged (left untouched).</exception>
    public static DataFolder Open(UcjFlowSettings settings)
    {
        var data = settings.DataFolder;
        Directory.CreateDirectory(data);
        var lockFile = TakeLock(data);
        try
        {
            var removed = FolderBlobStore.DeleteLeftoverTempFiles(data)
                + OutboxMailer.DeleteLeftoverTempFiles(EmbeddedHosting.OutboxFolder(settings))
                + DataFolderSecrets.DeleteLeftoverTempFiles(data);
            var databases = settings.RegistryPostgres is null ? new[] { "durable.db", "registry.db" } : ["durable.db"];
            foreach (var name in databases)
            {
                var path = Path.Combine(data, name);
                if (SqliteFileCheck.Problem(path) is { } problem)
                    throw new DataFolderException(
                        $"{path} is damaged ({problem}) and was left as it is. Restore it from a backup, or move it (with any {name}-wal and {name}-shm next to it) out of the data folder to start with an empty one.");
            }
            return new DataFolder(lockFile, removed);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The folder's lock alone, for a command that replaces the folder (restore): the caller disposes it.
    /// </summary>
    /// <exception cref="DataFolderException">another process (a running serve) holds the folder.</exception>
    public static FileStream TakeLock(string data)
    {
        var lockPath = Path.Combine(data, LockFileName);
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new DataFolderException(
                $"The data folder {data} is in use by another ucjflow process (it holds {lockPath}). Stop that process, or use another --data folder.", e);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => lockFile.Dispose();
}
