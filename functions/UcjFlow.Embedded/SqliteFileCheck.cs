using Microsoft.Data.Sqlite;

namespace UcjFlow.Embedded;

/// <summary>Whether a SQLite file of the embedded host can be used, checked before anything opens it for writing.</summary>
public static class SqliteFileCheck
{
    /// <summary>
    /// Null when <paramref name="path"/> does not exist (it is created on first use) or passes SQLite's
    /// <c>PRAGMA quick_check</c>; otherwise what SQLite found (e.g. "file is not a database"). The file is opened
    /// read-only, so a damaged file is never written to, nor checkpointed into, by the check. Linear in the file's size.
    /// Never throws for a damaged file: SQLite's error is the answer.
    /// </summary>
    public static string? Problem(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            // Without a write-ahead log next to it the file is read as immutable, so not even an empty -wal or -shm is
            // created; with one (a killed process leaves committed pages there), the log is read too.
            var hasLog = File.Exists(path + "-wal") || File.Exists(path + "-shm");
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = hasLog ? path : new Uri(Path.GetFullPath(path)).AbsoluteUri + "?immutable=1",
                Mode = SqliteOpenMode.ReadOnly, Pooling = false,
            }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(1)";
            var answer = command.ExecuteScalar() as string;
            return answer == "ok" ? null : answer ?? "quick_check gave no answer";
        }
        catch (SqliteException e)
        {
            return e.Message;
        }
    }
}
