using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Roster.Template;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;
using SheetCell = DocumentFormat.OpenXml.Spreadsheet.Cell;
using Cell = UcjFlow.Core.Roster.Cell;

namespace UcjFlow.Core.Tests.Template;

/// <summary>
/// The renewal roster (issue 13.5; docs/renewal-roster.md): written by <see cref="RenewalRosterWriter"/>, edited as a
/// village would (Tidak with reasons, new people at the bottom), and read back through the ordinary intake, both as the
/// writer's own xlsx and as LibreOffice saves it (xlsx and xls).
/// </summary>
public class RenewalRosterTests
{
    private const string Village = "15.03.01.2001";
    private static readonly DateOnly NewCoverageStart = new(2025, 1, 1);

    private static readonly RenewalRosterInput Input = new(Village, "Tambak Ratu", "APBD Sarolangun 2024", new DateOnly(2024, 12, 31));

    // Sarolangun NIKs (district 15.03.01): day + 40 for women.
    private static readonly RenewalPerson[] People =
    [
        new("1503014101800001", "1503010101100001", "SITI AMINAH", new(1980, 1, 1), Sex.Female, "rentan", "081234567890") { BirthPlace = "Sarolangun", Address = "Dusun I" },
        new("1503011203750002", null, "BUDI SANTOSO", new(1975, 3, 12), Sex.Male, "keagamaan", null),
        new("1503015505850003", "1503010101100003", "RINA WATI", new(1985, 5, 15), Sex.Female, "nelayan", "085212345678"),
        new("1503010707700004", null, "AHMAD YANI", new(1970, 7, 7), Sex.Male, "rentan", null),
        new("1503016208900005", null, "DEWI LESTARI", new(1990, 8, 22), Sex.Female, "sawit", "081311112222"),
        new("1503011111650006", null, "JOKO SUSILO", new(1965, 11, 11), Sex.Male, "rentan", null),
        new("1503014404880007", null, "NUR HAYATI", new(1988, 4, 4), Sex.Female, "rentan", null),
        new("1503010202920008", "1503010101100008", "RUDI HARTONO", new(1992, 2, 2), Sex.Male, "adhoc", "087812345678"),
    ];

    /// <summary>The sheet row of <see cref="People"/>[i]: the header is row 1.</summary>
    private static int RowOf(int person) => person + 2;

    private static readonly int NewPersonRow = RowOf(People.Length) + 1;   // one empty row left between, as villages do
    private static readonly int NewBadNikRow = NewPersonRow + 1;
    private static readonly int DraggedYaRow = NewPersonRow + 3;          // only "Ya": a drop-down dragged down, no person
    private const string NewNik = "1503016303950009";

    /// <summary>The village's edits: five removals (one without a reason, one with its own words), two unclear answers, two new people.</summary>
    private static readonly (int Row, string Column, string? Value)[] VillageEdits =
    [
        (RowOf(1), RenewalAnswers.Column, "Tidak"), (RowOf(1), RenewalReasons.Column, "meninggal"),
        (RowOf(2), RenewalAnswers.Column, " tidak "), (RowOf(2), RenewalReasons.Column, "Pindah"),
        (RowOf(3), RenewalAnswers.Column, "N"), (RowOf(3), RenewalReasons.Column, "pindah domisili"),
        (RowOf(4), RenewalAnswers.Column, "Tidak lanjut"),
        (RowOf(5), RenewalAnswers.Column, "T"), (RowOf(5), RenewalReasons.Column, "menikah ke luar kota"),
        (RowOf(6), RenewalAnswers.Column, "mungkin"),
        (RowOf(7), RenewalReasons.Column, "pindah"), // Ya left as written: read as Ya, but the village is asked
        (NewPersonRow, "NIK", NewNik), (NewPersonRow, "Nama Lengkap", "Wulan Sari"), (NewPersonRow, "Jenis Kelamin", "P"),
        (NewPersonRow, "Segmen", "Pekerja Rentan"),
        (NewBadNikRow, "NIK", "15030163039500"), (NewBadNikRow, "Nama Lengkap", "Agus Salim"),
        (DraggedYaRow, RenewalAnswers.Column, "Ya"),
    ];

    private static readonly string[] RemovedNiks = [People[1].Nik, People[2].Nik, People[3].Nik, People[4].Nik, People[5].Nik];

    private static async IAsyncEnumerable<RenewalPerson> Stream(IEnumerable<RenewalPerson> people)
    {
        foreach (var p in people)
        {
            await Task.Yield();
            yield return p;
        }
    }

    private static async Task<byte[]> WriteAsync()
    {
        using var ms = new MemoryStream();
        var written = await RenewalRosterWriter.WriteAsync(ms, Input, Stream(People));
        Assert.Equal(People.Length, written);
        return ms.ToArray();
    }

    private static ValidationSettings Settings => ValidationSettings.Defaults(Village, NewCoverageStart);

    private static async Task<(RosterReport Report, List<Enrollee> Valid)> ValidateAsync(byte[] content, string fileName)
    {
        var valid = new List<Enrollee>();
        var report = await RosterValidator.ValidateAsync(new MemoryStream(content), fileName, Settings, e =>
        {
            valid.Add(e);
            return ValueTask.CompletedTask;
        });
        return (report, valid);
    }

    /// <summary>The writer's output and the village's edit of it, each as written (SDK) and as LibreOffice saves it as xlsx and xls.</summary>
    private static readonly Lazy<Task<Dictionary<string, (byte[] Written, byte[] Edited)>>> Forms = new(async () =>
    {
        var written = await WriteAsync();
        var edited = Edit(written, VillageEdits);
        var dir = Directory.CreateTempSubdirectory("ucj-renewal-");
        try
        {
            var inputs = new[] { Path.Combine(dir.FullName, "written.xlsx"), Path.Combine(dir.FullName, "edited.xlsx") };
            await File.WriteAllBytesAsync(inputs[0], written);
            await File.WriteAllBytesAsync(inputs[1], edited);
            var forms = new Dictionary<string, (byte[], byte[])> { ["xlsx"] = (written, edited) };
            foreach (var target in new[] { "xlsx", "xls" })
            {
                var outputs = await LibreOffice.ConvertAsync(inputs, target, Path.Combine(dir.FullName, "lo-" + target));
                forms["lo-" + target] = (await File.ReadAllBytesAsync(outputs[0]), await File.ReadAllBytesAsync(outputs[1]));
            }
            return forms;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    });

    private static string FileName(string form) => $"{Village}-perpanjangan.{(form == "lo-xls" ? "xls" : "xlsx")}";

    [Theory]
    [InlineData("xlsx")]
    [InlineData("lo-xlsx")]
    [InlineData("lo-xls")]
    public async Task Renewal_roster_as_written_reads_back_every_person_valid_with_no_issue(string form)
    {
        var (written, _) = (await Forms.Value)[form];
        var (report, valid) = await ValidateAsync(written, FileName(form));

        Assert.Equal(RosterStatus.Valid, report.Status);
        Assert.Empty(report.Issues);
        Assert.Equal(People.Length, report.Rows);
        Assert.Equal(People.Length, report.Valid);
        Assert.Equal(0, report.Removed);
        Assert.Null(report.RemovedByReason);
        // Every field the registry gave comes back as the intake reads it (NIK and KK whole: text cells).
        Assert.Equal(
            People.Select(p => (p.Nik, p.Kk, p.Name, p.BirthDate, p.Sex, p.SegmentCode, p.Phone, Village)),
            valid.Select(e => (e.Nik, e.Kk, e.Name, e.BirthDate, e.Sex, (string?)e.SegmentCode, e.Phone, e.VillageCode)));
        Assert.Equal("Sarolangun", valid[0].BirthPlace);
        Assert.Equal("Dusun I", valid[0].Address);
    }

    [Fact]
    public async Task Renewal_roster_is_valid_openxml_with_Lanjut_and_reason_dropdowns_text_NIK_cells_and_a_guide()
    {
        var written = await WriteAsync();
        using var doc = SpreadsheetDocument.Open(new MemoryStream(written), false);
        Assert.Empty(new OpenXmlValidator().Validate(doc));
        var wb = doc.WorkbookPart!;
        var sheets = wb.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal([RosterTemplateWriter.DataSheet, RosterTemplateWriter.GuideSheet], sheets.Select(s => s.Name!.Value));
        var data = (WorksheetPart)wb.GetPartById(sheets[0].Id!);
        var formats = wb.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();

        // The header: the two renewal columns, then the official template's columns unchanged.
        var header = data.Worksheet.Descendants<Row>().First().Elements<SheetCell>().Select(c => c.InnerText).ToList();
        Assert.Equal([RenewalAnswers.Column, RenewalReasons.Column, .. RosterTemplateWriter.HeaderTitles], header);
        string Letter(string title) => XlsxRoster.ColumnName(header.IndexOf(title));

        var lists = data.Worksheet.GetFirstChild<DataValidations>()!.Elements<DataValidation>()
            .Where(v => v.Type?.Value == DataValidationValues.List)
            .ToDictionary(v => v.SequenceOfReferences!.InnerText!.Split(':')[0], v => (v.Formula1!.Text, Range: v.SequenceOfReferences!.InnerText!));
        Assert.Equal("\"Ya,Tidak\"", lists[Letter(RenewalAnswers.Column) + "2"].Text);
        Assert.Equal("\"meninggal,pindah,sudah menjadi peserta PU,lainnya\"", lists[Letter(RenewalReasons.Column) + "2"].Text);
        // Drop-downs reach the prepared rows under the last person, for new people.
        var lastPrepared = RowOf(People.Length - 1) + RosterTemplateWriter.PreparedRows;
        Assert.EndsWith(":" + Letter(RenewalAnswers.Column) + lastPrepared, lists[Letter(RenewalAnswers.Column) + "2"].Range);

        // Pre-filled rows: Lanjut? = Ya; NIK and KK are text cells with the text format, so an edit keeps all 16 digits.
        var first = data.Worksheet.Descendants<Row>().Single(r => r.RowIndex!.Value == RowOf(0));
        SheetCell At(string title) => first.Elements<SheetCell>().Single(c => c.CellReference!.Value == Letter(title) + RowOf(0));
        Assert.Equal(RenewalAnswers.Yes, At(RenewalAnswers.Column).InnerText);
        foreach (var title in new[] { "NIK", "No KK" })
        {
            Assert.Equal(CellValues.InlineString, At(title).DataType!.Value);
            Assert.Equal(49u, formats[(int)At(title).StyleIndex!.Value].NumberFormatId!.Value);
        }
        Assert.Equal(People[0].Nik, At("NIK").InnerText);

        var guide = (WorksheetPart)wb.GetPartById(sheets[1].Id!);
        var guideText = string.Join("\n", guide.Worksheet.Descendants<Text>().Select(t => t.Text));
        Assert.Contains(RenewalAnswers.Column, guideText);
        Assert.Contains(RenewalReasons.Column, guideText);
        Assert.Contains("Tambak Ratu (15.03.01.2001)", guideText);
        Assert.Contains("31 Desember 2024", guideText);
        Assert.Contains("baris kosong di bawah daftar", guideText);
    }

    [Theory]
    [InlineData("xlsx")]
    [InlineData("lo-xlsx")]
    [InlineData("lo-xls")]
    public async Task Edited_renewal_roster_counts_removals_per_reason_never_enrols_them_and_validates_new_people(string form)
    {
        var (_, edited) = (await Forms.Value)[form];
        var (report, valid) = await ValidateAsync(edited, FileName(form));

        Assert.Equal(RosterStatus.Valid, report.Status);
        Assert.Equal(5, report.Removed);
        Assert.Equal(
            new Dictionary<string, int> { ["meninggal"] = 1, ["pindah"] = 2, ["lainnya"] = 1, ["tanpa alasan"] = 1 },
            report.RemovedByReason);
        Assert.Equal(
            [(RowOf(1), "BUDI SANTOSO", "meninggal", null), (RowOf(2), "RINA WATI", "pindah", null), (RowOf(3), "AHMAD YANI", "pindah", null),
             (RowOf(4), "DEWI LESTARI", "tanpa alasan", null), (RowOf(5), "JOKO SUSILO", "lainnya", (string?)"menikah ke luar kota")],
            report.Removals!.Select(r => (r.Row, r.Name, r.Reason, r.Text)));

        // Removals are neither valid nor rejected, and never reach the intake's valid rows.
        Assert.Equal(3 + 1 + 1, report.Rows); // people 0, 6, 7; the new person; the new person with a bad NIK
        Assert.Equal(4, report.Valid);
        Assert.Equal(1, report.Rejected);
        Assert.Empty(valid.Select(e => e.Nik).Intersect(RemovedNiks));
        Assert.Equal([People[0].Nik, People[6].Nik, People[7].Nik, NewNik], valid.Select(e => e.Nik));
        Assert.Equal("WULAN SARI", valid.Single(e => e.Nik == NewNik).Name);

        // The missing reason and the unclear answer are warnings on their rows; the new person's NIK is checked as any row.
        Assert.Equal(
            [(RowOf(4), RuleCodes.RenewalReasonMissing, IssueSeverity.Warning),
             (RowOf(6), RuleCodes.RenewalAnswerUnclear, IssueSeverity.Warning),
             (RowOf(7), RuleCodes.RenewalAnswerUnclear, IssueSeverity.Warning),
             (NewPersonRow, RuleCodes.BirthdateFromNik, IssueSeverity.Warning),
             (NewBadNikRow, RuleCodes.NikFormat, IssueSeverity.Error)],
            report.Issues.Select(i => (i.Row, i.Code, i.Severity)));
        Assert.StartsWith($"Baris {RowOf(4)}, kolom Alasan berhenti: ", report.Issues[0].Message);
        Assert.Contains("\"mungkin\"", report.Issues[1].Message);
        Assert.Equal(1, report.ByCode[RuleCodes.RenewalReasonMissing]);
        Assert.Contains("pilih Tidak", report.Issues[2].Message);
        Assert.Equal(3, report.ValidWithWarnings); // the two unclear rows (read as Ya) and the new person
    }

    [Fact]
    public async Task Removals_are_told_in_Indonesian_in_every_report_form_by_name_never_by_NIK()
    {
        var (_, edited) = (await Forms.Value)["xlsx"];
        var (report, _) = await ValidateAsync(edited, FileName("xlsx"));

        const string sentence = "5 orang tidak dilanjutkan: 1 meninggal, 2 pindah, 1 lainnya, 1 tanpa alasan";
        Assert.Equal(sentence, VillageAnswer.Removals(report));
        Assert.Equal([sentence + "."], VillageAnswer.Notes(report));

        var json = RosterReportJson.Serialize(report);
        var html = RosterReportHtml.Render(report);
        var csv = RosterReportCsv.Render(report);
        Assert.Contains("\"removed\": 5", json);
        Assert.Contains("\"removedByReason\": {", json);
        Assert.Contains("\"tanpa alasan\": 1", json);
        Assert.Equal(report.RemovedByReason, RosterReportJson.Deserialize(json).RemovedByReason);
        Assert.Contains(sentence, html);
        Assert.Contains("Baris 3 (BUDI SANTOSO): meninggal", html);
        Assert.Contains("Baris 7 (JOKO SUSILO): lainnya (menikah ke luar kota)", html);
        Assert.Contains(sentence, csv);
        Assert.Contains("Tidak dilanjutkan,Baris 4 (RINA WATI): pindah", csv);
        foreach (var nik in RemovedNiks)
            foreach (var text in new[] { json, html, csv })
            {
                Assert.DoesNotContain(nik, text);
                Assert.DoesNotContain(Core.Roster.Values.NikMask.Mask(nik), text);
            }
    }

    [Fact]
    public async Task A_renewal_roster_removing_everyone_is_read_not_refused_as_empty()
    {
        var edits = People.Select((_, i) => (RowOf(i), RenewalAnswers.Column, (string?)"Tidak"))
            .Append((RowOf(0), RenewalReasons.Column, "sudah menjadi peserta PU")).ToArray();
        var (report, valid) = await ValidateAsync(Edit(await WriteAsync(), edits), FileName("xlsx"));

        Assert.Equal(RosterStatus.Invalid, report.Status);
        Assert.Null(report.FileCode);
        Assert.Equal(0, report.Rows);
        Assert.Equal(People.Length, report.Removed);
        Assert.Equal(1, report.RemovedByReason!["sudah menjadi peserta PU"]);
        Assert.Empty(valid);
        Assert.Contains("semua orang dalam daftar tidak dilanjutkan", RosterReportHtml.Render(report));
    }

    [Fact]
    public async Task An_ordinary_roster_without_a_Lanjut_column_is_read_as_before_even_with_Tidak_in_a_column()
    {
        var roster = new XlsxRoster().Sheet("Data")
            .Row("NIK", "Nama", "Keterangan")
            .Row(XlsxRoster.Text(People[0].Nik), "Siti Aminah", "Tidak")
            .ToBytes();
        var (report, valid) = await ValidateAsync(roster, $"{Village}-roster.xlsx");
        Assert.Equal(1, report.Valid);
        Assert.Equal(0, report.Removed);
        Assert.Single(valid);
        Assert.DoesNotContain("removed", RosterReportJson.Serialize(report));
    }

    [Theory]
    [InlineData("Tidak", false)]
    [InlineData(" TIDAK ", false)]
    [InlineData("T", false)]
    [InlineData("n", false)]
    [InlineData("No", false)]
    [InlineData("tidak lanjut", false)]
    [InlineData("Ya", true)]
    [InlineData("y", true)]
    [InlineData("", true)]
    [InlineData("-", true)]
    [InlineData("mungkin", null)]
    [InlineData("Tidak tahu", null)]
    public void Lanjut_answers_are_read_ignoring_case_and_spaces(string text, bool? expected) =>
        Assert.Equal(expected, RenewalAnswers.Read(text.Length == 0 ? Cell.Empty : new Cell(CellKind.Text, text)));

    [Theory]
    [InlineData("Lanjut?", RosterField.Renewal)]
    [InlineData("Lanjut", RosterField.Renewal)]
    [InlineData("Lanjut (Ya/Tidak)", RosterField.Renewal)]
    [InlineData("Diperpanjang", RosterField.Renewal)]
    [InlineData("Perpanjang?", RosterField.Renewal)]
    [InlineData("Alasan berhenti", RosterField.RenewalReason)]
    [InlineData("Alasan", RosterField.RenewalReason)]
    [InlineData("Alasan tidak lanjut", RosterField.RenewalReason)]
    public void Renewal_headers_are_recognised(string title, RosterField field) =>
        Assert.Equal(field, Core.Roster.Reading.HeaderMatcher.Match(title));

    [Theory]
    [InlineData("Meninggal Dunia", "meninggal", null)]
    [InlineData("wafat", "meninggal", null)]
    [InlineData("PINDAH", "pindah", null)]
    [InlineData("peserta PU", "sudah menjadi peserta PU", null)]
    [InlineData("lain-lain", "lainnya", null)]
    [InlineData("merantau ke Batam", "lainnya", "merantau ke Batam")]
    public void Reasons_outside_the_list_are_kept_as_lainnya_with_their_words(string text, string reason, string? kept) =>
        Assert.Equal((reason, kept), RenewalReasons.Read(new Cell(CellKind.Text, text)));

    /// <summary>
    /// Sets cells of the Data sheet as a village edits them in a spreadsheet: by header title and sheet row, text values
    /// (keeping the cell's style, else the column's), new rows appended in order; a null value clears the cell.
    /// </summary>
    private static byte[] Edit(byte[] book, params (int Row, string Column, string? Value)[] edits)
    {
        var ms = new MemoryStream();
        ms.Write(book);
        using (var doc = SpreadsheetDocument.Open(ms, true))
        {
            var wb = doc.WorkbookPart!;
            var data = (WorksheetPart)wb.GetPartById(wb.Workbook.Sheets!.Elements<Sheet>().First().Id!);
            var sheetData = data.Worksheet.GetFirstChild<SheetData>()!;
            var titles = sheetData.Elements<Row>().First().Elements<SheetCell>().Select(c => c.InnerText).ToList();
            var columnStyles = data.Worksheet.GetFirstChild<Columns>()!.Elements<Column>().ToDictionary(c => (int)c.Min!.Value - 1, c => c.Style?.Value);
            foreach (var (rowNumber, title, value) in edits.OrderBy(e => e.Row))
            {
                var column = titles.IndexOf(title);
                if (column < 0) throw new ArgumentException(title);
                var row = sheetData.Elements<Row>().FirstOrDefault(r => r.RowIndex!.Value == rowNumber);
                if (row is null)
                {
                    row = new Row { RowIndex = (uint)rowNumber };
                    var after = sheetData.Elements<Row>().LastOrDefault(r => r.RowIndex!.Value < rowNumber);
                    if (after is null) sheetData.PrependChild(row); else after.InsertAfterSelf(row);
                }
                var reference = XlsxRoster.CellRef(column, rowNumber);
                var existing = row.Elements<SheetCell>().FirstOrDefault(c => c.CellReference!.Value == reference);
                var style = existing?.StyleIndex?.Value ?? columnStyles.GetValueOrDefault(column);
                existing?.Remove();
                if (value is null) continue;
                var cell = new SheetCell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value) { Space = DocumentFormat.OpenXml.SpaceProcessingModeValues.Preserve }) };
                if (style is { } s) cell.StyleIndex = s;
                var next = row.Elements<SheetCell>().FirstOrDefault(c => ColumnIndex(c.CellReference!.Value!) > column);
                if (next is null) row.AppendChild(cell); else next.InsertBeforeSelf(cell);
            }
            data.Worksheet.Save();
        }
        return ms.ToArray();
    }

    private static int ColumnIndex(string reference)
    {
        var n = 0;
        foreach (var ch in reference.TakeWhile(char.IsLetter)) n = n * 26 + (ch - 'A' + 1);
        return n - 1;
    }
}
