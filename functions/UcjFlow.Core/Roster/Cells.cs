namespace UcjFlow.Core.Roster;

/// <summary>What a spreadsheet cell held. The NIK precision rules depend on whether it was text or a number.</summary>
public enum CellKind { Empty, Text, Number, Date }

/// <summary>
/// One cell as the file stored it. <see cref="Text"/> is the text as typed for text cells (trimmed, without invisible
/// format characters: Unicode category Cf), the invariant
/// round-trip form for numbers ("3503014101800001" or "3.50301E+15" never: numbers keep <see cref="Number"/>),
/// and ISO "yyyy-MM-dd" for dates.
/// </summary>
public readonly record struct Cell(CellKind Kind, string Text, double Number = 0, DateTime Date = default)
{
    public static Cell Empty => new(CellKind.Empty, "");
    public bool IsEmpty => Kind == CellKind.Empty;
}

/// <summary>
/// A data row after the header: <see cref="Row"/> is the sheet's own 1-based row number. The reader gives every row
/// its own cell array, as wide as the header row, so consumers may keep rows; past its end the indexer gives Empty.
/// </summary>
public sealed record SheetRow(int Row, IReadOnlyList<Cell> Cells)
{
    public Cell this[int column] => column >= 0 && column < Cells.Count ? Cells[column] : Cell.Empty;
}

/// <summary>The roster fields of roster.md's header table.</summary>
public enum RosterField
{
    Nik, Name, Kk, Sex, BirthPlace, BirthDate, PlaceAndDateOfBirth, Address, Rt, Rw, RtRw,
    Village, District, Occupation, Segment, Phone, Source, Note,
    /// <summary>"No", "No Urut": row numbers, never data.</summary>
    Ignored,
    /// <summary>A renewal roster's "Lanjut?" column: Ya (or empty) keeps the person, Tidak removes them (<see cref="RenewalAnswers"/>).</summary>
    Renewal,
    /// <summary>A renewal roster's "Alasan berhenti" column: why a person marked Tidak stops (<see cref="RenewalReasons"/>).</summary>
    RenewalReason,
}

/// <summary>A header cell: its 0-based column index, its title as written, and the field it was recognised as (if any).</summary>
public sealed record HeaderColumn(int Index, string Title, RosterField? Field);

/// <summary>
/// The header found: sheet name, its first 1-based row number, its columns, and how many rows it spans (1, or 2 for
/// a heading row over a row of sub-headings: roster.md's header of two rows).
/// </summary>
public sealed record RosterHeader(string Sheet, int Row, IReadOnlyList<HeaderColumn> Columns, int Rows = 1)
{
    /// <summary>The header's last row: data rows start after it.</summary>
    public int LastRow => Row + Rows - 1;

    /// <summary>The column index of the first column recognised as <paramref name="field"/>, or -1.</summary>
    public int IndexOf(RosterField field)
    {
        foreach (var c in Columns)
            if (c.Field == field) return c.Index;
        return -1;
    }

    /// <summary>The title as the village wrote it, for messages ("kolom NIK KTP").</summary>
    public string TitleOf(RosterField field)
    {
        foreach (var c in Columns)
            if (c.Field == field) return c.Title;
        return field.ToString();
    }
}

/// <summary>Configurable limits, checked before anything is read whole.</summary>
public sealed record RosterLimits(long MaxBytes = 20L * 1024 * 1024, int MaxRows = 200_000, long MaxInflatedBytes = 200L * 1024 * 1024)
{
    public static RosterLimits Default { get; } = new();
}
