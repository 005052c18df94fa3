using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Tests.Fixtures;
using Xunit.Abstractions;

namespace UcjFlow.Core.Tests.Reading;

/// <summary>Every file-level code from a real bad file, and never another exception.</summary>
public class FileLevelTests(ITestOutputHelper output)
{
    private static byte[] GoodXlsx() => new XlsxRoster().Sheet("Data")
        .Row("NIK", "Nama").Row(XlsxRoster.Text("1503014101800001"), "ANI").ToBytes();

    [Fact]
    public async Task Truncated_xlsx_is_corrupt()
    {
        var good = GoodXlsx();
        var refused = await RosterRead.RefusalAsync(good[..(good.Length * 2 / 3)]);
        Assert.Equal(RuleCodes.FileCorrupt, refused.Code);
        Assert.Contains("rusak", refused.Message);
    }

    [Fact]
    public async Task Xlsx_breaking_after_the_header_is_corrupt()
    {
        // The central directory is intact, the deflated sheet is garbage: the break comes while reading.
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var source = new ZipArchive(new MemoryStream(GoodXlsx()), ZipArchiveMode.Read);
            foreach (var entry in source.Entries)
            {
                var copy = zip.CreateEntry(entry.FullName, CompressionLevel.NoCompression);
                using var to = copy.Open();
                if (entry.FullName.Contains("worksheets/sheet"))
                    to.Write("""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="""u8);
                else entry.Open().CopyTo(to);
            }
        }
        var refused = await RosterRead.RefusalAsync(ms.ToArray());
        Assert.Equal(RuleCodes.FileCorrupt, refused.Code);
    }

    [Fact]
    public async Task Pdf_named_xlsx_is_unsupported()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
            .Concat(new byte[] { 0, 1, 2, 0x9C, 0x78, 0 }).ToArray();
        var refused = await RosterRead.RefusalAsync(pdf, "daftar.xlsx");
        Assert.Equal(RuleCodes.FileUnsupported, refused.Code);
    }

    [Fact]
    public async Task Png_and_binary_junk_are_unsupported()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
        Assert.Equal(RuleCodes.FileUnsupported, (await RosterRead.RefusalAsync(png, "foto.csv")).Code);
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);
        junk[0] = 0x01;
        Assert.Equal(RuleCodes.FileUnsupported, (await RosterRead.RefusalAsync(junk, "data.xls")).Code);
    }

    [Theory]
    [InlineData("<html><body><table><tr><td>NIK</td><td>Nama</td></tr><tr><td>1503014101800001</td><td>ANI</td></tr></table></body></html>")]
    [InlineData("\uFEFF<?xml version=\"1.0\"?><?mso-application progid=\"Excel.Sheet\"?><Workbook><Row><Cell>NIK</Cell><Cell>Nama</Cell></Row></Workbook>")]
    public async Task Html_or_xml_named_xls_is_unsupported(string markup)
    {
        var refused = await RosterRead.RefusalAsync(Encoding.UTF8.GetBytes(markup), "export-dtks.xls");
        Assert.Equal(RuleCodes.FileUnsupported, refused.Code);
    }

    [Fact]
    public async Task Docx_zip_without_workbook_is_unsupported()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var w = new StreamWriter(zip.CreateEntry("word/document.xml").Open());
            w.Write("<w:document/>");
        }
        Assert.Equal(RuleCodes.FileUnsupported, (await RosterRead.RefusalAsync(ms.ToArray(), "daftar.xlsx")).Code);
    }

    [Fact]
    public async Task Ole2_document_without_workbook_is_unsupported()
    {
        var doc = Ole2Container.Build(("WordDocument", new byte[100]), ("\u0001CompObj", new byte[50]));
        Assert.Equal(RuleCodes.FileUnsupported, (await RosterRead.RefusalAsync(doc, "daftar.xls")).Code);
    }

    [Fact]
    public async Task Truncated_ole2_is_corrupt()
    {
        var doc = Ole2Container.Build(("Workbook", new byte[8000]));
        Assert.Equal(RuleCodes.FileCorrupt, (await RosterRead.RefusalAsync(doc[..700], "daftar.xls")).Code);
    }

    [Fact]
    public async Task Encrypted_xlsx_is_refused_as_encrypted()
    {
        // What Excel writes for "Encrypt with Password": an OLE2 container, not a zip.
        var encryptionInfo = new byte[] { 4, 0, 4, 0, 0x40, 0, 0, 0 }.Concat(Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\"?><encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\"/>")).ToArray();
        var package = new byte[6000];
        new Random(1).NextBytes(package);
        var encrypted = Ole2Container.Build(("EncryptionInfo", encryptionInfo), ("EncryptedPackage", package));
        var refused = await RosterRead.RefusalAsync(encrypted, "daftar.xlsx");
        Assert.Equal(RuleCodes.FileEncrypted, refused.Code);
        Assert.Contains("kata sandi", refused.Message);
    }

    [Fact]
    public async Task Empty_file_is_corrupt()
    {
        var refused = await RosterRead.RefusalAsync([], "daftar.xlsx");
        Assert.Equal(RuleCodes.FileCorrupt, refused.Code);
        Assert.Contains("kosong", refused.Message);
    }

    [Fact]
    public async Task Header_only_without_nik_column_is_header_not_found()
    {
        var xlsx = new XlsxRoster().Sheet("Data").Row("No", "Nama", "Alamat").Row(1, "ANI", "Jl. Mawar").ToBytes();
        Assert.Equal(RuleCodes.HeaderNotFound, (await RosterRead.RefusalAsync(xlsx)).Code);
        var csv = CsvRoster.Write(',', CsvEncoding.Utf8, ["Nama", "Alamat"], ["ANI", "Jl. Mawar"]);
        Assert.Equal(RuleCodes.HeaderNotFound, (await RosterRead.RefusalAsync(csv, "a.csv")).Code);
    }

    [Fact]
    public async Task Header_below_row_30_is_not_found()
    {
        var book = new XlsxRoster().Sheet("Data");
        for (var i = 0; i < 30; i++) book.Row("judul " + i);
        book.Row("NIK", "Nama").Row(XlsxRoster.Text("1503014101800001"), "ANI");
        Assert.Equal(RuleCodes.HeaderNotFound, (await RosterRead.RefusalAsync(book.ToBytes())).Code);
    }

    [Fact]
    public async Task Header_on_row_30_is_found()
    {
        var book = new XlsxRoster().Sheet("Data");
        for (var i = 0; i < 29; i++) book.Row("judul " + i);
        book.Row("NIK", "Nama").Row(XlsxRoster.Text("1503014101800001"), "ANI");
        var result = await RosterRead.AllAsync(book.ToBytes());
        Assert.Equal(30, result.Header.Row);
        Assert.Equal(31, Assert.Single(result.Rows).Row);
    }

    [Fact]
    public async Task Byte_limit_refuses_before_reading_seekable_and_unseekable()
    {
        var xlsx = GoodXlsx();
        var limits = new RosterLimits(MaxBytes: xlsx.Length - 1);
        Assert.Equal(RuleCodes.FileTooLarge, (await RosterRead.RefusalAsync(xlsx, limits: limits)).Code);
        var ex = await Assert.ThrowsAsync<RosterFileException>(() =>
            RosterFileReader.OpenAsync(new UnseekableStream(xlsx), "a.xlsx", limits));
        Assert.Equal(RuleCodes.FileTooLarge, ex.Code);
        // At the limit exactly, both read.
        var atLimit = new RosterLimits(MaxBytes: xlsx.Length);
        Assert.Single((await RosterRead.AllAsync(xlsx, limits: atLimit)).Rows);
        using var opened = await RosterFileReader.OpenAsync(new UnseekableStream(xlsx), "a.xlsx", atLimit);
        Assert.Equal(1, opened.Header.Row);
    }

    [Fact]
    public async Task Row_limit_refuses_past_max_rows_counting_data_rows_only()
    {
        var book = new XlsxRoster().Sheet("Data").Row("No", "NIK", "Nama");
        for (var i = 1; i <= 5; i++) book.Row(i, XlsxRoster.Text($"150301410180{i:0000}"), "ANI");
        book.Row(6).Row(7).Row(null, null, "JUMLAH"); // numbered empty rows and a total row are not data rows
        var bytes = book.ToBytes();
        Assert.Equal(5, (await RosterRead.AllAsync(bytes, limits: new RosterLimits(MaxRows: 5))).Rows.Count);
        var refused = await RosterRead.RefusalAsync(bytes, limits: new RosterLimits(MaxRows: 4));
        Assert.Equal(RuleCodes.FileTooLarge, refused.Code);
        Assert.Contains("baris", refused.Message);
    }

    [Fact]
    public async Task Zip_bomb_is_refused_from_its_directory_without_inflating()
    {
        var bomb = ZipBombs.Honest;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refused = await RosterRead.RefusalAsync(bomb);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"honest bomb ({bomb.Length:N0} bytes, inflates to ~256 MB): refused in {clock.Elapsed.TotalMilliseconds:F0} ms, {allocated:N0} bytes allocated");
        Assert.Equal(RuleCodes.FileCorrupt, refused.Code);
        Assert.True(allocated < 16 * 1024 * 1024, $"allocated {allocated:N0} bytes refusing a zip bomb");
    }

    [Fact]
    public async Task Zip_bomb_that_lies_about_its_sizes_cannot_exhaust_memory()
    {
        // The directory claims 2 KB of shared strings; the part really inflates to ~256 MB of them. ZipArchive stops at
        // the claimed size, so the XML ends early: corrupt, and nothing near the real size is allocated.
        var bomb = ZipBombs.Lying;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refused = await RosterRead.RefusalAsync(bomb);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"lying bomb: refused in {clock.Elapsed.TotalMilliseconds:F0} ms, {allocated:N0} bytes allocated");
        Assert.Equal(RuleCodes.FileCorrupt, refused.Code);
        Assert.True(allocated < 64 * 1024 * 1024, $"allocated {allocated:N0} bytes reading a lying zip bomb");
    }

    [Fact]
    public async Task Inflate_limit_is_configurable()
    {
        var xlsx = GoodXlsx();
        Assert.Equal(RuleCodes.FileCorrupt, (await RosterRead.RefusalAsync(xlsx, limits: new RosterLimits(MaxInflatedBytes: 1000))).Code);
    }

    /// <summary>Bad input of every kind yields a RosterFileException, never another exception.</summary>
    [Fact]
    public async Task Every_prefix_of_a_workbook_is_refused_with_a_file_code_or_read()
    {
        var good = GoodXlsx();
        for (var length = 0; length < good.Length; length += Math.Max(1, good.Length / 40))
        {
            try
            {
                await RosterRead.AllAsync(good[..length]);
            }
            catch (RosterFileException ex)
            {
                Assert.Contains(ex.Code, new[] { RuleCodes.FileCorrupt, RuleCodes.FileUnsupported, RuleCodes.HeaderNotFound });
            }
        }
    }

    private sealed class UnseekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Zip bombs shaped like xlsx files, built once per test run (each inflates to ~256-300 MB).</summary>
internal static class ZipBombs
{
    private static readonly Lazy<byte[]> HonestBomb = new(() => Build(lie: false));
    private static readonly Lazy<byte[]> LyingBomb = new(() => Build(lie: true));

    public static byte[] Honest => HonestBomb.Value;
    public static byte[] Lying => LyingBomb.Value;

    private static byte[] Build(bool lie)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in new ZipArchive(new MemoryStream(new XlsxRoster().Sheet("Data").Row("NIK", "Nama")
                         .Row(XlsxRoster.Text("1503014101800001"), "ANI").ToBytes())).Entries)
            {
                if (entry.FullName == "xl/sharedStrings.xml") continue;
                using var to = zip.CreateEntry(entry.FullName).Open();
                using var from = entry.Open();
                from.CopyTo(to);
            }
            using (var strings = zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.Fastest).Open())
            {
                strings.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>NIK</t></si><si><t>Nama</t></si><si><t>1503014101800001</t></si><si><t>ANI</t></si>"u8);
                var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<si><t>x</t></si>", 64 * 1024 / 17)));
                for (long written = 0; written < 256L * 1024 * 1024; written += chunk.Length) strings.Write(chunk);
                strings.Write("</sst>"u8);
            }
        }
        var bytes = ms.ToArray();
        if (lie) ClaimSize(bytes, "xl/sharedStrings.xml", 2048);
        return bytes;
    }

    /// <summary>Overwrites the uncompressed size of an entry in its local header and in the central directory.</summary>
    private static void ClaimSize(byte[] zip, string name, uint size)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var sig = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (sig == 0x04034b50 && zip.AsSpan(i + 30).StartsWith(nameBytes) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 26)) == nameBytes.Length)
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), size);
            if (sig == 0x02014b50 && zip.AsSpan(i + 46).StartsWith(nameBytes) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28)) == nameBytes.Length)
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size);
        }
    }
}
