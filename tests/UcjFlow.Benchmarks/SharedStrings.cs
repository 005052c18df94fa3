namespace UcjFlow.Benchmarks;

/// <summary>Excel's shared-string table as a writer fills it: each distinct text once, indexed in the order of first use.</summary>
internal sealed class SharedStrings
{
    readonly Dictionary<string, int> indexes = new(StringComparer.Ordinal);

    /// <summary>The texts in index order, for the workbook's sharedStrings part.</summary>
    public List<string> Ordered { get; } = [];

    /// <summary>The index of <paramref name="text"/>, added at the end when new.</summary>
    public int IndexOf(string text)
    {
        if (!indexes.TryGetValue(text, out var i))
        {
            i = Ordered.Count;
            indexes[text] = i;
            Ordered.Add(text);
        }
        return i;
    }
}
