using UcjFlow.Core.Roster.Reading;

namespace UcjFlow.Core.Tests.Fuzz;

/// <summary>A real roster the fuzzer derives its cases from, with the village it belongs to (for the settings).</summary>
public sealed record FuzzSeed(string Name, RosterFormat Format, string VillageCode, byte[] Content)
{
    public string Extension => Path.GetExtension(Name);

    /// <summary>
    /// The shared samples (Samples/, as written by LibreOffice) and the shared "rosters as they arrive" (Fuzz/Seeds/, copied
    /// from shared/data/rosters-as-they-arrive), plus .xls versions of both xlsx files written by soffice 7
    /// (`soffice --headless --convert-to xls`), so every reader path has real input: OOXML, BIFF8 in OLE2, and CSV in
    /// three encodings and two separators.
    /// </summary>
    public static IReadOnlyList<FuzzSeed> All { get; } = Load();

    private static IReadOnlyList<FuzzSeed> Load()
    {
        var baseDir = AppContext.BaseDirectory;
        (string Path, RosterFormat Format, string Village)[] files =
        [
            (System.IO.Path.Combine(baseDir, "Samples", "13.11.01.2001-lubuk-gadang.xlsx"), RosterFormat.Xlsx, "13.11.01.2001"),
            (System.IO.Path.Combine(baseDir, "Samples", "16.09.01.1014-bumi-agung.csv"), RosterFormat.Csv, "16.09.01.1014"),
            (System.IO.Path.Combine(baseDir, "Fuzz", "Seeds", "13.11.01.2001-lubuk-gadang.xls"), RosterFormat.Xls, "13.11.01.2001"),
            (System.IO.Path.Combine(baseDir, "Fuzz", "Seeds", "13-two-row-merged-header.xlsx"), RosterFormat.Xlsx, "15.03.01.2001"),
            (System.IO.Path.Combine(baseDir, "Fuzz", "Seeds", "13-two-row-merged-header.xls"), RosterFormat.Xls, "15.03.01.2001"),
            (System.IO.Path.Combine(baseDir, "Fuzz", "Seeds", "10-whatsapp-invisible-chars.csv"), RosterFormat.Csv, "15.03.01.2001"),
            (System.IO.Path.Combine(baseDir, "Fuzz", "Seeds", "17-id-locale-csv-thousands-dots.csv"), RosterFormat.Csv, "15.03.01.2001"),
        ];
        return files.Select(f => new FuzzSeed(System.IO.Path.GetFileName(f.Path), f.Format, f.Village, File.ReadAllBytes(f.Path))).ToList();
    }
}
