using UcjFlow.Core.Roster.Values;

namespace UcjFlow.Core.Roster.Reading;

/// <summary>
/// roster.md's header of two rows, as government tables have it: an upper row of headings, some merged across the
/// sub-headings of the row below ("Tempat / Tanggal Lahir" over "Tempat" and "Tanggal"), the others merged down over
/// both rows. The file keeps a merged heading's text in its first cell only, so merges are read from the cells alone
/// (CSV has no merges at all): a heading followed by empty heading cells spans them, a group.
/// The lower row is a row of sub-headings when every cell it fills is text that is neither a number nor a date and
/// lies under a group of two or more columns or under an empty heading, and at least one lies under a group.
/// The sub-headings then name their columns; where the lower row is empty, the upper heading names the column.
/// </summary>
internal static class TwoRowHeader
{
    /// <summary>The columns of <paramref name="upper"/> over <paramref name="lower"/> as one header, or null when
    /// <paramref name="lower"/> is not a row of sub-headings under <paramref name="upper"/>.</summary>
    public static HeaderColumn[]? TryMerge(Cell[] upper, Cell[] lower)
    {
        var width = Math.Max(upper.Length, lower.Length);
        if (!IsSubHeadingRow(upper, lower, width)) return null;

        var columns = new HeaderColumn[width];
        var parent = -1; // the group's first column, while inside a group of two or more columns
        for (var i = 0; i < width; i++)
        {
            var up = At(upper, i);
            if (!up.IsEmpty) parent = GroupWidth(upper, i, width) >= 2 ? i : -1;
            var low = At(lower, i);
            if (low.IsEmpty)
            {
                // A heading merged down, a merged heading's own column without a sub-heading, or nothing.
                columns[i] = up.IsEmpty ? new HeaderColumn(i, "", null) : new HeaderColumn(i, up.Text, HeaderMatcher.Match(up.Text));
                continue;
            }
            var parentTitle = parent >= 0 ? upper[parent].Text : null;
            columns[i] = SubHeading(i, low.Text, parentTitle);
        }
        return columns;
    }

    /// <summary>The field count a header recognises, for choosing between one row and two.</summary>
    public static int Recognised(IReadOnlyList<HeaderColumn> columns)
    {
        var n = 0;
        foreach (var c in columns)
            if (c.Field is not null) n++;
        return n;
    }

    private static bool IsSubHeadingRow(Cell[] upper, Cell[] lower, int width)
    {
        var filledUpper = 0;
        foreach (var c in upper)
        {
            if (c.IsEmpty) continue;
            if (c.Kind != CellKind.Text) return false;
            filledUpper++;
        }
        // One filled cell above is a title over the table, not a row of headings.
        if (filledUpper < 2) return false;

        var underGroup = false;
        var groupEnd = -1; // the last column of the group the scan is in
        for (var i = 0; i < width; i++)
        {
            var up = At(upper, i);
            if (!up.IsEmpty)
            {
                var span = GroupWidth(upper, i, width);
                groupEnd = span >= 2 ? i + span - 1 : -1;
            }
            var low = At(lower, i);
            if (low.IsEmpty) continue;
            if (low.Kind != CellKind.Text || !HasLetter(low.Text) || RosterDates.TryParse(low.Text, DateOnly.MaxValue, out _)) return false;
            if (i <= groupEnd) underGroup = true;
            else if (!up.IsEmpty) return false; // under a heading of one column: that heading is merged down
        }
        return underGroup;
    }

    /// <summary>How many columns the heading at <paramref name="i"/> spans: itself and the empty heading cells after it.</summary>
    private static int GroupWidth(Cell[] upper, int i, int width)
    {
        var j = i + 1;
        while (j < width && At(upper, j).IsEmpty) j++;
        return j - i;
    }

    /// <summary>
    /// A sub-heading names its column on its own ("NIK", "RT"), or with its merged heading: "Tempat" under
    /// "Tempat / Tanggal Lahir" is "Tempat Lahir", "Tanggal" under "Lahir" is "Tanggal Lahir", "Dusun" under "Alamat"
    /// is "Alamat Dusun". Messages show it as "Tanggal (Tempat / Tanggal Lahir)".
    /// </summary>
    private static HeaderColumn SubHeading(int index, string sub, string? parent)
    {
        var field = HeaderMatcher.Match(sub);
        if (field is not null || parent is null) return new HeaderColumn(index, sub, field);
        var parentField = HeaderMatcher.Match(parent);
        var lastWord = parent.Split([' ', '/', ',', '.', '&'], StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } words ? words[^1] : parent;
        field = parentField == RosterField.PlaceAndDateOfBirth
            ? HeaderMatcher.Match(sub + " Lahir") // "TTL" over "Tempat" and "Tgl"
            : HeaderMatcher.Match(sub + " " + lastWord) ?? HeaderMatcher.Match(parent + " " + sub);
        return new HeaderColumn(index, $"{sub} ({parent})", field);
    }

    private static bool HasLetter(string text)
    {
        foreach (var c in text)
            if (char.IsLetter(c)) return true;
        return false;
    }

    private static Cell At(Cell[] cells, int i) => i < cells.Length ? cells[i] : Cell.Empty;
}
