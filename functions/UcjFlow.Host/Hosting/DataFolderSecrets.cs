using System.Security.Cryptography;
using System.Text;
using UcjFlow.Embedded.Storage;

namespace UcjFlow.Host.Hosting;

/// <summary>
/// Secrets generated on first start and kept in {data}/secrets/, so a restart keeps the coordinator token working and
/// the approval links already mailed valid. Files are readable by the owner only.
/// </summary>
public static class DataFolderSecrets
{
    /// <summary>The name decisions made with the generated token are recorded under.</summary>
    public const string GeneratedCoordinatorName = "koordinator";

    public static string CoordinatorToken(string dataFolder) =>
        ReadOrCreate(dataFolder, "coordinator-token", () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

    public static byte[] LinkSigningKey(string dataFolder) =>
        Convert.FromBase64String(ReadOrCreate(dataFolder, "link-signing-key", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    /// <summary>
    /// Deletes secrets a crash cut short before their rename (secrets/*.tmp): the secret was never in use, the next start
    /// generates it again. Only while no other process uses the folder (the host holds its lock). Returns how many.
    /// </summary>
    public static int DeleteLeftoverTempFiles(string dataFolder)
    {
        return LeftoverFiles.Delete(Path.Combine(dataFolder, "secrets"), "*.tmp");
    }

    static string ReadOrCreate(string dataFolder, string name, Func<string> create)
    {
        var folder = Path.Combine(dataFolder, "secrets");
        var path = Path.Combine(folder, name);
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(folder);
        var value = create();
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options)) stream.Write(Encoding.UTF8.GetBytes(value));
        // Two processes starting at once: the first rename wins and both read what it wrote.
        try { File.Move(temp, path, overwrite: false); }
        catch (IOException) when (File.Exists(path)) { File.Delete(temp); }
        return File.ReadAllText(path).Trim();
    }
}
