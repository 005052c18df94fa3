using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace UcjFlow.Core.Tests.Fixtures;

/// <summary>
/// Writes real .xlsx workbooks with the OpenXML SDK, the way Excel stores them: strings in the shared-string table,
/// numbers as numbers (a NIK typed into a General cell becomes a number), dates as serial numbers with a date format.
/// <code>
/// var bytes = new XlsxRoster()
///     .Sheet("Data").Row("DAFTAR PESERTA").Merge("A1:D1").Row("No", "NIK", "Nama").Row(1, XlsxRoster.Text("3503..."), "ANI")
///     .ToBytes();
/// </code>
/// Row values: string → text; int/long/double/decimal → number; DateTime/DateOnly → date cell (dd-mm-yyyy);
/// bool → boolean; null → no cell; <see cref="Text"/> → text even when it looks like a number;
/// <see cref="Num"/> → a number with an explicit number format (e.g. "@" or "0").
/// </summary>
public sealed class XlsxRoster
{
    private readonly List<SheetSpec> _sheets = [];

    /// <summary>A cell value written as text (a NIK in a text-formatted column).</summary>
    public sealed record TextValue(string Value);

    /// <summary>A number written with the given number format code.</summary>
    public sealed record NumberValue(double Value, string FormatCode);

    public static TextValue Text(string value) => new(value);

    public static NumberValue Num(double value, string formatCode) => new(value, formatCode);

    /// <summary>Starts a sheet; later <see cref="Row(object?[])"/> calls fill it.</summary>
    public XlsxRoster Sheet(string name, bool hidden = false, bool veryHidden = false)
    {
        _sheets.Add(new SheetSpec(name, hidden ? SheetStateValues.Hidden : veryHidden ? SheetStateValues.VeryHidden : null));
        return this;
    }

    /// <summary>Appends a row right after the last one of the current sheet.</summary>
    public XlsxRoster Row(params object?[] values)
    {
        var sheet = Current;
        sheet.Rows.Add((sheet.NextRow, values));
        sheet.NextRow++;
        return this;
    }

    /// <summary>Writes a row at the given 1-based row number (rows in between stay absent from the file).</summary>
    public XlsxRoster RowAt(int rowNumber, params object?[] values)
    {
        var sheet = Current;
        if (rowNumber < sheet.NextRow) throw new ArgumentOutOfRangeException(nameof(rowNumber), "rows must ascend");
        sheet.Rows.Add((rowNumber, values));
        sheet.NextRow = rowNumber + 1;
        return this;
    }

    /// <summary>Appends many rows (e.g. generated data).</summary>
    public XlsxRoster Rows(IEnumerable<object?[]> rows)
    {
        foreach (var r in rows) Row(r);
        return this;
    }

    /// <summary>Merges a range of the current sheet, e.g. "A1:F1".</summary>
    public XlsxRoster Merge(string range)
    {
        Current.Merges.Add(range);
        return this;
    }

    private SheetSpec Current => _sheets.Count > 0 ? _sheets[^1] : throw new InvalidOperationException("call Sheet(...) first");

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        WriteTo(ms);
        return ms.ToArray();
    }

    public string SaveAs(string path)
    {
        using (var fs = File.Create(path)) WriteTo(fs);
        return path;
    }

    public void WriteTo(Stream stream)
    {
        if (_sheets.Count == 0) Sheet("Sheet1");
        using var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var wbPart = doc.AddWorkbookPart();
        wbPart.Workbook = new Workbook();
        var styles = new StyleTable();
        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        var sstPart = wbPart.AddNewPart<SharedStringTablePart>();
        var sst = new SharedStringTable();
        // The active tab must be a visible sheet, or office suites unhide the first sheet when they open the file.
        var activeTab = Math.Max(0, _sheets.FindIndex(sh => sh.State is null));
        wbPart.Workbook.AppendChild(new BookViews(new WorkbookView { ActiveTab = (uint)activeTab, FirstSheet = (uint)activeTab }));
        var sheets = wbPart.Workbook.AppendChild(new Sheets());
        uint id = 1;
        foreach (var spec in _sheets)
        {
            var wsPart = wbPart.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(wsPart))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                foreach (var (rowNumber, values) in spec.Rows)
                {
                    writer.WriteStartElement(new Row { RowIndex = (uint)rowNumber });
                    for (var c = 0; c < values.Length; c++)
                    {
                        var cell = MakeCell(values[c], CellRef(c, rowNumber), styles, strings, sst);
                        if (cell is not null) writer.WriteElement(cell);
                    }
                    writer.WriteEndElement();
                }
                writer.WriteEndElement();
                if (spec.Merges.Count > 0)
                {
                    writer.WriteStartElement(new MergeCells());
                    foreach (var m in spec.Merges) writer.WriteElement(new MergeCell { Reference = m });
                    writer.WriteEndElement();
                }
                writer.WriteEndElement();
            }
            var sheet = new Sheet { Id = wbPart.GetIdOfPart(wsPart), SheetId = id++, Name = spec.Name };
            if (spec.State is { } state) sheet.State = state;
            sheets.AppendChild(sheet);
        }
        sstPart.SharedStringTable = sst;
        var stylesPart = wbPart.AddNewPart<WorkbookStylesPart>();
        stylesPart.Stylesheet = styles.Build();
        wbPart.Workbook.Save();
    }

    private static Cell? MakeCell(object? value, string reference, StyleTable styles, Dictionary<string, int> strings, SharedStringTable sst)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return SharedString(s, reference, strings, sst, 0);
            case TextValue t:
                return SharedString(t.Value, reference, strings, sst, styles.Index("@"));
            case NumberValue n:
                return new Cell { CellReference = reference, CellValue = new CellValue(n.Value.ToString("R", CultureInfo.InvariantCulture)), StyleIndex = styles.Index(n.FormatCode) };
            case DateTime dt:
                return new Cell { CellReference = reference, CellValue = new CellValue(dt.ToOADate().ToString("R", CultureInfo.InvariantCulture)), StyleIndex = styles.Index("dd\\-mm\\-yyyy") };
            case DateOnly d:
                return MakeCell(d.ToDateTime(TimeOnly.MinValue), reference, styles, strings, sst);
            case bool b:
                return new Cell { CellReference = reference, DataType = CellValues.Boolean, CellValue = new CellValue(b ? "1" : "0") };
            case int or long or double or decimal or float:
                return new Cell { CellReference = reference, CellValue = new CellValue(Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)) };
            default:
                throw new ArgumentException($"unsupported cell value {value.GetType()}");
        }
    }

    private static Cell SharedString(string s, string reference, Dictionary<string, int> strings, SharedStringTable sst, uint style)
    {
        if (!strings.TryGetValue(s, out var index))
        {
            index = strings.Count;
            strings[s] = index;
            sst.AppendChild(new SharedStringItem(new DocumentFormat.OpenXml.Spreadsheet.Text(s) { Space = SpaceProcessingModeValues.Preserve }));
        }
        var cell = new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(index.ToString(CultureInfo.InvariantCulture)) };
        if (style != 0) cell.StyleIndex = style;
        return cell;
    }

    /// <summary>"A1"-style reference of a 0-based column and 1-based row.</summary>
    public static string CellRef(int column, int row) => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    public static string ColumnName(int column)
    {
        var name = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name;
    }

    private sealed class SheetSpec(string name, SheetStateValues? state)
    {
        public string Name { get; } = name;
        public SheetStateValues? State { get; } = state;
        public List<(int Row, object?[] Values)> Rows { get; } = [];
        public List<string> Merges { get; } = [];
        public int NextRow { get; set; } = 1;
    }

    /// <summary>Cell formats by number format code; index 0 is General.</summary>
    private sealed class StyleTable
    {
        private readonly List<string> _codes = [];

        public uint Index(string code)
        {
            var i = _codes.IndexOf(code);
            if (i < 0)
            {
                _codes.Add(code);
                i = _codes.Count - 1;
            }
            return (uint)(i + 1);
        }

        public Stylesheet Build()
        {
            var numberingFormats = new NumberingFormats();
            var cellFormats = new CellFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 });
            for (var i = 0; i < _codes.Count; i++)
            {
                uint numFmtId = _codes[i] switch { "@" => 49, "0" => 1, _ => (uint)(164 + i) };
                if (numFmtId >= 164) numberingFormats.AppendChild(new NumberingFormat { NumberFormatId = numFmtId, FormatCode = _codes[i] });
                cellFormats.AppendChild(new CellFormat { NumberFormatId = numFmtId, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true });
            }
            var sheet = new Stylesheet();
            if (numberingFormats.HasChildren) sheet.AppendChild(numberingFormats);
            sheet.AppendChild(new Fonts(new Font()));
            sheet.AppendChild(new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })));
            sheet.AppendChild(new Borders(new Border()));
            sheet.AppendChild(new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }));
            sheet.AppendChild(cellFormats);
            return sheet;
        }
    }
}
