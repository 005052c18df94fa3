using System.Text;

namespace UcjFlow.Workflow.Tests.Support;

/// <summary>A worker for a test roster. NIKs are of Kabupaten Sarolangun (1503..), birth date encoded as the NIK wants.</summary>
public sealed record Worker(string Nik, string Name, string Sex, string BirthDate, string Segment = "petani");

/// <summary>CSV rosters as villages save them (UTF-8 with BOM, comma separated, CRLF).</summary>
public static class Rosters
{
    /// <summary>
    /// <paramref name="count"/> valid workers with distinct NIKs: district 150301, serials from <paramref name="firstSerial"/>,
    /// alternating men (born 12-05-1980) and women (born 03-07-1990, day + 40 in the NIK).
    /// </summary>
    public static IReadOnlyList<Worker> Workers(int count, int firstSerial = 1) =>
        Enumerable.Range(firstSerial, count).Select(i => i % 2 == 0
            ? new Worker($"150301430790{i:0000}", $"Siti Aminah {Letters(i)}", "P", "03-07-1990", "pedagang kecil")
            : new Worker($"150301120580{i:0000}", $"Budi Santoso {Letters(i)}", "L", "12-05-1980")).ToList();

    /// <summary>1 → "A", 26 → "Z", 27 → "AA": names without digits (a digit in a name is a NAME_SUSPICIOUS warning).</summary>
    static string Letters(int n)
    {
        var s = "";
        for (; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }

    public static byte[] Csv(IEnumerable<Worker> workers, params string[][] extraRows)
    {
        var text = new StringBuilder("No,NIK,Nama Lengkap,Jenis Kelamin,Tanggal Lahir,Alamat,Segmen\r\n");
        var n = 0;
        foreach (var w in workers)
            text.Append($"{++n},'{w.Nik},{w.Name},{w.Sex},{w.BirthDate},Jl. Lintas Sumatera,{w.Segment}\r\n");
        foreach (var row in extraRows)
            text.Append(string.Join(',', row)).Append("\r\n");
        return [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text.ToString())];
    }
}
