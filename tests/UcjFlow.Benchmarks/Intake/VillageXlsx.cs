using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using UcjFlow.Core.Campaigns;
using UcjFlow.Host.Demo;

namespace UcjFlow.Benchmarks.Intake;

/// <summary>
/// A village roster as Excel saves it: the generator's rows (<see cref="RosterGenerator.Rows"/>) in one sheet, text in the
/// shared-string table (NIK, dates and phone numbers as text, as the official template keeps them), "No" as a number.
/// </summary>
internal static class VillageXlsx
{
    public static (string FileName, byte[] Content) Write(CampaignVillage village, int villageIndex, int rows, RosterFlavor flavor = RosterFlavor.Clean)
    {
        var (csvName, _) = RosterGenerator.Csv(village, villageIndex, 1);
        var shared = new SharedStrings();
        var ordered = shared.Ordered;
        int S(string s) => shared.IndexOf(s);

        using var buffer = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var sheetPart = wb.AddNewPart<WorksheetPart>();
            using (var w = OpenXmlWriter.Create(sheetPart))
            {
                w.WriteStartElement(new Worksheet());
                w.WriteStartElement(new SheetData());
                var r = 0;
                foreach (var row in RosterGenerator.Rows(village, villageIndex, rows, flavor))
                {
                    r++;
                    var index = r.ToString(CultureInfo.InvariantCulture);
                    w.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", index)]);
                    for (var c = 0; c < row.Length; c++)
                    {
                        if (row[c].Length == 0) continue;
                        var reference = (char)('A' + c) + index;
                        if (r > 1 && c == 0)
                        {
                            w.WriteStartElement(new Cell(), [new OpenXmlAttribute("r", "", reference)]);
                            w.WriteElement(new CellValue(row[c]));
                        }
                        else
                        {
                            w.WriteStartElement(new Cell(), [new OpenXmlAttribute("r", "", reference), new OpenXmlAttribute("t", "", "s")]);
                            w.WriteElement(new CellValue(S(row[c]).ToString(CultureInfo.InvariantCulture)));
                        }
                        w.WriteEndElement();
                    }
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                w.WriteEndElement();
            }
            var sst = wb.AddNewPart<SharedStringTablePart>();
            using (var w = OpenXmlWriter.Create(sst))
            {
                var count = ordered.Count.ToString(CultureInfo.InvariantCulture);
                w.WriteStartElement(new SharedStringTable(), [new OpenXmlAttribute("count", "", count), new OpenXmlAttribute("uniqueCount", "", count)]);
                foreach (var s in ordered) w.WriteElement(new SharedStringItem(new Text(s)));
                w.WriteEndElement();
            }
            wb.Workbook.AppendChild(new Sheets(new Sheet { Id = wb.GetIdOfPart(sheetPart), SheetId = 1, Name = "Data" }));
            wb.Workbook.Save();
        }
        return (Path.ChangeExtension(csvName, ".xlsx"), buffer.ToArray());
    }
}
