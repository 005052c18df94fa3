using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Tests.Fixtures;

namespace UcjFlow.Core.Tests.Reading;

public class XlsxReadingTests
{
    [Fact]
    public async Task Header_after_merged_title_rows_with_sheet_row_numbers()
    {
        var xlsx = new XlsxRoster().Sheet("Peserta")
            .Row("DAFTAR CALON PESERTA BPJS KETENAGAKERJAAN").Merge("A1:E1")
            .Row("DESA SUNGAI ABANG KECAMATAN SAROLANGUN").Merge("A2:E2")
            .Row()
            .Row("No", "NIK", "Nama Lengkap", "Tgl Lahir", "L/P")
            .Row(1, XlsxRoster.Text("1503014101800001"), "ANI", new DateTime(1980, 1, 1), "P")
            .Row(2, XlsxRoster.Text("1503010202900002"), "BUDI", new DateTime(1990, 2, 2), "L")
            .ToBytes();
        var result = await RosterRead.AllAsync(xlsx);
        Assert.Equal("Peserta", result.Header.Sheet);
        Assert.Equal(4, result.Header.Row);
        Assert.Equal([5, 6], result.Rows.Select(r => r.Row));
        Assert.Equal("BUDI", result.Rows[1][result.Header.IndexOf(RosterField.Name)].Text);
        Assert.Equal(RosterField.Ignored, result.Header.Columns[0].Field);
        Assert.Equal(RosterField.BirthDate, result.Header.Columns[3].Field);
        Assert.Equal(RosterField.Sex, result.Header.Columns[4].Field);
    }

    [Fact]
    public async Task Rows_missing_from_the_file_keep_the_sheet_numbering()
    {
        var xlsx = new XlsxRoster().Sheet("Data")
            .RowAt(3, "NIK", "Nama")
            .RowAt(4, XlsxRoster.Text("1503014101800001"), "ANI")
            .RowAt(9, XlsxRoster.Text("1503010202900002"), "BUDI")
            .ToBytes();
        var result = await RosterRead.AllAsync(xlsx);
        Assert.Equal(3, result.Header.Row);
        Assert.Equal([4, 9], result.Rows.Select(r => r.Row));
    }

    [Fact]
    public async Task Cell_types_are_kept_number_text_date()
    {
        var xlsx = new XlsxRoster().Sheet("Data")
            .Row("NIK", "Nama", "Tanggal Lahir", "No HP", "No KK")
            .Row(3503014101800001L, "  ani  ", new DateTime(1980, 1, 31), 81234567890d, XlsxRoster.Text("1503010101010001"))
            .Row(XlsxRoster.Text("'1503014101800001"), " ", "31-01-1980", XlsxRoster.Num(3.5030141018E+15, "0"), true)
            .ToBytes();
        var rows = (await RosterRead.AllAsync(xlsx)).Rows;
        var first = rows[0];
        Assert.Equal(CellKind.Number, first[0].Kind);
        Assert.Equal(3503014101800001d, first[0].Number);
        Assert.Equal("3503014101800001", first[0].Text); // written out in full, never 3.5E+15
        Assert.Equal(new Cell(CellKind.Text, "ani"), first[1]);
        Assert.Equal(CellKind.Date, first[2].Kind);
        Assert.Equal("1980-01-31", first[2].Text);
        Assert.Equal(new DateTime(1980, 1, 31), first[2].Date);
        Assert.Equal(new Cell(CellKind.Number, "81234567890", 81234567890d), first[3]);
        Assert.Equal(CellKind.Text, first[4].Kind);
        var second = rows[1];
        Assert.Equal(new Cell(CellKind.Text, "'1503014101800001"), second[0]);
        Assert.True(second[1].IsEmpty); // whitespace only
        Assert.Equal(new Cell(CellKind.Text, "31-01-1980"), second[2]);
        Assert.Equal("3503014101800000", second[3].Text);
        Assert.Equal(CellKind.Text, second[4].Kind);
        Assert.Equal("TRUE", second[4].Text);
    }

    [Fact]
    public async Task Hidden_sheets_are_skipped()
    {
        var xlsx = new XlsxRoster()
            .Sheet("Referensi", hidden: true).Row("NIK", "Nama").Row(XlsxRoster.Text("9999999999999999"), "HIDDEN")
            .Sheet("Kode", veryHidden: true).Row("NIK", "Nama").Row(XlsxRoster.Text("8888888888888888"), "VERY HIDDEN")
            .Sheet("Data").Row("NIK", "Nama").Row(XlsxRoster.Text("1503014101800001"), "ANI")
            .ToBytes();
        var result = await RosterRead.AllAsync(xlsx);
        Assert.Equal("Data", result.Header.Sheet);
        Assert.Equal("ANI", Assert.Single(result.Rows)[1].Text);
    }

    [Fact]
    public async Task First_visible_sheet_with_a_header_wins_in_workbook_order()
    {
        var xlsx = new XlsxRoster()
            .Sheet("Petunjuk").Row("Isi NIK 16 digit dan nama sesuai KTP").Row("Kolom", "Keterangan").Row("NIK", "Nomor Induk")
            .Sheet("Data").Row("NIK", "Nama").Row(XlsxRoster.Text("1503014101800001"), "ANI")
            .Sheet("Data2").Row("NIK", "Nama").Row(XlsxRoster.Text("1503010202900002"), "BUDI")
            .ToBytes();
        var result = await RosterRead.AllAsync(xlsx);
        Assert.Equal("Data", result.Header.Sheet);
        Assert.Equal("ANI", Assert.Single(result.Rows)[1].Text);
    }

    [Fact]
    public async Task Column_number_row_under_the_header_is_skipped()
    {
        var xlsx = new XlsxRoster().Sheet("Data")
            .Row("No", "NIK", "Nama", "Alamat")
            .Row(1, 2, 3, 4)
            .Row(1, XlsxRoster.Text("1503014101800001"), "ANI", "Jl. Mawar")
            .ToBytes();
        var rows = (await RosterRead.AllAsync(xlsx)).Rows;
        Assert.Equal(3, Assert.Single(rows).Row);

        var textNumbers = new XlsxRoster().Sheet("Data")
            .Row("No", "NIK", "Nama").Row("(1)", "(2)", "(3)").Row(1, XlsxRoster.Text("1503014101800001"), "ANI").ToBytes();
        Assert.Equal(3, Assert.Single((await RosterRead.AllAsync(textNumbers)).Rows).Row);
    }

    [Fact]
    public async Task Number_row_further_down_is_data()
    {
        var xlsx = new XlsxRoster().Sheet("Data")
            .Row("No", "NIK", "Nama")
            .Row(1, XlsxRoster.Text("1503014101800001"), "ANI")
            .Row(1, 2, 3)
            .ToBytes();
        Assert.Equal([2, 3], (await RosterRead.AllAsync(xlsx)).Rows.Select(r => r.Row));
    }

    [Fact]
    public async Task Empty_numbered_and_total_rows_are_skipped()
    {
        var xlsx = new XlsxRoster().Sheet("Data")
            .Row("No", "NIK", "Nama", "No Urut")
            .Row(1, XlsxRoster.Text("1503014101800001"), "ANI", 1)
            .Row()
            .Row(null, " ", "")
            .Row(2, null, null, 2)
            .Row(null, null, "JUMLAH", null)
            .Row("Total", null, null, null)
            .Row(null, XlsxRoster.Text("1503010202900002"), "TOTAL SUSANTI") // a NIK: this is a person, not a total
            .Row(3, null, "BUDI") // no NIK but a name: a data row (NIK_MISSING for the validator)
            .ToBytes();
        var result = await RosterRead.AllAsync(xlsx);
        Assert.Equal(2, result.Header.IndexOf(RosterField.Name));
        Assert.Equal(RosterField.Ignored, result.Header.Columns[3].Field);
        Assert.Equal([2, 8, 9], result.Rows.Select(r => r.Row));
    }

    [Fact]
    public async Task Rows_are_as_wide_as_the_header()
    {
        var xlsx = new XlsxRoster().Sheet("Data")
            .Row("NIK", "Nama", "Alamat")
            .Row(XlsxRoster.Text("1503014101800001"))
            .Row(XlsxRoster.Text("1503010202900002"), "BUDI", "Jl", "extra", "more")
            .ToBytes();
        var rows = (await RosterRead.AllAsync(xlsx)).Rows;
        Assert.All(rows, r => Assert.Equal(3, r.Cells.Count));
        Assert.True(rows[0][2].IsEmpty);
        Assert.True(rows[0][7].IsEmpty); // past the row: Empty, never an exception
    }

    [Fact]
    public async Task Rows_can_be_kept_by_consumers()
    {
        var xlsx = new XlsxRoster().Sheet("Data").Row("NIK", "Nama")
            .Row(XlsxRoster.Text("1503014101800001"), "ANI").Row(XlsxRoster.Text("1503010202900002"), "BUDI").ToBytes();
        var rows = (await RosterRead.AllAsync(xlsx)).Rows;
        Assert.Equal("ANI", rows[0][1].Text);
        Assert.Equal("BUDI", rows[1][1].Text);
    }

    [Fact]
    public async Task Data_rows_can_be_read_once()
    {
        var xlsx = new XlsxRoster().Sheet("Data").Row("NIK", "Nama").Row(XlsxRoster.Text("1503014101800001"), "ANI").ToBytes();
        using var opened = await RosterFileReader.OpenAsync(new MemoryStream(xlsx), "a.xlsx", RosterLimits.Default);
        await foreach (var _ in opened.ReadDataRowsAsync()) { }
        Assert.Throws<InvalidOperationException>(() => opened.ReadDataRowsAsync());
    }

    [Fact]
    public async Task Cancellation_is_observed()
    {
        var book = new XlsxRoster().Sheet("Data").Row("NIK", "Nama");
        for (var i = 0; i < 3000; i++) book.Row(XlsxRoster.Text($"15030141018{i:00000}"), "ANI");
        using var opened = await RosterFileReader.OpenAsync(new MemoryStream(book.ToBytes()), "a.xlsx", RosterLimits.Default);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in opened.ReadDataRowsAsync(cts.Token)) { }
        });
    }

    [Fact]
    public async Task Extension_does_not_decide()
    {
        var xlsx = new XlsxRoster().Sheet("Data").Row("NIK", "Nama").Row(XlsxRoster.Text("1503014101800001"), "ANI").ToBytes();
        Assert.Equal(RosterFormat.Xlsx, (await RosterRead.AllAsync(xlsx, "daftar.csv")).Format);
        var csv = CsvRoster.Write(',', CsvEncoding.Utf8, ["NIK", "Nama"], ["1503014101800001", "ANI"]);
        Assert.Equal(RosterFormat.Csv, (await RosterRead.AllAsync(csv, "daftar.xlsx")).Format);
    }
}
