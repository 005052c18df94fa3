namespace UcjFlow.Embedded.Storage;

/// <summary>What writes a crash cut short leave behind in the data folder; each writer names its own temp-file pattern.</summary>
public static class LeftoverFiles
{
    /// <summary>
    /// Deletes the files directly in <paramref name="folder"/> matching <paramref name="pattern"/> (a file-system
    /// pattern, e.g. <c>*.part</c>); returns how many. A folder that does not exist holds none.
    /// </summary>
    public static int Delete(string folder, string pattern)
    {
        if (!Directory.Exists(folder)) return 0;
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(folder, pattern))
        {
            File.Delete(file);
            deleted++;
        }
        return deleted;
    }
}
