using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Regions;
using UcjFlow.Core.Roster;
using Cell = DocumentFormat.OpenXml.Spreadsheet.Cell;
using Sex = UcjFlow.Core.Roster.Sex;

namespace UcjFlow.Core.Export;

/// <summary>
/// What one export covers: the campaign (village, district and segment names), and the coverage period the
/// BPJS branch registers the workers for (by default the campaign's coverage start and funded months).
/// </summary>
public sealed record BpjsExportContext(Campaign Campaign, DateOnly CoverageStart, int Months)
{
    public static BpjsExportContext For(Campaign campaign) => new(campaign, campaign.CoverageStart, campaign.MonthsFunded);
}

/// <summary>
/// The registration list for BPJS Ketenagakerjaan of an approved batch, as xlsx and csv. This is the one output
/// where NIKs stay whole. Rows are streamed: neither writer holds the batch in memory.
/// </summary>
public static class BpjsExport
{
    public const string Programme = "JKK+JKM";
    public const string SheetName = "Peserta";

    public static IReadOnlyList<string> Columns { get; } =
    [
        "NIK", "Nama", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin", "Alamat", "Desa/Kelurahan", "Kecamatan",
        "No HP", "Segmen", "Program", "Mulai Kepesertaan", "Jumlah Bulan", "Sumber Dana",
    ];

    /// <summary>One export row as text, in <see cref="Columns"/> order (dates dd-MM-yyyy, sex L/P).</summary>
    internal sealed record Line(
        string Nik, string Name, string BirthPlace, DateOnly BirthDate, string Sex, string Address,
        string Village, string District, string Phone, string Segment, DateOnly CoverageStart, int Months, string Funding);

    private sealed class Names(BpjsExportContext context)
    {
        private readonly Dictionary<string, (string Village, string District)> _places = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _segments = context.Campaign.Segments.ToDictionary(s => s.Code, s => s.Name, StringComparer.Ordinal);
        private readonly Dictionary<string, string> _funding = new(StringComparer.Ordinal);

        /// <summary>
        /// Who pays this person's premium over the funded months (issue 13.6): each funder's rupiah, from the campaign's
        /// tariffs for the segment and its cost shares ("APBD Kabupaten Rp 120.960; APBD Provinsi Rp 80.640").
        /// </summary>
        private string Funding(string segmentCode)
        {
            if (_funding.TryGetValue(segmentCode, out var text)) return text;
            var known = context.Campaign.Segments.Any(s => s.Code == segmentCode) ? segmentCode : null;
            text = string.Join("; ", context.Campaign.CostByFunder(known, 1).Select(p => $"{p.Funder.Name} {Mail.IndonesianFormat.Rupiah(p.Rupiah)}"));
            _funding[segmentCode] = text;
            return text;
        }

        public Line LineOf(Enrollee e)
        {
            if (!_places.TryGetValue(e.VillageCode, out var place))
            {
                var v = context.Campaign.Village(e.VillageCode);
                var r = v is null ? RegionCodes.Default.Village(e.VillageCode) : null;
                place = v is not null ? ($"{v.Kind} {v.Name}", v.DistrictName)
                      : r is not null ? ($"{r.Kind} {r.Name}", r.District.Name)
                      : (e.VillageCode, "");
                _places[e.VillageCode] = place;
            }
            return new Line(e.Nik, e.Name, e.BirthPlace ?? "", e.BirthDate, e.Sex == Sex.Female ? "P" : "L", e.Address ?? "",
                place.Village, place.District, e.Phone ?? "", _segments.GetValueOrDefault(e.SegmentCode, e.SegmentCode),
                context.CoverageStart, context.Months, Funding(e.SegmentCode));
        }
    }

    public static string FormatDate(DateOnly d) => d.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

    // ---------------- CSV ----------------

    /// <summary>CSV: UTF-8 with BOM, comma separated, CRLF, formula injection neutralised in every field.</summary>
    public static async Task WriteCsvAsync(Stream output, IAsyncEnumerable<Enrollee> enrollees, BpjsExportContext context, CancellationToken cancellationToken = default)
    {
        var names = new Names(context);
        await using var writer = CsvWriter(output);
        await writer.WriteAsync(CsvHeader).ConfigureAwait(false);
        await foreach (var e in enrollees.WithCancellation(cancellationToken).ConfigureAwait(false))
            await writer.WriteAsync(CsvLine(names.LineOf(e))).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static StreamWriter CsvWriter(Stream output) => new(output, Coverage.CsvText.Utf8Bom, 65536, leaveOpen: true);

    private static string CsvHeader => Coverage.CsvText.Line([.. Columns]);

    private static string CsvLine(Line l) => Coverage.CsvText.Line(
        [l.Nik, l.Name, l.BirthPlace, FormatDate(l.BirthDate), l.Sex, l.Address, l.Village, l.District, l.Phone, l.Segment,
         Programme, FormatDate(l.CoverageStart), l.Months.ToString(CultureInfo.InvariantCulture), l.Funding]);

    public static Task WriteCsvAsync(Stream output, IEnumerable<Enrollee> enrollees, BpjsExportContext context, CancellationToken cancellationToken = default) =>
        WriteCsvAsync(output, enrollees.ToAsyncEnumerable(), context, cancellationToken);

    // ---------------- XLSX ----------------

    private const uint StyleText = 1, StyleDate = 2, StyleHeader = 3;

    /// <summary>
    /// xlsx, streamed with OpenXmlWriter: NIK and phone as text cells formatted "@" (Excel keeps all 16 digits and the
    /// leading 0), dates as real dates shown dd-mm-yyyy, months as a number. A non-seekable <paramref name="output"/>
    /// is served through a temporary file (the zip package needs to seek).
    /// </summary>
    public static async Task WriteXlsxAsync(Stream output, IAsyncEnumerable<Enrollee> enrollees, BpjsExportContext context, CancellationToken cancellationToken = default)
    {
        if (!output.CanSeek)
        {
            await using var buffer = TempFile();
            await WriteXlsxAsync(buffer, enrollees, context, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            await buffer.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            return;
        }

        var names = new Names(context);
        await WriteWorkbookAsync(output, async cells =>
        {
            await foreach (var e in enrollees.WithCancellation(cancellationToken).ConfigureAwait(false))
                XlsxRow(cells, names.LineOf(e));
        }).ConfigureAwait(false);
    }

    private static void XlsxRow(CellWriter cells, Line l)
    {
        cells.StartRow(cells.Row + 1);
        cells.Text(0, l.Nik); cells.Text(1, l.Name); cells.Text(2, l.BirthPlace); cells.Date(3, l.BirthDate); cells.Text(4, l.Sex);
        cells.Text(5, l.Address); cells.Text(6, l.Village); cells.Text(7, l.District); cells.Text(8, l.Phone); cells.Text(9, l.Segment);
        cells.Text(10, Programme); cells.Date(11, l.CoverageStart); cells.Number(12, l.Months); cells.Text(13, l.Funding);
        cells.EndRow();
    }

    /// <summary>
    /// The xlsx (<see cref="WriteXlsxAsync(Stream, IAsyncEnumerable{Enrollee}, BpjsExportContext, CancellationToken)"/>) and
    /// the csv (<see cref="WriteCsvAsync(Stream, IAsyncEnumerable{Enrollee}, BpjsExportContext, CancellationToken)"/>) of the
    /// same rows in one pass over <paramref name="enrollees"/>: each row is read once (one registry query per batch instead
    /// of two) and goes to both files. Returns the number of data rows. The files are what the two writers write alone.
    /// </summary>
    public static async Task<int> WriteXlsxAndCsvAsync(Stream xlsx, Stream csv, IAsyncEnumerable<Enrollee> enrollees, BpjsExportContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        if (!xlsx.CanSeek)
        {
            await using var buffer = TempFile();
            var count = await WriteXlsxAndCsvAsync(buffer, csv, enrollees, context, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            await buffer.CopyToAsync(xlsx, cancellationToken).ConfigureAwait(false);
            return count;
        }

        var names = new Names(context);
        var rows = 0;
        await using var writer = CsvWriter(csv);
        await writer.WriteAsync(CsvHeader).ConfigureAwait(false);
        await WriteWorkbookAsync(xlsx, async cells =>
        {
            await foreach (var e in enrollees.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var l = names.LineOf(e);
                XlsxRow(cells, l);
                await writer.WriteAsync(CsvLine(l)).ConfigureAwait(false);
                rows++;
            }
        }).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>The workbook around the data rows: styles, the frozen header row, column widths, one sheet <see cref="SheetName"/>.</summary>
    private static async Task WriteWorkbookAsync(Stream output, Func<CellWriter, Task> writeRows)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Stylesheet();
        styles.Stylesheet.Save();
        var sheetPart = workbookPart.AddNewPart<WorksheetPart>();

        using (var w = OpenXmlWriter.Create(sheetPart))
        {
            w.WriteStartElement(new Worksheet());
            w.WriteElement(new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen }) { WorkbookViewId = 0 }));
            w.WriteElement(new Columns(Widths.Select((width, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = width, CustomWidth = true })));
            w.WriteStartElement(new SheetData());
            var cells = new CellWriter(w);
            cells.StartRow(1);
            for (var i = 0; i < Columns.Count; i++) cells.Text(i, Columns[i], StyleHeader);
            cells.EndRow();
            await writeRows(cells).ConfigureAwait(false);
            w.WriteEndElement(); // sheetData
            w.WriteEndElement(); // worksheet
        }

        var sheetId = workbookPart.GetIdOfPart(sheetPart);
        using (var w = OpenXmlWriter.Create(workbookPart))
        {
            w.WriteStartElement(new Workbook());
            w.WriteElement(new Sheets(new Sheet { Name = SheetName, SheetId = 1, Id = sheetId }));
            w.WriteEndElement();
        }
    }

    public static Task WriteXlsxAsync(Stream output, IEnumerable<Enrollee> enrollees, BpjsExportContext context, CancellationToken cancellationToken = default) =>
        WriteXlsxAsync(output, enrollees.ToAsyncEnumerable(), context, cancellationToken);

    // ---------------- Consolidated (several batches' exports into one) ----------------

    /// <summary>
    /// One CSV of several batches built from their own CSV exports (<see cref="WriteCsvAsync(Stream, IAsyncEnumerable{Enrollee}, BpjsExportContext, CancellationToken)"/>),
    /// in the order given: one BOM and header, then each export's lines after its header, copied as they are (already
    /// neutralised). Streamed: one export open at a time, each disposed once copied. An export whose header is not
    /// <see cref="Columns"/> throws <see cref="InvalidDataException"/> (written by another version: rewrite it first).
    /// </summary>
    public static async Task WriteConsolidatedCsvAsync(Stream output, IAsyncEnumerable<Stream> batchExports, CancellationToken cancellationToken = default)
    {
        var header = CsvHeader;
        await using var writer = CsvWriter(output);
        await writer.WriteAsync(header).ConfigureAwait(false);
        var buffer = new char[32768];
        await foreach (var export in batchExports.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await using (export.ConfigureAwait(false))
            {
                using var reader = new StreamReader(export, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var first = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (first + "\r\n" != header) throw new InvalidDataException("A batch export has other columns than this version writes.");
                int read;
                while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One xlsx of several batches built from their own xlsx exports, in the order given: the same sheet, styles and header,
    /// then each export's data rows renumbered. Only values are copied (inline text with its style, numbers and dates): a
    /// formula in a source cell is never carried over. Streamed row by row with OpenXmlReader/OpenXmlWriter, one export open
    /// at a time (a non-seekable one is copied to a temporary file first); a non-seekable <paramref name="output"/> is served
    /// through a temporary file. An export whose header is not <see cref="Columns"/> throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task WriteConsolidatedXlsxAsync(Stream output, IAsyncEnumerable<Stream> batchExports, CancellationToken cancellationToken = default)
    {
        if (!output.CanSeek)
        {
            await using var buffer = TempFile();
            await WriteConsolidatedXlsxAsync(buffer, batchExports, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            await buffer.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            return;
        }
        await WriteWorkbookAsync(output, async cells =>
        {
            await foreach (var export in batchExports.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await using (export.ConfigureAwait(false))
                {
                    Stream source = export;
                    FileStream? copy = null;
                    if (!export.CanSeek)
                    {
                        copy = TempFile();
                        await export.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                        copy.Position = 0;
                        source = copy;
                    }
                    try { CopyRows(source, cells, cancellationToken); }
                    finally { if (copy is not null) await copy.DisposeAsync().ConfigureAwait(false); }
                }
            }
        }).ConfigureAwait(false);
    }

    private static FileStream TempFile() => new(Path.Combine(Path.GetTempPath(), $"ucj-export-{Guid.NewGuid():N}.tmp"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    /// <summary>The data rows of one export's first sheet onto <paramref name="cells"/>, after checking its header row.</summary>
    private static void CopyRows(Stream source, CellWriter cells, CancellationToken cancellationToken)
    {
        using var document = SpreadsheetDocument.Open(source, isEditable: false);
        var workbook = document.WorkbookPart ?? throw new InvalidDataException("A batch export has no workbook.");
        var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new InvalidDataException("A batch export has no sheet.");
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        using var reader = OpenXmlReader.Create(part);
        var header = true;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement) continue;
            cancellationToken.ThrowIfCancellationRequested();
            var row = (Row)reader.LoadCurrentElement()!;
            if (header)
            {
                var titles = row.Elements<Cell>().Select(c => c.InnerText).ToList();
                if (!titles.SequenceEqual(Columns)) throw new InvalidDataException("A batch export has other columns than this version writes.");
                header = false;
                continue;
            }
            cells.StartRow(cells.Row + 1);
            foreach (var cell in row.Elements<Cell>())
            {
                var column = ColumnIndex(cell.CellReference?.Value);
                if (column < 0 || column >= Columns.Count) continue;
                var style = cell.StyleIndex?.Value ?? 0;
                if (cell.DataType?.Value == CellValues.InlineString) cells.Text(column, cell.InlineString?.InnerText ?? "", style);
                else if (cell.CellValue?.Text is { Length: > 0 } value && cell.DataType is null) cells.Value(column, value, style);
                else throw new InvalidDataException("A batch export holds a cell this version does not write.");
            }
            cells.EndRow();
        }
    }

    /// <summary>"M12" → 12 (zero-based column of a cell reference); -1 when there is none.</summary>
    private static int ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return -1;
        var column = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z') break;
            column = column * 26 + (c - 'A' + 1);
        }
        return column - 1;
    }

    private static readonly double[] Widths = [20, 30, 18, 14, 8, 40, 24, 20, 16, 20, 10, 16, 8, 40];

    /// <summary>
    /// Writes rows and cells as start/end tags with attributes instead of building element objects per cell:
    /// several times faster for a 10,000-row batch, and nothing per row stays in memory.
    /// </summary>
    private sealed class CellWriter(OpenXmlWriter w)
    {
        private static readonly Row RowElement = new();
        private static readonly Cell CellElement = new();
        private static readonly InlineString InlineElement = new();
        private static readonly Text TextElement = new();
        private static readonly CellValue ValueElement = new();
        private static readonly OpenXmlAttribute[] Preserve = [new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve")];
        private static readonly string[] Letters = [.. Enumerable.Range(0, 26).Select(i => ((char)('A' + i)).ToString())];
        private uint _row;
        private string _rowText = "";

        public void StartRow(uint row)
        {
            _row = row;
            _rowText = row.ToString(CultureInfo.InvariantCulture);
            w.WriteStartElement(RowElement, [new OpenXmlAttribute("r", "", _rowText)]);
        }

        public void Text(int column, string value, uint style = StyleText)
        {
            if (value.Length == 0) return; // an absent cell reads back as empty everywhere; an empty string cell does not
            w.WriteStartElement(CellElement, [new("r", "", Letters[column] + _rowText), new("s", "", Style(style)), new("t", "", "inlineStr")]);
            w.WriteStartElement(InlineElement);
            w.WriteStartElement(TextElement, Preserve);
            w.WriteString(XmlSafe(value));
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        public void EndRow() => w.WriteEndElement();

        public void Date(int column, DateOnly date) =>
            Value(column, (date.DayNumber - new DateOnly(1899, 12, 30).DayNumber).ToString(CultureInfo.InvariantCulture), StyleDate);

        public void Number(int column, long value) => Value(column, value.ToString(CultureInfo.InvariantCulture), 0);

        public void Value(int column, string value, uint style)
        {
            w.WriteStartElement(CellElement, style == 0
                ? [new OpenXmlAttribute("r", "", Letters[column] + _rowText)]
                : [new("r", "", Letters[column] + _rowText), new("s", "", Style(style))]);
            w.WriteStartElement(ValueElement);
            w.WriteString(value);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        private static string Style(uint style) => style switch { 1 => "1", 2 => "2", 3 => "3", _ => "0" };

        public uint Row => _row;
    }

    /// <summary>Drops characters XML 1.0 cannot carry (control characters pasted into a village spreadsheet).</summary>
    private static string XmlSafe(string s)
    {
        if (!s.Any(c => c < 0x20 && c is not ('\t' or '\n' or '\r') || c is '\uFFFE' or '\uFFFF')) return s;
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            if (!(c < 0x20 && c is not ('\t' or '\n' or '\r') || c is '\uFFFE' or '\uFFFF')) sb.Append(c);
        return sb.ToString();
    }

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "dd-mm-yyyy" }) { Count = 1 },
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                  new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = 49, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 49, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true, ApplyFont = true }) { Count = 4 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
}
