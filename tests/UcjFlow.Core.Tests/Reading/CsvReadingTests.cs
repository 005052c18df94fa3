using System.Text;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Tests.Fixtures;

namespace UcjFlow.Core.Tests.Reading;

public class CsvReadingTests
{
    private static readonly string?[][] Roster =
    [
        ["No", "NIK", "Nama Lengkap", "Alamat", "Keterangan"],
        ["1", "1503014101800001", "SITI NURHALIZA", "Jl. Merdeka, No 5; RT 3", "catatan \"penting\""],
        ["2", "1503010202900002", "ANDRÉ SÉBASTIEN", "Dusun II\r\nSebelah masjid", ""],
    ];

    public static TheoryData<char, CsvEncoding> Variants()
    {
        var data = new TheoryData<char, CsvEncoding>();
        foreach (var sep in new[] { ',', ';', '\t' })
            foreach (var enc in Enum.GetValues<CsvEncoding>())
                data.Add(sep, enc);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Separators_and_encodings_are_detected(char separator, CsvEncoding encoding)
    {
        var csv = CsvRoster.Write(Roster, separator, encoding);
        var result = await RosterRead.AllAsync(csv, "15.03.01.2001-desa.csv");
        Assert.Equal(RosterFormat.Csv, result.Format);
        Assert.Equal("15.03.01.2001-desa", result.Header.Sheet);
        Assert.Equal("No", result.Header.Columns[0].Title);
        Assert.Equal(5, result.Header.Columns.Count);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal("Jl. Merdeka, No 5; RT 3", result.Rows[0][3].Text);
        Assert.Equal("catatan \"penting\"", result.Rows[0][4].Text);
        Assert.Equal("ANDRÉ SÉBASTIEN", result.Rows[1][2].Text);
        Assert.Equal("Dusun II\r\nSebelah masjid", result.Rows[1][3].Text);
        Assert.Equal(3, result.Rows[1].Row);
        Assert.All(result.Rows, r => Assert.Equal(CellKind.Text, r[1].Kind)); // CSV has no numbers: NIKs arrive as text
    }

    [Fact]
    public async Task Semicolon_file_with_many_commas_in_data_still_splits_on_semicolons()
    {
        var text = "NIK;Nama;Alamat\n1503014101800001;ANI;Jl. A, No 1, RT 2, RW 3, Desa B, Kec C\n";
        var result = await RosterRead.AllAsync(Encoding.UTF8.GetBytes(text), "a.csv");
        Assert.Equal(3, result.Header.Columns.Count);
        Assert.Equal("Jl. A, No 1, RT 2, RW 3, Desa B, Kec C", Assert.Single(result.Rows)[2].Text);
    }

    [Fact]
    public async Task Windows_1252_is_used_when_bytes_are_not_utf8()
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes("NIK,Nama\n1503014101800001,JOSÉ \u2019ABDUL\u2019\n");
        var result = await RosterRead.AllAsync(bytes, "a.csv");
        Assert.Equal("JOSÉ \u2019ABDUL\u2019", Assert.Single(result.Rows)[1].Text);
    }

    [Fact]
    public async Task Utf8_without_bom_is_decoded_as_utf8()
    {
        var bytes = new UTF8Encoding(false).GetBytes("NIK,Nama\n1503014101800001,JOSÉ ÑOÑO\n");
        Assert.Equal("JOSÉ ÑOÑO", Assert.Single((await RosterRead.AllAsync(bytes, "a.csv")).Rows)[1].Text);
    }

    [Fact]
    public async Task Line_ends_lf_cr_and_missing_final_newline()
    {
        foreach (var nl in new[] { "\n", "\r", "\r\n" })
        {
            var bytes = Encoding.UTF8.GetBytes($"NIK,Nama{nl}1503014101800001,ANI{nl}{nl}1503010202900002,BUDI");
            var rows = (await RosterRead.AllAsync(bytes, "a.csv")).Rows;
            Assert.Equal([2, 4], rows.Select(r => r.Row));
            Assert.Equal("BUDI", rows[1][1].Text);
        }
    }

    [Fact]
    public async Task Title_lines_above_the_header_and_total_line()
    {
        var csv = CsvRoster.Write(';', CsvEncoding.Windows1252,
            ["DAFTAR PESERTA DESA SUKA MAJU"], [], ["No.", "No. KTP", "Nama Peserta", "TTL"], ["1", "2", "3", "4"],
            ["1", "1503014101800001", "ANI", "Sarolangun, 01-01-1980"], ["", "", "JUMLAH", "1"]);
        var result = await RosterRead.AllAsync(csv, "a.csv");
        Assert.Equal(3, result.Header.Row);
        Assert.Equal(RosterField.PlaceAndDateOfBirth, result.Header.Columns[3].Field);
        Assert.Equal(5, Assert.Single(result.Rows).Row);
    }

    [Fact]
    public async Task Tab_separated_utf16_from_excel_unicode_text()
    {
        var bytes = new UnicodeEncoding(false, true).GetPreamble()
            .Concat(Encoding.Unicode.GetBytes("NIK\tNama\r\n1503014101800001\tANI\r\n")).ToArray();
        var result = await RosterRead.AllAsync(bytes, "a.txt");
        Assert.Equal("ANI", Assert.Single(result.Rows)[1].Text);
    }

    [Fact]
    public async Task Csv_row_limit()
    {
        var rows = new List<string?[]> { new[] { "NIK", "Nama" } };
        for (var i = 0; i < 11; i++) rows.Add([$"15030141018{i:00000}", "ANI"]);
        var csv = CsvRoster.Write(rows);
        Assert.Equal(11, (await RosterRead.AllAsync(csv, "a.csv", new RosterLimits(MaxRows: 11))).Rows.Count);
        Assert.Equal(RuleCodes.FileTooLarge, (await RosterRead.RefusalAsync(csv, "a.csv", new RosterLimits(MaxRows: 10))).Code);
    }

    [Fact]
    public async Task Unterminated_quote_does_not_throw()
    {
        var bytes = Encoding.UTF8.GetBytes("NIK,Nama\n1503014101800001,\"ANI\n1503010202900002,BUDI\n");
        var row = Assert.Single((await RosterRead.AllAsync(bytes, "a.csv")).Rows);
        Assert.StartsWith("ANI", row[1].Text);
    }
}
