using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace UcjFlow.Host.Demo;

/// <summary>
/// The demo village's edit of its renewal roster, as a PIC would make it in a spreadsheet: "Tidak" in "Lanjut?" and a
/// reason in "Alasan berhenti" (the roster's first two columns, docs/renewal-roster.md) for some of the listed people.
/// </summary>
public static class DemoRenewalEdit
{
    /// <param name="stops">reason and person index (0 = the first listed person, sheet row 2).</param>
    public static byte[] MarkNotContinuing(byte[] roster, IReadOnlyList<(string Reason, int Person)> stops)
    {
        var ms = new MemoryStream();
        ms.Write(roster);
        using (var doc = SpreadsheetDocument.Open(ms, true))
        {
            var book = doc.WorkbookPart!;
            var data = (WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().First().Id!);
            var rows = data.Worksheet.GetFirstChild<SheetData>()!;
            foreach (var (reason, person) in stops)
            {
                var number = (uint)(person + 2);
                var row = rows.Elements<Row>().First(r => r.RowIndex!.Value == number);
                Set(row, "A", number, "Tidak");
                Set(row, "B", number, reason);
            }
            data.Worksheet.Save();
        }
        return ms.ToArray();
    }

    static void Set(Row row, string column, uint number, string text)
    {
        var reference = column + number;
        var cell = new Cell
        {
            CellReference = reference, DataType = CellValues.InlineString,
            InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }),
        };
        var existing = row.Elements<Cell>().FirstOrDefault(c => c.CellReference?.Value == reference);
        if (existing is not null)
        {
            cell.StyleIndex = existing.StyleIndex;
            existing.InsertAfterSelf(cell);
            existing.Remove();
            return;
        }
        // Cells of a row are in column order: B goes after A, A goes first.
        var before = row.Elements<Cell>().FirstOrDefault(c => string.CompareOrdinal(c.CellReference?.Value, reference) > 0 && c.CellReference!.Value!.Length >= reference.Length);
        if (before is null) row.AppendChild(cell); else before.InsertBeforeSelf(cell);
    }
}
