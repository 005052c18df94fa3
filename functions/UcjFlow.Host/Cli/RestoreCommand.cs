using UcjFlow.Host.Hosting;

namespace UcjFlow.Host.Cli;

/// <summary>
/// <c>ucjflow restore SNAPSHOT [--data DIR] [--force]</c>: a snapshot written by <c>ucjflow backup</c> becomes the data
/// folder DIR (as for serve: --data, UcjFlow__Data, ./ucjflow-data). A non-empty DIR is refused unless --force, which
/// replaces its contents; stop serve on DIR first. Exit 0 restored, 1 refused or failed (the message says why), 64 usage error.
/// </summary>
public static class RestoreCommand
{
    const string UsageLine = "usage: ucjflow restore SNAPSHOT [--data DIR] [--force]";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? snapshot = null, data = null;
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--data" when value is not null: data = value; i++; break;
                case "--force": force = true; break;
                case var a when !a.StartsWith('-') && snapshot is null: snapshot = a; break;
                default:
                    stderr.WriteLine($"ucjflow restore: unexpected '{args[i]}'");
                    stderr.WriteLine(UsageLine);
                    return Task.FromResult(Program.ExitUsage);
            }
        }
        if (snapshot is null)
        {
            stderr.WriteLine(UsageLine);
            return Task.FromResult(Program.ExitUsage);
        }

        var folder = LocalSettings.DataFolder(data);
        try
        {
            // --force replaces a folder: not while a serve holds it (a folder that must be empty needs no lock).
            using var held = force && Directory.Exists(folder) ? DataFolder.TakeLock(folder) : null;
            var manifest = DataFolderSnapshot.Restore(snapshot, folder, force);
            stdout.WriteLine($"Restored {folder} from the snapshot of {manifest.Source} taken {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC ({manifest.Files.Count} files)");
            return Task.FromResult(Program.ExitOk);
        }
        catch (Exception e) when (e is SnapshotException or DataFolderException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            stderr.WriteLine($"ucjflow restore: {e.Message}");
            return Task.FromResult(Program.ExitFailed);
        }
    }
}
