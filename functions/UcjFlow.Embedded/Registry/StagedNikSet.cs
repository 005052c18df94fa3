using System.Text;

namespace UcjFlow.Embedded.Registry;

/// <summary>
/// A batch's staged NIKs as one value: each NIK's 16 ASCII digits, sorted by byte, each once. Staging writes one such
/// value per batch, where an index of the staged rows by NIK took a random insert per row; the DUPLICATE_IN_CAMPAIGN
/// look-up (roster.md) merges it with the sorted NIKs looked up.
/// </summary>
internal static class StagedNikSet
{
    /// <summary>Digits of a NIK (roster.md: NIK_FORMAT); only NIKs of this form are staged.</summary>
    public const int NikLength = 16;

    /// <summary>True when <paramref name="nik"/> is 16 ASCII digits, the only form a staged NIK has.</summary>
    public static bool Fits(string nik) => nik.Length == NikLength && nik.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The set of <paramref name="niks"/>; throws <see cref="ArgumentException"/> for a NIK that is not 16 digits.</summary>
    public static byte[] Pack(IEnumerable<string> niks)
    {
        var sorted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var nik in niks)
        {
            if (!Fits(nik)) throw new ArgumentException("A staged NIK is 16 digits.", nameof(niks));
            sorted.Add(nik);
        }
        var packed = new byte[sorted.Count * NikLength];
        var at = 0;
        foreach (var nik in sorted)
            at += Encoding.ASCII.GetBytes(nik, packed.AsSpan(at));
        return packed;
    }

    /// <summary>The NIKs in both sets, in order: one pass over each.</summary>
    public static List<string> Common(byte[] left, byte[] right)
    {
        var common = new List<string>();
        int i = 0, j = 0;
        while (i < left.Length && j + NikLength <= right.Length)
        {
            var order = left.AsSpan(i, NikLength).SequenceCompareTo(right.AsSpan(j, NikLength));
            if (order == 0) common.Add(Encoding.ASCII.GetString(left, i, NikLength));
            if (order <= 0) i += NikLength;
            if (order >= 0) j += NikLength;
        }
        return common;
    }
}
