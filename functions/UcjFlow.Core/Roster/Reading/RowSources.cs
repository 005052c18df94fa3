using System.Globalization;
using ExcelDataReader;

namespace UcjFlow.Core.Roster.Reading;

/// <summary>Rows of one sheet, one at a time. Two kinds: ExcelDataReader's (xlsx, xls) and the CSV record reader.</summary>
internal abstract class RowSource : IDisposable
{
    /// <summary>The current row's 1-based sheet row number.</summary>
    public abstract int RowNumber { get; }

    private bool _repeat;

    /// <summary>Moves to the next row of the current sheet; false at its end.</summary>
    public bool Read()
    {
        if (!_repeat) return Advance();
        _repeat = false;
        return true;
    }

    /// <summary>Makes the next <see cref="Read"/> stay on the current row: the header search looked one row ahead.</summary>
    public void RepeatCurrentRow() => _repeat = true;

    protected abstract bool Advance();

    /// <summary>Copies the current row's first <paramref name="cells"/>.Length cells (Empty past the row's end).</summary>
    public abstract void CopyCells(Cell[] cells);

    /// <summary>The current row's cells, up to its last non-empty one (header search only).</summary>
    public abstract Cell[] CellsOfRow();

    public abstract void Dispose();
}

/// <summary>
/// ExcelDataReader's rows. Every call into the library goes through this class, and what the library throws for a
/// damaged file becomes a <see cref="RosterFileException"/> (FILE_CORRUPT, or FILE_ENCRYPTED for a password); any
/// other exception, and every exception of this project's own code, is a bug and propagates as it is.
/// </summary>
internal sealed class ExcelRowSource : RowSource
{
    private readonly IExcelDataReader _reader;
    private int _row;

    private ExcelRowSource(IExcelDataReader reader) => _reader = reader;

    /// <summary>Opens an xlsx or xls workbook on its first sheet.</summary>
    /// <exception cref="RosterFileException">FILE_CORRUPT or FILE_ENCRYPTED.</exception>
    public static ExcelRowSource Open(Stream stream, RosterFormat format, ExcelReaderConfiguration config)
    {
        try
        {
            return new ExcelRowSource(format == RosterFormat.Xlsx
                ? ExcelReaderFactory.CreateOpenXmlReader(stream, config)
                : ExcelReaderFactory.CreateBinaryReader(stream, config));
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            throw FileProblem(ex);
        }
    }

    /// <summary>
    /// What ExcelDataReader 3.6 and the XML and zip readers under it throw for a damaged workbook, as the reader fuzzer
    /// (tests/UcjFlow.Core.Tests/Fuzz) met them: XmlException (garbled xlsx parts), InvalidDataException (broken zip or
    /// deflate data), ExcelReaderException (OLE2 and BIFF structure, passwords), and from the xls reader, which trusts the
    /// offsets and counts in the file, ArgumentException (incl. out of range), IndexOutOfRangeException,
    /// InvalidOperationException, NullReferenceException and OverflowException; FormatException from the xlsx reader
    /// parsing numbers in workbook.xml (a sheetId that is not one).
    /// </summary>
    private static bool IsDamage(Exception ex) => ex is System.Xml.XmlException or InvalidDataException
        or ExcelDataReader.Exceptions.ExcelReaderException or ArgumentException or IndexOutOfRangeException
        or InvalidOperationException or NullReferenceException or OverflowException or FormatException;

    private static RosterFileException FileProblem(Exception ex) => ex is ExcelDataReader.Exceptions.InvalidPasswordException
        ? new RosterFileException(RuleCodes.FileEncrypted, RosterFileException.Encrypted().Message, ex)
        : RosterFileException.Corrupt(ex);

    public override int RowNumber => _row;

    /// <summary>The current sheet's name ("" when it has none).</summary>
    public string SheetName => Call(static r => r.Name ?? "");

    /// <summary>False for hidden and very hidden sheets.</summary>
    public bool SheetVisible => Call(static r => r.VisibleState is not { } state || string.Equals(state, "visible", StringComparison.OrdinalIgnoreCase));

    /// <summary>The current sheet's rows and columns up to the last used cell, as the reader knows them before reading.</summary>
    public (int Rows, int Columns) UsedRange => Call(static r => (r.RowCount, r.FieldCount));

    /// <summary>Resets the row count when the reader moves to another sheet.</summary>
    public void StartSheet() => _row = 0;

    /// <summary>Moves to the next sheet; false after the last.</summary>
    public bool NextSheet() => Call(static r => r.NextResult());

    /// <summary>Reads every sheet from the start until a cell holds a value (asked only when no header was found).</summary>
    public bool AnyCellFromStart() => Call(static r =>
    {
        r.Reset();
        do
        {
            while (r.Read())
                for (var i = 0; i < r.FieldCount; i++)
                    if (r.GetValue(i) is not null) return true;
        } while (r.NextResult());
        return false;
    });

    protected override bool Advance()
    {
        try
        {
            if (!_reader.Read()) return false;
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            throw FileProblem(ex);
        }
        _row++;
        return true;
    }

    public override void CopyCells(Cell[] cells)
    {
        var count = Math.Min(cells.Length, FieldCount);
        for (var i = 0; i < count; i++) cells[i] = ToCell(Value(i));
        for (var i = count; i < cells.Length; i++) cells[i] = Cell.Empty;
    }

    /// <summary>True once the header search met a non-empty cell in any sheet.</summary>
    public bool SawCell { get; private set; }

    public override Cell[] CellsOfRow()
    {
        var last = FieldCount - 1;
        while (last >= 0 && ToCell(Value(last)).IsEmpty) last--;
        if (last >= 0) SawCell = true;
        var cells = new Cell[last + 1];
        CopyCells(cells);
        return cells;
    }

    private int FieldCount => Call(static r => r.FieldCount);

    private object? Value(int i)
    {
        try
        {
            return _reader.GetValue(i);
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            throw FileProblem(ex);
        }
    }

    private T Call<T>(Func<IExcelDataReader, T> call)
    {
        try
        {
            return call(_reader);
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            throw FileProblem(ex);
        }
    }

    internal static Cell ToCell(object? value) => value switch
    {
        null => Cell.Empty,
        string s => TextCell(s),
        double d => NumberCell(d),
        DateTime dt => new Cell(CellKind.Date, dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Date: dt),
        int i => NumberCell(i),
        long l => NumberCell(l),
        float f => NumberCell(f),
        decimal m => NumberCell((double)m),
        bool b => new Cell(CellKind.Text, b ? "TRUE" : "FALSE"),
        TimeSpan t => new Cell(CellKind.Text, t.ToString("c", CultureInfo.InvariantCulture)),
        _ => TextCell(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static Cell TextCell(string s)
    {
        // Trim allocates only when there is something to trim.
        if (s.Length == 0) return Cell.Empty;
        s = Values.TextValues.WithoutFormatCharacters(s);
        if (s.Length == 0) return Cell.Empty;
        if (char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])) s = s.Trim();
        return s.Length == 0 ? Cell.Empty : new Cell(CellKind.Text, s);
    }

    /// <summary>
    /// Whole numbers are written out in full ("3503014101800000", never "3.50301E+15") so the NIK rules see every
    /// digit the file kept; other numbers use the invariant round-trip form.
    /// </summary>
    internal static Cell NumberCell(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) return new Cell(CellKind.Text, d.ToString(CultureInfo.InvariantCulture));
        var text = Math.Abs(d) < 1e18 && Math.Floor(d) == d
            ? ((long)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture);
        return new Cell(CellKind.Number, text, d);
    }

    public override void Dispose() => _reader.Dispose();
}

internal sealed class CsvRowSource(Stream stream, System.Text.Encoding encoding, char separator) : RowSource
{
    private readonly StreamReader _text = new(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
    private readonly List<Cell> _cells = new(32);
    private CsvRecordReader? _records;
    private int _row;

    public override int RowNumber => _row;

    protected override bool Advance()
    {
        _records ??= new CsvRecordReader(_text, separator);
        if (!_records.ReadRecord(_cells)) return false;
        _row++;
        return true;
    }

    public override void CopyCells(Cell[] cells)
    {
        var count = Math.Min(cells.Length, _cells.Count);
        for (var i = 0; i < count; i++) cells[i] = _cells[i];
        for (var i = count; i < cells.Length; i++) cells[i] = Cell.Empty;
    }

    public override Cell[] CellsOfRow()
    {
        var last = _cells.Count - 1;
        while (last >= 0 && _cells[last].IsEmpty) last--;
        var cells = new Cell[last + 1];
        CopyCells(cells);
        return cells;
    }

    public override void Dispose() => _text.Dispose();
}
