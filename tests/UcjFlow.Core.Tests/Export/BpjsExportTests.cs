using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using ExcelDataReader;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Export;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Tests.Campaigns;

namespace UcjFlow.Core.Tests.Export;

public class BpjsExportTests
{
    static BpjsExportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly Enrollee[] Batch =
    [
        new(Row: 6, Nik: "1503014101800001", Kk: "1503010101100001", Name: "SITI AMINAH", BirthPlace: "Sarolangun", BirthDate: new DateOnly(1980, 1, 1),
            Sex: Sex.Female, Address: "RT 003/001 Dusun Baru", VillageCode: "15.03.01.2001", Phone: "081234567890", SegmentCode: "rentan", Occupation: "Petani", Source: "DTKS"),
        new(7, "1503011205900010", null, "AHMAD\u0001 FAUZI", null, new DateOnly(1990, 5, 12), Sex.Male, "=cmd|' /C calc'!A0",
            "15.03.01.2001", null, "keagamaan", null, null),
        new(8, "1503036007850003", null, "NUR HASANAH", "Jambi", new DateOnly(1985, 7, 20), Sex.Female, null, "15.03.03.1001", "0813-000-111", "unknown-code", null, null),
    ];

    private static BpjsExportContext Context => BpjsExportContext.For(SampleCampaign.Load());

    private static List<object?[]> ReadXlsx(Stream stream, out List<string?> formats)
    {
        stream.Position = 0;
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        var rows = new List<object?[]>();
        formats = [];
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.GetValue(i);
            if (rows.Count == 1) for (var i = 0; i < row.Length; i++) formats.Add(reader.GetNumberFormatString(i));
            rows.Add(row);
        }
        return rows;
    }

    [Fact]
    public async Task Xlsx_read_back_has_every_column_with_NIK_as_text()
    {
        using var ms = new MemoryStream();
        await BpjsExport.WriteXlsxAsync(ms, Batch, Context);

        var rows = ReadXlsx(ms, out var formats);

        Assert.Equal(4, rows.Count);
        Assert.Equal(BpjsExport.Columns, rows[0].Select(c => (string)c!));
        Assert.Equal(
            ["1503014101800001", "SITI AMINAH", "Sarolangun", new DateTime(1980, 1, 1), "P", "RT 003/001 Dusun Baru", "Desa Tambak Ratu", "Batang Asai",
             "081234567890", "Pekerja Rentan", "JKK+JKM", new DateTime(2024, 11, 1), 12.0, "APBD Perubahan Rp 201.600"],
            rows[1]);
        // A NIK ending in 0 is exactly what Excel ruins when stored as a number: it must come back as the same text.
        Assert.IsType<string>(rows[2][0]);
        Assert.Equal("1503011205900010", rows[2][0]);
        Assert.Equal("AHMAD FAUZI", rows[2][1]);
        Assert.Equal("L", rows[2][4]);
        Assert.Equal("=cmd|' /C calc'!A0", rows[2][5]); // a text cell, never a formula
        Assert.Null(rows[2][2]); // no birth place: no cell
        Assert.Equal(["1503036007850003", "Kelurahan Dusun Sarolangun", "Sarolangun", "unknown-code"], new[] { rows[3][0], rows[3][6], rows[3][7], rows[3][9] });
        Assert.Equal("@", formats[0]);
        Assert.Equal("@", formats[8]);
        Assert.Equal("dd-mm-yyyy", formats[3]);
    }

    [Fact]
    public async Task Xlsx_is_a_valid_package_with_one_sheet_Peserta()
    {
        using var ms = new MemoryStream();
        await BpjsExport.WriteXlsxAsync(ms, Batch, Context);
        ms.Position = 0;

        using var doc = SpreadsheetDocument.Open(ms, false);
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();

        Assert.Empty(errors);
        var sheet = Assert.Single(doc.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>());
        Assert.Equal("Peserta", sheet.Name!.Value);
    }

    [Fact]
    public async Task Xlsx_streams_a_large_batch_to_a_non_seekable_stream()
    {
        static async IAsyncEnumerable<Enrollee> Many(int n)
        {
            for (var i = 1; i <= n; i++)
            {
                await Task.Yield();
                yield return Batch[0] with { Row = i + 1, Nik = $"150301410180{i % 10000:0000}", Name = $"PESERTA {i}" };
            }
        }
        using var inner = new MemoryStream();
        await BpjsExport.WriteXlsxAsync(new ForwardOnlyStream(inner), Many(5_000), Context);
        var rows = ReadXlsx(inner, out _);

        Assert.Equal(5_001, rows.Count);
        Assert.Equal("PESERTA 5000", rows[^1][1]);
        Assert.Equal("1503014101805000", rows[^1][0]);
    }

    [Fact]
    public async Task Xlsx_and_csv_in_one_pass_read_the_rows_once_and_are_the_files_each_writer_writes_alone()
    {
        var source = new OnePassRows(Batch);
        using var xlsx = new MemoryStream();
        using var csv = new MemoryStream();
        var count = await BpjsExport.WriteXlsxAndCsvAsync(new ForwardOnlyStream(xlsx), csv, source, Context);

        using var xlsxAlone = new MemoryStream();
        using var csvAlone = new MemoryStream();
        await BpjsExport.WriteXlsxAsync(xlsxAlone, Batch, Context);
        await BpjsExport.WriteCsvAsync(csvAlone, Batch, Context);

        Assert.Equal(1, source.Enumerations);
        Assert.Equal(Batch.Length, count);
        Assert.Equal(csvAlone.ToArray(), csv.ToArray());
        Assert.Equal(SheetXml(xlsxAlone), SheetXml(xlsx)); // the zip's entry times differ; the sheet is the same XML
        Assert.Equal(ReadXlsx(xlsxAlone, out var formatsAlone), ReadXlsx(xlsx, out var formats));
        Assert.Equal(formatsAlone, formats);
    }

    /// <summary>The XML of the workbook's one sheet.</summary>
    private static string SheetXml(MemoryStream xlsx)
    {
        xlsx.Position = 0;
        using var doc = SpreadsheetDocument.Open(xlsx, false);
        using var reader = new StreamReader(doc.WorkbookPart!.WorksheetParts.Single().GetStream());
        return reader.ReadToEnd();
    }

    /// <summary>Rows a registry query would stream, counting how often they are read from the start.</summary>
    private sealed class OnePassRows(IReadOnlyList<Enrollee> rows) : IAsyncEnumerable<Enrollee>
    {
        public int Enumerations { get; private set; }

        public async IAsyncEnumerator<Enrollee> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            Enumerations++;
            foreach (var row in rows)
            {
                await Task.Yield();
                yield return row;
            }
        }
    }

    [Fact]
    public async Task Csv_has_bom_full_NIK_and_neutralised_formulas()
    {
        using var ms = new MemoryStream();
        await BpjsExport.WriteCsvAsync(ms, Batch, BpjsExportContext.For(SampleCampaign.Load()) with { CoverageStart = new DateOnly(2024, 12, 1), Months = 11 });
        var bytes = ms.ToArray();

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("NIK,Nama,Tempat Lahir,Tanggal Lahir,Jenis Kelamin,Alamat,Desa/Kelurahan,Kecamatan,No HP,Segmen,Program,Mulai Kepesertaan,Jumlah Bulan,Sumber Dana", lines[0]);
        Assert.Equal("1503014101800001,SITI AMINAH,Sarolangun,01-01-1980,P,RT 003/001 Dusun Baru,Desa Tambak Ratu,Batang Asai,081234567890,Pekerja Rentan,JKK+JKM,01-12-2024,11,APBD Perubahan Rp 201.600", lines[1]);
        Assert.StartsWith("1503011205900010,AHMAD\u0001 FAUZI,,12-05-1990,L,'=cmd|' /C calc'!A0,", lines[2]);
    }

    [Fact]
    public async Task Each_row_names_every_funders_share_of_the_persons_premium()
    {
        // Issue 13.6: the province pays 40% of every premium for the first six funded months.
        var shared = UcjFlow.Core.Campaigns.CampaignLoader.Parse(SampleCampaign.With(o => o["costShares"] = new System.Text.Json.Nodes.JsonArray(
            new System.Text.Json.Nodes.JsonObject { ["funder"] = "P-APBD", ["percent"] = 60, ["to"] = "2025-04-30" },
            new System.Text.Json.Nodes.JsonObject { ["funder"] = "APBD Provinsi", ["percent"] = 40, ["to"] = "2025-04-30" },
            new System.Text.Json.Nodes.JsonObject { ["funder"] = "P-APBD", ["percent"] = 100, ["from"] = "2025-05-01" })));
        using var ms = new MemoryStream();
        await BpjsExport.WriteCsvAsync(ms, Batch, BpjsExportContext.For(shared));

        var lines = Encoding.UTF8.GetString(ms.ToArray()[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        // 6 × 60% and 6 × 100% of Rp 16.800 for the regency, 6 × 40% for the province.
        Assert.EndsWith(",\"APBD Perubahan Rp 161.280; APBD Provinsi Rp 40.320\"", lines[1]);
    }

    [Fact]
    public async Task Xlsx_opened_by_LibreOffice_keeps_every_NIK_digit()
    {
        const string soffice = "/usr/bin/soffice";
        if (!File.Exists(soffice)) Assert.Fail("LibreOffice (/usr/bin/soffice) is required for this test; .ci/run installs it.");
        var dir = Directory.CreateTempSubdirectory("ucj-export-").FullName;
        try
        {
            var xlsx = Path.Combine(dir, "export.xlsx");
            await using (var fs = File.Create(xlsx)) await BpjsExport.WriteXlsxAsync(fs, Batch, Context);
            var psi = new System.Diagnostics.ProcessStartInfo(soffice, ["--headless", "--norestore", $"-env:UserInstallation=file://{dir}/profile", "--convert-to", "csv", "--outdir", dir, xlsx])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = System.Diagnostics.Process.Start(psi)!;
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await p.WaitForExitAsync(cts.Token);
            var csv = await File.ReadAllTextAsync(Path.Combine(dir, "export.csv"));

            Assert.True(csv.Contains("1503011205900010,AHMAD FAUZI", StringComparison.Ordinal), csv);
            Assert.True(csv.Contains("1503014101800001,SITI AMINAH,Sarolangun,", StringComparison.Ordinal), csv);
            Assert.True(csv.Contains("1503036007850003,NUR HASANAH,", StringComparison.Ordinal), csv);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>A write-only, non-seekable stream, like an HTTP response body.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
