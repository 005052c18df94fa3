using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Export;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Tests.Campaigns;
using Cell = DocumentFormat.OpenXml.Spreadsheet.Cell;
using Sex = UcjFlow.Core.Roster.Sex;

namespace UcjFlow.Core.Tests.Export;

/// <summary>The consolidated BPJS export: several batches' own exports into one file, xlsx and CSV.</summary>
public class BpjsExportConsolidationTests
{
    static readonly Enrollee First = new(6, "1503014101800001", null, "SITI AMINAH", "Sarolangun", new DateOnly(1980, 1, 1), Sex.Female,
        "Dusun Baru", "15.03.01.2001", "081234567890", "rentan", null, null);

    static Enrollee[] Batch(int batch, int rows) =>
        [.. Enumerable.Range(1, rows).Select(i => First with { Row = i + 5, Nik = $"15030141018{batch}{i:0000}", Name = $"PESERTA {batch}-{i}" })];

    static readonly Enrollee[] Hostile =
    [
        First with { Nik = "1503011205900010", Name = "=HYPERLINK(\"http://x\",\"klik\")", Address = "<script>alert(1)</script>" },
    ];

    static BpjsExportContext Context => BpjsExportContext.For(SampleCampaign.Load());

    static async Task<byte[]> Xlsx(IEnumerable<Enrollee> rows)
    {
        using var ms = new MemoryStream();
        await BpjsExport.WriteXlsxAsync(ms, rows, Context);
        return ms.ToArray();
    }

    static async Task<byte[]> Csv(IEnumerable<Enrollee> rows)
    {
        using var ms = new MemoryStream();
        await BpjsExport.WriteCsvAsync(ms, rows, Context);
        return ms.ToArray();
    }

    static async IAsyncEnumerable<Stream> Streams(IEnumerable<byte[]> files, bool seekable = true)
    {
        foreach (var f in files)
        {
            await Task.Yield();
            yield return seekable ? new MemoryStream(f) : new ForwardOnly(new MemoryStream(f), read: true);
        }
    }

    [Fact]
    public async Task Xlsx_of_three_batches_has_one_header_every_row_renumbered_and_NIK_as_text_cells()
    {
        var batches = new[] { Batch(1, 3), Batch(2, 2), Hostile };
        var files = new List<byte[]>();
        foreach (var b in batches) files.Add(await Xlsx(b));
        using var inner = new MemoryStream();
        await BpjsExport.WriteConsolidatedXlsxAsync(new ForwardOnly(inner, read: false), Streams(files, seekable: false));
        inner.Position = 0;

        using var doc = SpreadsheetDocument.Open(inner, false);
        Assert.Empty(new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        var rows = doc.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().ToList();
        Assert.Equal(1 + 3 + 2 + 1, rows.Count);
        Assert.Equal(BpjsExport.Columns, rows[0].Elements<Cell>().Select(c => c.InnerText));
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (uint)i), rows.Select(r => r.RowIndex!.Value));
        var niks = rows.Skip(1).Select(r => r.Elements<Cell>().First()).ToList();
        Assert.Equal(batches.SelectMany(b => b).Select(e => e.Nik), niks.Select(c => c.InnerText));
        var formats = doc.WorkbookPart.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        Assert.All(niks, c =>
        {
            Assert.Equal(CellValues.InlineString, c.DataType?.Value);
            Assert.Equal(49u, formats[(int)c.StyleIndex!.Value].NumberFormatId!.Value); // "@": Excel keeps it text
            Assert.StartsWith("A", c.CellReference!.Value);
        });
        Assert.Equal($"A{rows.Count}", niks[^1].CellReference!.Value);
        // The hostile row stays text: no formula element anywhere, the name a plain string.
        Assert.Empty(doc.WorkbookPart.WorksheetParts.Single().Worksheet.Descendants<CellFormula>());
        Assert.Equal(Hostile[0].Name, rows[^1].Elements<Cell>().ElementAt(1).InnerText);
        // Dates stay dates (serial numbers with the date style), months a number.
        Assert.Equal("29221", rows[1].Elements<Cell>().Single(c => c.CellReference!.Value == "D2").CellValue!.Text);
    }

    [Fact]
    public async Task Csv_of_three_batches_is_their_lines_after_one_BOM_and_header()
    {
        var batches = new[] { Batch(1, 3), Batch(2, 2), Hostile };
        var files = new List<byte[]>();
        foreach (var b in batches) files.Add(await Csv(b));
        using var output = new MemoryStream();
        await BpjsExport.WriteConsolidatedCsvAsync(output, Streams(files));
        var bytes = output.ToArray();

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.NotEqual([0xEF, 0xBB, 0xBF], bytes[3..6]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        static string[] HeaderAndRest(byte[] f) => Encoding.UTF8.GetString(f[3..]).Split("\r\n", 2);
        var expected = HeaderAndRest(files[0])[0] + "\r\n" + string.Concat(files.Select(f => HeaderAndRest(f)[1]));
        Assert.Equal(expected, text);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 3 + 2 + 1, lines.Length);
        Assert.Single(lines, l => l.StartsWith("NIK,", StringComparison.Ordinal));
        Assert.StartsWith("1503011205900010,\"'=HYPERLINK(", lines[^1]); // neutralised as the batch export wrote it
    }

    [Fact]
    public async Task An_export_with_other_columns_is_refused_not_mixed_in()
    {
        var other = Encoding.UTF8.GetBytes("\uFEFFNIK,Nama\r\n1503014101800001,SITI\r\n");
        await Assert.ThrowsAsync<InvalidDataException>(() => BpjsExport.WriteConsolidatedCsvAsync(new MemoryStream(), Streams([other])));
    }

    /// <summary>A non-seekable stream, read-only (a blob download) or write-only (an HTTP response body).</summary>
    private sealed class ForwardOnly(Stream inner, bool read) : Stream
    {
        public override bool CanRead => read;
        public override bool CanSeek => false;
        public override bool CanWrite => !read;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => read ? inner.Read(buffer, offset, count) : throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (read) throw new NotSupportedException();
            inner.Write(buffer, offset, count);
        }
    }
}
