using System.Buffers.Binary;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Tests.Fixtures;

namespace UcjFlow.Core.Tests.Reading;

/// <summary>Workbooks converted to BIFF8 .xls by LibreOffice once for the whole class (soffice starts slowly).</summary>
public sealed class XlsBooks
{
    public byte[] Roster { get; }
    public byte[] HiddenFirst { get; }

    public XlsBooks()
    {
        var roster = new XlsxRoster().Sheet("Daftar")
            .Row("DAFTAR PESERTA DESA PULAU PANDAN").Merge("A1:F1")
            .Row("No", "NIK", "Nama Lengkap", "Tanggal Lahir", "Jenis Kelamin", "Keterangan")
            .Row(1, 1503014101800001L, "SITI AMINAH", new DateTime(1980, 1, 1), "P", "NIK sebagai angka")
            .Row(2, XlsxRoster.Text("1503010202900002"), "BUDI SANTOSO", new DateTime(1990, 2, 2), "L", "Café ü")
            .Row(3)
            .Row(null, null, "JUMLAH", null, null, 2)
            .ToBytes();
        var hidden = new XlsxRoster()
            .Sheet("Kode", hidden: true).Row("NIK", "Nama").Row(XlsxRoster.Text("9999999999999999"), "HIDDEN")
            .Sheet("Data").Row("NIK", "Nama").Row(XlsxRoster.Text("1503014101800001"), "ANI")
            .ToBytes();
        var converted = LibreOffice.ToXlsAsync(roster, hidden).GetAwaiter().GetResult();
        Roster = converted[0];
        HiddenFirst = converted[1];
    }
}

public class XlsReadingTests(XlsBooks books) : IClassFixture<XlsBooks>
{
    [Fact]
    public async Task Xls_reads_with_types_and_sheet_row_numbers()
    {
        var result = await RosterRead.AllAsync(books.Roster, "daftar.xls");
        Assert.Equal(RosterFormat.Xls, result.Format);
        Assert.Equal("Daftar", result.Header.Sheet);
        Assert.Equal(2, result.Header.Row);
        Assert.Equal([3, 4], result.Rows.Select(r => r.Row));
        var nik = result.Header.IndexOf(RosterField.Nik);
        Assert.Equal(new Cell(CellKind.Number, "1503014101800001", 1503014101800001d), result.Rows[0][nik]);
        Assert.Equal(new Cell(CellKind.Text, "1503010202900002"), result.Rows[1][nik]);
        var birth = result.Rows[1][result.Header.IndexOf(RosterField.BirthDate)];
        Assert.Equal(CellKind.Date, birth.Kind);
        Assert.Equal("1990-02-02", birth.Text);
        Assert.Equal("Café ü", result.Rows[1][5].Text);
    }

    [Fact]
    public async Task Xls_hidden_sheet_is_skipped()
    {
        var result = await RosterRead.AllAsync(books.HiddenFirst, "a.xls");
        Assert.Equal("Data", result.Header.Sheet);
        Assert.Equal("ANI", Assert.Single(result.Rows)[1].Text);
    }

    [Fact]
    public async Task Truncated_xls_is_corrupt()
    {
        var xls = books.Roster;
        for (var cut = 512; cut < xls.Length; cut += 1536)
            Assert.Equal(RuleCodes.FileCorrupt, (await RosterRead.RefusalAsync(xls[..cut], "a.xls")).Code);
    }

    [Fact]
    public async Task Xls_with_a_filepass_record_is_encrypted()
    {
        // A password-protected .xls carries a FILEPASS record (0x002F) right after the globals' BOF. Rebuild the records
        // after BOF (INTERFACEHDR, MMS, INTERFACEEND, WRITEACCESS: 132 bytes) as FILEPASS with an RC4 header whose
        // verifier does not match the default password, then the three short records: same length, same stream.
        var xls = (byte[])books.Roster.Clone();
        var bof = xls.AsSpan().IndexOf(new byte[] { 0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00 });
        Assert.True(bof > 0, "no workbook BOF in the LibreOffice .xls");
        var start = bof + 20;
        var original = xls.AsSpan(start, 132).ToArray();
        Assert.Equal(0x5C, original[16]); // WRITEACCESS where LibreOffice puts it
        var patched = new byte[132];
        BinaryPrimitives.WriteUInt16LittleEndian(patched, 0x002F);
        BinaryPrimitives.WriteUInt16LittleEndian(patched.AsSpan(2), 112);
        patched[4] = 1; // RC4
        patched[6] = 1; // version 1.1
        patched[8] = 1;
        for (var i = 10; i < 58; i++) patched[i] = (byte)(i * 37);
        original.AsSpan(0, 16).CopyTo(patched.AsSpan(116)); // INTERFACEHDR, MMS, INTERFACEEND
        patched.CopyTo(xls.AsSpan(start));
        var refused = await RosterRead.RefusalAsync(xls, "a.xls");
        Assert.Equal(RuleCodes.FileEncrypted, refused.Code);
    }
}
