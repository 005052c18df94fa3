using UcjFlow.Host.Hosting;

namespace UcjFlow.Host.Cli;

/// <summary>
/// <c>ucjflow backup OUT [--data DIR]</c>: a consistent snapshot of the data folder into the new folder OUT, safe while
/// <c>serve</c> runs on it (<see cref="DataFolderSnapshot"/>). DIR as for serve (--data, UcjFlow__Data, ./ucjflow-data).
/// Exit 0 written, 1 refused or failed (the message says why), 64 usage error. A PostgreSQL registry is not in the data
/// folder and not in the snapshot.
/// </summary>
public static class BackupCommand
{
    const string UsageLine = "usage: ucjflow backup OUT [--data DIR]";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider? time = null)
    {
        string? target = null, data = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--data" when value is not null: data = value; i++; break;
                case var a when !a.StartsWith('-') && target is null: target = a; break;
                default:
                    stderr.WriteLine($"ucjflow backup: unexpected '{args[i]}'");
                    stderr.WriteLine(UsageLine);
                    return Task.FromResult(Program.ExitUsage);
            }
        }
        if (target is null)
        {
            stderr.WriteLine(UsageLine);
            return Task.FromResult(Program.ExitUsage);
        }

        var folder = LocalSettings.DataFolder(data);
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            var manifest = DataFolderSnapshot.Write(folder, target, time ?? TimeProvider.System);
            var databases = manifest.Files.Count(f => f.Database);
            var bytes = manifest.Files.Sum(f => f.Bytes);
            stdout.WriteLine(
                $"Snapshot of {folder} written to {Path.GetFullPath(target)}: {databases} databases, {manifest.Files.Count - databases} files, " +
                $"{bytes / 1048576.0:0.0} MB in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s");
            return Task.FromResult(Program.ExitOk);
        }
        catch (Exception e) when (e is SnapshotException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            stderr.WriteLine($"ucjflow backup: {e.Message}");
            return Task.FromResult(Program.ExitFailed);
        }
    }
}
