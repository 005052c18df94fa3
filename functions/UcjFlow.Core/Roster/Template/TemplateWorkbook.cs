using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SheetCell = DocumentFormat.OpenXml.Spreadsheet.Cell;
using SheetColumn = DocumentFormat.OpenXml.Spreadsheet.Column;

namespace UcjFlow.Core.Roster.Template;

/// <summary>Cell formats of the template workbooks; the value is the index into <see cref="TemplateWorkbook"/>'s cell formats.</summary>
internal enum TemplateFormat : uint { General = 0, Header = 1, Text = 2, Date = 3, Title = 4, Wrap = 5 }

/// <summary>
/// One column of a template's <c>Data</c> sheet: its header title, width (characters), format (text for NIK and KK, so
/// typed digits stay text), whether it is required, its explanation and example for the <c>Petunjuk</c> sheet, the
/// field the reader recognises it as, and an optional drop-down list (<see cref="Choices"/>; with
/// <see cref="ChoicesStrict"/> false a value outside the list is allowed after a warning).
/// </summary>
internal sealed record TemplateColumn(
    string Title, double Width, TemplateFormat Format, bool Required, string Explanation, string Example, RosterField Field)
{
    public IReadOnlyList<string>? Choices { get; init; }
    public string? ChoicesMessage { get; init; }
    public bool ChoicesStrict { get; init; } = true;
}

/// <summary>
/// The workbook both template writers write (OpenXML SDK): a <c>Data</c> sheet, streamed with <see cref="OpenXmlWriter"/>
/// (header row, then <see cref="AppendRow"/> rows, then drop-downs over the prepared rows), and a <c>Petunjuk</c> sheet
/// explaining every column. Each written cell takes its column's format, so a pre-filled NIK stays a text cell when
/// the village edits it; empty cells below take it from the column's style.
/// </summary>
internal sealed class TemplateWorkbook : IDisposable
{
    public const string DataSheet = "Data";
    public const string GuideSheet = "Petunjuk";

    private readonly SpreadsheetDocument _doc;
    private readonly WorkbookPart _wb;
    private readonly WorksheetPart _data;
    private readonly OpenXmlWriter _writer;
    private readonly IReadOnlyList<TemplateColumn> _columns;
    private int _row = 1;
    private bool _finished;

    /// <summary>Starts the workbook on <paramref name="output"/> (written when disposed) and writes the header row.</summary>
    public TemplateWorkbook(Stream output, IReadOnlyList<TemplateColumn> columns)
    {
        _columns = columns;
        _doc = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        _wb = _doc.AddWorkbookPart();
        _wb.Workbook = new Workbook();
        _wb.AddNewPart<WorkbookStylesPart>().Stylesheet = BuildStyles();
        _data = _wb.AddNewPart<WorksheetPart>();
        _writer = OpenXmlWriter.Create(_data);

        // Schema order: views, format, cols, data, validations. Frozen header row.
        _writer.WriteStartElement(new Worksheet());
        _writer.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { TabSelected = true, WorkbookViewId = 0 }));
        _writer.WriteElement(new SheetFormatProperties { DefaultRowHeight = 15 });
        var cols = new Columns();
        for (var i = 0; i < columns.Count; i++)
        {
            // The column's style is what Excel and LibreOffice give cells typed into it later: text for NIK and KK.
            cols.AppendChild(new SheetColumn
            {
                Min = (uint)(i + 1), Max = (uint)(i + 1), Width = columns[i].Width, CustomWidth = true,
                Style = columns[i].Format == TemplateFormat.General ? null : (uint)columns[i].Format,
            });
        }
        _writer.WriteElement(cols);
        _writer.WriteStartElement(new SheetData());
        var header = new Row { RowIndex = 1 };
        for (var i = 0; i < columns.Count; i++) header.AppendChild(InlineText(Ref(i, 1), columns[i].Title, TemplateFormat.Header));
        _writer.WriteElement(header);
    }

    /// <summary>Data rows written so far (the header not counted).</summary>
    public int Rows => _row - 1;

    /// <summary>
    /// Writes the next data row. <paramref name="values"/> is indexed like the columns (shorter is fine): a string is a
    /// text cell, a <see cref="DateOnly"/> a date cell, null no cell.
    /// </summary>
    public void AppendRow(IReadOnlyList<object?> values)
    {
        var r = ++_row;
        _writer.WriteStartElement(new Row { RowIndex = (uint)r });
        for (var i = 0; i < values.Count && i < _columns.Count; i++)
        {
            switch (values[i])
            {
                case null:
                    break;
                case string s when s.Length > 0:
                    _writer.WriteElement(InlineText(Ref(i, r), s, _columns[i].Format));
                    break;
                case DateOnly d:
                    _writer.WriteElement(new SheetCell
                    {
                        CellReference = Ref(i, r), StyleIndex = (uint)TemplateFormat.Date,
                        CellValue = new CellValue(d.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(CultureInfo.InvariantCulture)),
                    });
                    break;
                case string:
                    break;
                default:
                    throw new ArgumentException($"Unsupported cell value {values[i]!.GetType().Name}", nameof(values));
            }
        }
        _writer.WriteEndElement();
    }

    /// <summary>
    /// Closes the <c>Data</c> sheet with its drop-downs over rows 2 … <paramref name="lastPreparedRow"/> and writes the
    /// <c>Petunjuk</c> sheet: <paramref name="title"/>, <paramref name="intro"/> lines, the column table, then
    /// <paramref name="notes"/> under "Catatan penting".
    /// </summary>
    public void Finish(int lastPreparedRow, string title, IReadOnlyList<string> intro, IReadOnlyList<string> notes)
    {
        if (_finished) throw new InvalidOperationException("The workbook is finished already.");
        _finished = true;
        _writer.WriteEndElement(); // sheetData
        _writer.WriteElement(BuildValidations(Math.Max(lastPreparedRow, _row)));
        _writer.WriteEndElement(); // worksheet
        _writer.Close();

        var guide = _wb.AddNewPart<WorksheetPart>();
        guide.Worksheet = BuildGuideSheet(title, intro, notes);
        _wb.Workbook.AppendChild(new BookViews(new WorkbookView { ActiveTab = 0 }));
        _wb.Workbook.AppendChild(new Sheets(
            new Sheet { Id = _wb.GetIdOfPart(_data), SheetId = 1, Name = DataSheet },
            new Sheet { Id = _wb.GetIdOfPart(guide), SheetId = 2, Name = GuideSheet }));
        _wb.Workbook.Save();
    }

    public void Dispose()
    {
        if (!_finished) _writer.Dispose();
        _doc.Dispose();
    }

    private DataValidations BuildValidations(int lastRow)
    {
        var validations = new DataValidations();
        for (var i = 0; i < _columns.Count; i++)
        {
            var c = _columns[i];
            var col = ColumnName(i);
            var range = new ListValue<StringValue> { InnerText = $"{col}2:{col}{lastRow}" };
            if (c.Choices is { } choices)
            {
                validations.AppendChild(new DataValidation
                {
                    Type = DataValidationValues.List, AllowBlank = true, ShowErrorMessage = true, ShowInputMessage = true,
                    ErrorStyle = c.ChoicesStrict ? null : DataValidationErrorStyleValues.Warning,
                    ErrorTitle = "Pilihan tidak ada", Error = c.ChoicesMessage, PromptTitle = c.Title, Prompt = c.ChoicesMessage,
                    SequenceOfReferences = range,
                    // A list formula is comma separated: a comma inside an item would split it.
                    Formula1 = new Formula1("\"" + string.Join(",", choices.Select(x => x.Replace(",", " "))) + "\""),
                });
            }
            else if (c.Field == RosterField.Nik)
            {
                validations.AppendChild(new DataValidation
                {
                    Type = DataValidationValues.TextLength, Operator = DataValidationOperatorValues.Equal, AllowBlank = true,
                    ShowErrorMessage = true, ErrorStyle = DataValidationErrorStyleValues.Warning, ErrorTitle = "NIK harus 16 angka",
                    Error = "NIK harus 16 angka sesuai KTP/KK. Periksa kembali.",
                    SequenceOfReferences = range,
                    Formula1 = new Formula1("16"),
                });
            }
        }
        validations.Count = (uint)validations.ChildElements.Count;
        return validations;
    }

    private Worksheet BuildGuideSheet(string title, IReadOnlyList<string> intro, IReadOnlyList<string> notes)
    {
        var rows = new SheetData();
        var r = 1;
        void Line(params (string Text, TemplateFormat Format)[] cells)
        {
            var row = new Row { RowIndex = (uint)r };
            for (var i = 0; i < cells.Length; i++)
                if (cells[i].Text.Length > 0) row.AppendChild(InlineText(Ref(i, r), cells[i].Text, cells[i].Format));
            rows.AppendChild(row);
            r++;
        }
        Line((title, TemplateFormat.Title));
        foreach (var line in intro) Line((line, TemplateFormat.General));
        Line();
        Line(("Kolom", TemplateFormat.Header), ("Wajib", TemplateFormat.Header), ("Penjelasan", TemplateFormat.Header), ("Contoh", TemplateFormat.Header));
        foreach (var c in _columns)
            Line((c.Title, TemplateFormat.General), (c.Required ? "Wajib" : "Tidak", TemplateFormat.General),
                (c.Explanation, TemplateFormat.Wrap), (c.Example, TemplateFormat.Text));
        Line();
        Line(("Catatan penting", TemplateFormat.Title));
        for (var i = 0; i < notes.Count; i++) Line(($"{i + 1}. {notes[i]}", TemplateFormat.Wrap));
        var cols = new Columns(
            new SheetColumn { Min = 1, Max = 1, Width = 18, CustomWidth = true },
            new SheetColumn { Min = 2, Max = 2, Width = 8, CustomWidth = true },
            new SheetColumn { Min = 3, Max = 3, Width = 80, CustomWidth = true },
            new SheetColumn { Min = 4, Max = 4, Width = 20, CustomWidth = true });
        return new Worksheet(cols, rows);
    }

    private static SheetCell InlineText(string reference, string text, TemplateFormat format)
    {
        var cell = new SheetCell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };
        if (format != TemplateFormat.General) cell.StyleIndex = (uint)format;
        return cell;
    }

    private static string Ref(int column, int row) => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    private static string ColumnName(int column)
    {
        var name = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name;
    }

    /// <summary>Cell formats by <see cref="TemplateFormat"/> value: general, bold header on grey, text (@), date, bold title, wrapped.</summary>
    private static Stylesheet BuildStyles() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "dd\\-mm\\-yyyy" }) { Count = 1 },
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 13 }, new FontName { Val = "Calibri" })) { Count = 3 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFD9E1F2" }) { PatternType = PatternValues.Solid })) { Count = 3 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Center }) { FontId = 1, FillId = 2, ApplyFont = true, ApplyFill = true, ApplyAlignment = true },
            new CellFormat { NumberFormatId = 49, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { FontId = 2, ApplyFont = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true }) { Count = 6 });
}
