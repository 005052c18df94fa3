using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SheetCell = DocumentFormat.OpenXml.Spreadsheet.Cell;
using SheetColumn = DocumentFormat.OpenXml.Spreadsheet.Column;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Roster.Template;

/// <summary>
/// Writes the official village roster template (.xlsx, OpenXML SDK): a <c>Data</c> sheet with the header row, NIK,
/// KK, phone and RT/RW columns formatted as text (so Excel keeps all 16 digits and leading zeros), drop-down lists for
/// sex, segment and data source, a date format on the birth date, and a <c>Petunjuk</c> sheet explaining each column.
/// </summary>
public static class RosterTemplateWriter
{
    /// <summary>Rows prepared with formats and drop-downs under the header.</summary>
    public const int PreparedRows = 1000;

    public const string DataSheet = "Data";
    public const string GuideSheet = "Petunjuk";

    private enum Format : uint { General = 0, Header = 1, Text = 2, Date = 3, Title = 4, Wrap = 5 }

    private sealed record TemplateColumn(string Title, double Width, Format Format, bool Required, string Explanation, string Example);

    private static readonly string[] Sexes = ["L", "P"];
    private static readonly string[] Sources = ["DTKS", "P3KE", "Non-DTKS"];

    private static IReadOnlyList<TemplateColumn> Columns(IReadOnlyList<Segment> segments) =>
    [
        new("NIK", 20, Format.Text, true,
            "Nomor Induk Kependudukan, 16 angka, sesuai KTP/KK. Kolom ini berformat teks: ketik atau tempel angkanya apa adanya, jangan diubah ke format angka.",
            "1503014101800001"),
        new("Nama Lengkap", 30, Format.General, true, "Nama lengkap sesuai KTP, tanpa gelar.", "SITI AMINAH"),
        new("No KK", 20, Format.Text, false, "Nomor Kartu Keluarga, 16 angka (boleh dikosongkan).", "1503010101100001"),
        new("Jenis Kelamin", 14, Format.General, false, "Pilih L (laki-laki) atau P (perempuan). Jika kosong, diambil dari NIK.", "P"),
        new("Tempat Lahir", 18, Format.General, false, "Kota/kabupaten tempat lahir.", "Sarolangun"),
        new("Tanggal Lahir", 14, Format.Date, false,
            "Tanggal lahir, hari-bulan-tahun (contoh 01-01-1980). Harus sama dengan tanggal lahir di NIK. Jika kosong, diambil dari NIK.",
            "01-01-1980"),
        new("Alamat", 30, Format.General, false, "Alamat tempat tinggal (jalan, dusun).", "Dusun I"),
        new("RT/RW", 10, Format.Text, false, "Nomor RT dan RW, contoh 003/001.", "003/001"),
        new("Desa/Kelurahan", 20, Format.General, false, "Nama desa atau kelurahan. Harus desa pengirim berkas ini.", "Tambak Ratu"),
        new("Pekerjaan", 20, Format.General, false, "Pekerjaan sehari-hari.", "Petani"),
        new("Segmen", 20, Format.General, false,
            "Pilih dari daftar: " + string.Join(", ", segments.Select(s => s.Name)) + ". Jika kosong, dipakai " +
            (segments.FirstOrDefault(s => s.IsDefault) ?? segments[0]).Name + ".",
            (segments.FirstOrDefault(s => s.IsDefault) ?? segments[0]).Name),
        new("No HP", 16, Format.Text, false, "Nomor HP/WhatsApp yang aktif, diawali 08.", "081234567890"),
        new("Sumber Data", 14, Format.General, false, "Pilih DTKS, P3KE atau Non-DTKS.", "DTKS"),
        new("Keterangan", 30, Format.General, false, "Catatan tambahan (boleh dikosongkan).", ""),
    ];

    /// <summary>The template's file name, as the <c>template</c> command writes it and the web page downloads it.</summary>
    public const string FileName = "template-roster-ucj.xlsx";

    /// <summary>The header titles of the <c>Data</c> sheet, in column order.</summary>
    public static IReadOnlyList<string> HeaderTitles { get; } = Columns(ValidationSettings.DefaultSegments).Select(c => c.Title).ToArray();

    /// <summary>Writes the template to <paramref name="output"/>. <paramref name="segments"/>: the campaign's (default: roster.md's defaults).</summary>
    public static void Write(Stream output, IReadOnlyList<Segment>? segments = null)
    {
        segments ??= ValidationSettings.DefaultSegments;
        if (segments.Count == 0) throw new ArgumentException("at least one segment", nameof(segments));
        var columns = Columns(segments);

        using var doc = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var wb = doc.AddWorkbookPart();
        wb.Workbook = new Workbook();
        var styles = wb.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = BuildStyles();

        var data = wb.AddNewPart<WorksheetPart>();
        data.Worksheet = BuildDataSheet(columns, segments);
        var guide = wb.AddNewPart<WorksheetPart>();
        guide.Worksheet = BuildGuideSheet(columns);

        wb.Workbook.AppendChild(new BookViews(new WorkbookView { ActiveTab = 0 }));
        wb.Workbook.AppendChild(new Sheets(
            new Sheet { Id = wb.GetIdOfPart(data), SheetId = 1, Name = DataSheet },
            new Sheet { Id = wb.GetIdOfPart(guide), SheetId = 2, Name = GuideSheet }));
        wb.Workbook.Save();
    }

    private static Worksheet BuildDataSheet(IReadOnlyList<TemplateColumn> columns, IReadOnlyList<Segment> segments)
    {
        var cols = new Columns();
        for (var i = 0; i < columns.Count; i++)
        {
            // The column's style is what Excel and LibreOffice give cells typed into it later: text for NIK and KK.
            cols.AppendChild(new SheetColumn
            {
                Min = (uint)(i + 1), Max = (uint)(i + 1), Width = columns[i].Width, CustomWidth = true,
                Style = columns[i].Format == Format.General ? null : (uint)columns[i].Format,
            });
        }
        var header = new Row { RowIndex = 1 };
        for (var i = 0; i < columns.Count; i++) header.AppendChild(InlineText(Ref(i, 1), columns[i].Title, Format.Header));

        var validations = new DataValidations();
        void List(string title, IEnumerable<string> items, string message)
        {
            var col = Ref(IndexOf(columns, title), 2)[..^1];
            validations.AppendChild(new DataValidation
            {
                Type = DataValidationValues.List, AllowBlank = true, ShowErrorMessage = true, ShowInputMessage = true,
                ErrorTitle = "Pilihan tidak ada", Error = message, PromptTitle = title, Prompt = message,
                SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{col}2:{col}{PreparedRows + 1}" },
                Formula1 = new Formula1("\"" + string.Join(",", items) + "\""),
            });
        }
        List("Jenis Kelamin", Sexes, "Pilih L (laki-laki) atau P (perempuan).");
        List("Segmen", segments.Select(s => s.Name.Replace(",", " ")), "Pilih segmen dari daftar.");
        List("Sumber Data", Sources, "Pilih DTKS, P3KE atau Non-DTKS.");
        var nik = Ref(IndexOf(columns, "NIK"), 2)[..^1];
        validations.AppendChild(new DataValidation
        {
            Type = DataValidationValues.TextLength, Operator = DataValidationOperatorValues.Equal, AllowBlank = true,
            ShowErrorMessage = true, ErrorStyle = DataValidationErrorStyleValues.Warning, ErrorTitle = "NIK harus 16 angka",
            Error = "NIK harus 16 angka sesuai KTP/KK. Periksa kembali.",
            SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{nik}2:{nik}{PreparedRows + 1}" },
            Formula1 = new Formula1("16"),
        });
        validations.Count = (uint)validations.ChildElements.Count;

        // Frozen header row; the views come first in a worksheet, then cols, data and validations (schema order).
        var views = new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { TabSelected = true, WorkbookViewId = 0 });
        return new Worksheet(views, new SheetFormatProperties { DefaultRowHeight = 15 }, cols, new SheetData(header), validations);
    }

    private static Worksheet BuildGuideSheet(IReadOnlyList<TemplateColumn> columns)
    {
        var rows = new SheetData();
        var r = 1;
        void Line(params (string Text, Format Format)[] cells)
        {
            var row = new Row { RowIndex = (uint)r };
            for (var i = 0; i < cells.Length; i++)
                if (cells[i].Text.Length > 0) row.AppendChild(InlineText(Ref(i, r), cells[i].Text, cells[i].Format));
            rows.AppendChild(row);
            r++;
        }
        Line(("Petunjuk pengisian daftar calon peserta BPJS Ketenagakerjaan", Format.Title));
        Line(("Isi data di lembar \"Data\", satu orang per baris, mulai baris 2. Jangan mengubah, menghapus atau memindahkan baris judul kolom.", Format.General));
        Line(("Kolom bertanda \"Wajib\" harus diisi. Kolom lain boleh dikosongkan bila datanya tidak ada.", Format.General));
        Line();
        Line(("Kolom", Format.Header), ("Wajib", Format.Header), ("Penjelasan", Format.Header), ("Contoh", Format.Header));
        foreach (var c in columns)
            Line((c.Title, Format.General), (c.Required ? "Wajib" : "Tidak", Format.General), (c.Explanation, Format.Wrap), (c.Example, Format.Text));
        Line();
        Line(("Catatan penting", Format.Title));
        Line(("1. NIK dan No KK harus diketik sebagai teks. Jika Excel mengubahnya menjadi angka (misalnya 3,50301E+15), angka terakhir hilang dan baris akan ditolak.", Format.Wrap));
        Line(("2. Satu NIK hanya boleh muncul satu kali. Jangan menambahkan baris jumlah/total atau gambar di lembar Data.", Format.Wrap));
        Line(("3. Simpan sebagai Buku Kerja Excel (.xlsx), tanpa kata sandi, lalu unggah berkasnya.", Format.Wrap));
        var cols = new Columns(
            new SheetColumn { Min = 1, Max = 1, Width = 18, CustomWidth = true },
            new SheetColumn { Min = 2, Max = 2, Width = 8, CustomWidth = true },
            new SheetColumn { Min = 3, Max = 3, Width = 80, CustomWidth = true },
            new SheetColumn { Min = 4, Max = 4, Width = 20, CustomWidth = true });
        return new Worksheet(cols, rows);
    }

    private static int IndexOf(IReadOnlyList<TemplateColumn> columns, string title)
    {
        for (var i = 0; i < columns.Count; i++)
            if (columns[i].Title == title) return i;
        throw new InvalidOperationException(title);
    }

    private static SheetCell InlineText(string reference, string text, Format format)
    {
        var cell = new SheetCell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };
        if (format != Format.General) cell.StyleIndex = (uint)format;
        return cell;
    }

    private static string Ref(int column, int row)
    {
        var name = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name + row;
    }

    /// <summary>Cell formats by <see cref="Format"/> value: general, bold header on grey, text (@), date, bold title, wrapped.</summary>
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
