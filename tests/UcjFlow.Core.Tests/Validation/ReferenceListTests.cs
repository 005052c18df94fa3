using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>
/// DTKS/P3KE extracts read as reference lists: a NIK column is enough (extracts often carry no names), while a
/// village roster still needs NIK and name (roster.md).
/// </summary>
public sealed class ReferenceListTests
{
    private const string Other = "1503010507900002";

    private static async Task<ReferenceList> ReadAsync(byte[] content, string fileName)
    {
        using var stream = new MemoryStream(content);
        return await ReferenceList.ReadAsync(stream, fileName);
    }

    [Fact]
    public async Task A_nik_only_csv_with_title_rows_is_read()
    {
        var csv = CsvRoster.Write(';', CsvEncoding.Utf8Bom,
            ["DATA P3KE KABUPATEN SAROLANGUN"],
            [],
            ["NIK", "No KK", "Alamat"],
            [Nik, Kk, "RT 01"],
            ["1503.0105.0790.0002", Kk, "RT 02"],
            ["150301", Kk, "RT 03"]);
        var list = await ReadAsync(csv, "p3ke.csv");
        Assert.Equal(new HashSet<string> { Nik, Other }, list.Niks);
        Assert.Equal((3, 1), (list.Rows, list.Unusable));
    }

    [Fact]
    public async Task A_single_nik_column_csv_is_read()
    {
        var list = await ReadAsync(CsvRoster.Write(',', CsvEncoding.Utf8, ["NIK"], [Nik], [Other]), "dtks.csv");
        Assert.Equal(new HashSet<string> { Nik, Other }, list.Niks);
        Assert.Equal((2, 0), (list.Rows, list.Unusable));
    }

    [Fact]
    public async Task A_semicolon_csv_whose_only_known_column_is_nik_is_split_on_semicolons()
    {
        // Read with ',' the whole line would be one column titled "NIK;Desil" and no NIK would be usable.
        var csv = CsvRoster.Write(';', CsvEncoding.Utf8, ["NIK", "Desil"], [Nik, "1"], [Other, "2"]);
        var list = await ReadAsync(csv, "p3ke.csv");
        Assert.Equal(new HashSet<string> { Nik, Other }, list.Niks);
        Assert.Equal((2, 0), (list.Rows, list.Unusable));
    }

    [Fact]
    public async Task A_nik_only_xlsx_is_read_with_text_and_number_niks()
    {
        var xlsx = new XlsxRoster().Sheet("DTKS")
            .Row("DATA TERPADU KESEJAHTERAAN SOSIAL").Row()
            .Row("No", "NIK (16 digit)", "Kecamatan")
            .Row(1, XlsxRoster.Text(Nik), "Batang Asai")
            .Row(2, 1503010507900002d, "Batang Asai")
            .ToBytes();
        var list = await ReadAsync(xlsx, "dtks.xlsx");
        Assert.Equal(new HashSet<string> { Nik, Other }, list.Niks);
        Assert.Equal((2, 0), (list.Rows, list.Unusable));
    }

    [Fact]
    public async Task A_reference_list_without_a_nik_column_is_HEADER_NOT_FOUND()
    {
        var csv = CsvRoster.Write(',', CsvEncoding.Utf8, ["Nama", "Alamat"], ["SITI AMINAH", "RT 01"]);
        var e = await Assert.ThrowsAsync<RosterFileException>(() => ReadAsync(csv, "dtks.csv"));
        Assert.Equal(RuleCodes.HeaderNotFound, e.Code);
    }

    [Fact]
    public async Task A_roster_without_a_name_column_is_still_HEADER_NOT_FOUND()
    {
        var xlsx = new XlsxRoster().Sheet("Data").Row("No", "NIK", "No KK", "Alamat").Row(1, XlsxRoster.Text(Nik), XlsxRoster.Text(Kk), "RT 01").ToBytes();
        var report = await ValidateAsync(xlsx);
        Assert.Equal((RosterStatus.Unreadable, RuleCodes.HeaderNotFound), (report.Status, report.FileCode));

        var csv = CsvRoster.Write(',', CsvEncoding.Utf8, ["NIK"], [Nik]);
        report = await ValidateAsync(csv, "15.03.01.2001-roster.csv");
        Assert.Equal((RosterStatus.Unreadable, RuleCodes.HeaderNotFound), (report.Status, report.FileCode));
    }

    [Fact]
    public async Task A_nik_only_reference_list_gives_NOT_IN_REFERENCE_to_a_roster()
    {
        var list = await ReadAsync(CsvRoster.Write(',', CsvEncoding.Utf8, ["NIK"], [Other]), "dtks.csv");
        var report = await ValidateAsync(Xlsx(new Person()), settings: Settings with { Reference = list.Niks });
        Assert.Equal(RosterStatus.Valid, report.Status);
        Assert.Equal("warning", report.Single(FirstRow, RuleCodes.NotInReference).Severity);
    }
}
