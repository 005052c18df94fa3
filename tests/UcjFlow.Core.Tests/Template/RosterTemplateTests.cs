using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Template;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;
using SheetCell = DocumentFormat.OpenXml.Spreadsheet.Cell;

namespace UcjFlow.Core.Tests.Template;

public class RosterTemplateTests
{
    private static byte[] Template()
    {
        using var ms = new MemoryStream();
        RosterTemplateWriter.Write(ms);
        return ms.ToArray();
    }

    [Fact]
    public async Task Template_read_back_finds_the_header_with_every_field()
    {
        var result = await RosterRead.AllAsync(Template(), "template-roster-ucj.xlsx");
        Assert.Equal(RosterTemplateWriter.DataSheet, result.Header.Sheet);
        Assert.Equal(1, result.Header.Row);
        Assert.Empty(result.Rows);
        Assert.Equal(
            [RosterField.Nik, RosterField.Name, RosterField.Kk, RosterField.Sex, RosterField.BirthPlace, RosterField.BirthDate,
             RosterField.Address, RosterField.RtRw, RosterField.Village, RosterField.Occupation, RosterField.Segment,
             RosterField.Phone, RosterField.Source, RosterField.Note],
            result.Header.Columns.Select(c => c.Field));
    }

    [Fact]
    public void Template_is_valid_openxml_with_text_columns_dropdowns_date_and_guide()
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(Template()), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc));
        var wb = doc.WorkbookPart!;
        var sheets = wb.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ToList();
        Assert.Equal([RosterTemplateWriter.DataSheet, RosterTemplateWriter.GuideSheet], sheets);

        var data = (WorksheetPart)wb.GetPartById(wb.Workbook.Sheets!.Elements<Sheet>().First().Id!);
        var formats = wb.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var customFormats = wb.WorkbookStylesPart.Stylesheet.NumberingFormats!.Elements<NumberingFormat>()
            .ToDictionary(n => n.NumberFormatId!.Value, n => n.FormatCode!.Value!);
        string FormatOfColumn(int column)
        {
            var col = data.Worksheet.GetFirstChild<Columns>()!.Elements<Column>().Single(c => c.Min!.Value == column);
            var id = formats[(int)(col.Style?.Value ?? 0)].NumberFormatId?.Value ?? 0;
            return id == 49 ? "@" : customFormats.GetValueOrDefault(id, id.ToString(CultureInfo.InvariantCulture));
        }
        var titles = RosterTemplateWriter.HeaderTitles;
        int ColumnOf(string title) => titles.ToList().IndexOf(title) + 1;
        Assert.Equal("@", FormatOfColumn(ColumnOf("NIK")));
        Assert.Equal("@", FormatOfColumn(ColumnOf("No KK")));
        Assert.Equal("@", FormatOfColumn(ColumnOf("No HP")));
        Assert.Contains("yyyy", FormatOfColumn(ColumnOf("Tanggal Lahir")));

        var lists = data.Worksheet.GetFirstChild<DataValidations>()!.Elements<DataValidation>()
            .Where(v => v.Type?.Value == DataValidationValues.List)
            .ToDictionary(v => v.SequenceOfReferences!.InnerText!.Split(':')[0], v => v.Formula1!.Text);
        string Letter(string title) => XlsxRoster.ColumnName(ColumnOf(title) - 1) + "2";
        Assert.Equal("\"L,P\"", lists[Letter("Jenis Kelamin")]);
        var segmentList = lists[Letter("Segmen")].Trim('"').Split(',');
        Assert.Equal(ValidationSettings.DefaultSegments.Select(s => s.Name), segmentList);

        var guide = (WorksheetPart)wb.GetPartById(wb.Workbook.Sheets!.Elements<Sheet>().Last().Id!);
        var guideText = string.Join("\n", guide.Worksheet.Descendants<Text>().Select(t => t.Text));
        foreach (var title in titles) Assert.Contains(title, guideText);
        Assert.Contains("Wajib", guideText);
    }

    [Fact]
    public async Task Template_filled_with_valid_rows_validates_with_zero_issues()
    {
        var filled = Fill(Template(),
            ["1503014101800001", "SITI AMINAH", "1503010101100001", "P", "Sarolangun", new DateTime(1980, 1, 1), "Dusun I",
             "003/001", "Tambak Ratu", "Petani", "Pekerja Rentan", "081234567890", "DTKS", ""],
            ["1503010202900002", "BUDI SANTOSO", "1503010101100002", "L", "Jambi", new DateTime(1990, 2, 2), "Dusun II",
             "001/002", "Tambak Ratu", "Imam masjid", "Pekerja Keagamaan", "085212345678", "Non-DTKS", "marbot"],
            ["1503015512000003", "RINA WATI", "", "P", "", new DateTime(2000, 12, 15), "", "", "Tambak Ratu", "", "Nelayan", "", "P3KE", ""]);

        var settings = ValidationSettings.Defaults("15.03.01.2001", new DateOnly(2024, 11, 1));
        var report = await RosterValidator.ValidateAsync(new MemoryStream(filled), "15.03.01.2001-tambak-ratu.xlsx", settings);

        Assert.Equal(RosterStatus.Valid, report.Status);
        Assert.Equal(RosterTemplateWriter.DataSheet, report.Sheet);
        Assert.Equal(1, report.HeaderRow);
        Assert.Equal(3, report.Rows);
        Assert.Equal(3, report.Valid);
        Assert.Equal(0, report.ValidWithWarnings);
        Assert.Empty(report.Issues);
    }

    /// <summary>Writes rows into the template's Data sheet as a village would type them: text in text columns, dates as dates.</summary>
    private static byte[] Fill(byte[] template, params object[][] rows)
    {
        var ms = new MemoryStream();
        ms.Write(template);
        using (var doc = SpreadsheetDocument.Open(ms, true))
        {
            var wb = doc.WorkbookPart!;
            var data = (WorksheetPart)wb.GetPartById(wb.Workbook.Sheets!.Elements<Sheet>().First().Id!);
            var sheetData = data.Worksheet.GetFirstChild<SheetData>()!;
            var dateStyle = (uint)wb.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList()
                .FindIndex(f => f.NumberFormatId?.Value == 164);
            for (var r = 0; r < rows.Length; r++)
            {
                var rowIndex = r + 2;
                var row = new Row { RowIndex = (uint)rowIndex };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    var reference = XlsxRoster.CellRef(c, rowIndex);
                    switch (rows[r][c])
                    {
                        case DateTime d:
                            row.AppendChild(new SheetCell { CellReference = reference, StyleIndex = dateStyle,
                                CellValue = new CellValue(d.ToOADate().ToString(CultureInfo.InvariantCulture)) });
                            break;
                        case string s when s.Length > 0:
                            row.AppendChild(new SheetCell { CellReference = reference, DataType = CellValues.InlineString,
                                InlineString = new InlineString(new Text(s)) });
                            break;
                    }
                }
                sheetData.AppendChild(row);
            }
            data.Worksheet.Save();
        }
        return ms.ToArray();
    }
}
