using System.Globalization;
using System.Text;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Values;
using UcjFlow.Core.Tests.Fixtures;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>
/// Each kind of issue 12 as a kind, beyond its regression file: every Unicode format character, every text form a
/// number leaves on a NIK or KK, every date-time form of a date cell, two-row headers without merges (CSV), and the
/// names no KTP has (NAME_SUSPICIOUS).
/// </summary>
public sealed class ArrivalQuirkTests
{
    private const string Nik = "1503015403790131";

    /// <summary>Every character of Unicode category Cf, the BMP ones and those behind surrogate pairs (tags).</summary>
    public static IEnumerable<string> FormatCharacters()
    {
        for (var c = 0; c <= 0x10FFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF) continue;
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format) yield return char.ConvertFromUtf32(c);
        }
    }

    [Fact]
    public async Task Every_format_character_is_dropped_from_csv_and_xlsx_cells()
    {
        var cf = FormatCharacters().ToList();
        Assert.True(cf.Count > 150, $"only {cf.Count} Cf characters known");
        Assert.Contains("\U000E0041", cf);
        List<string?[]> rows = [["N\u200BIK", "Nama"]];
        rows.AddRange(cf.Select(c => new string?[] { "150301" + c + "5403790131", "SITI" + c + " AMINAH" }));
        var csv = await RosterRead.AllAsync(CsvRoster.Write(rows), "roster.csv");
        var xlsx = await RosterRead.AllAsync(new XlsxRoster().Sheet("Data").Rows(rows.Select(r => r.Select(v => (object?)XlsxRoster.Text(v!)).ToArray())).ToBytes());
        foreach (var read in new[] { csv, xlsx })
        {
            Assert.Equal("NIK", read.Header.TitleOf(RosterField.Nik));
            Assert.Equal(cf.Count, read.Rows.Count);
            Assert.All(read.Rows, r => Assert.Equal((Nik, "SITI AMINAH"), (r[0].Text, r[1].Text)));
        }
    }

    [Fact]
    public async Task A_cell_of_nothing_but_format_characters_is_empty()
    {
        var read = await RosterRead.AllAsync(CsvRoster.Write(',', CsvEncoding.Utf8, ["NIK", "Nama"], ["\u200B\u2060", "ANI"]), "r.csv");
        Assert.True(Assert.Single(read.Rows)[0].IsEmpty);
    }

    [Theory]
    [InlineData("1.503.010.211.860.170", "Grouped", "1503010211860170")]
    [InlineData("1,503,010,211,860,170", "Grouped", "1503010211860170")]
    [InlineData("1 503 010 211 860 170", "Grouped", "1503010211860170")]
    [InlineData("1\u00A0503\u00A0010\u00A0211\u00A0860\u00A0171", "Grouped", "1503010211860171")]
    [InlineData("1\u202F503\u202F010\u202F211\u202F860\u202F170", "Grouped", "1503010211860170")]
    [InlineData("1'503'010'211'860'170", "Grouped", "1503010211860170")]
    [InlineData("'1.503.010.211.860.170", "Grouped", "1503010211860170")]
    [InlineData("1.503.010.211.860.170,00", "Grouped", "1503010211860170")]
    [InlineData("1,503,010,211,860,170.00", "Grouped", "1503010211860170")]
    [InlineData("1503010211860171.0", "Decimal", "1503010211860171")]
    [InlineData("1503010211860170,00", "Decimal", "1503010211860170")]
    [InlineData("3.50301E+15", "Scientific", "")]
    [InlineData("1503010211860171", "None", "")]    // typed
    [InlineData("150301.021186.0171", "None", "")]  // 6-6-4, as people group a NIK
    [InlineData("1503.0102.1186.0171", "None", "")] // 4-4-4-4
    [InlineData("150.301.021.186.0171", "None", "")] // the last group is not three digits
    [InlineData("1.503,010.211.860.170", "None", "")] // mixed separators
    [InlineData("12.345", "None", "")]              // too short to be a NIK that went through a number
    [InlineData("1503010211860171.5", "None", "")]
    public void A_number_leaves_its_mark_on_text(string text, string form, string digits)
    {
        Assert.Equal((form, digits), (TextValues.NumberFormOf(text, out var whole).ToString(), whole));
    }

    [Theory]
    [InlineData("1.503.010.211.860.171", RuleCodes.NikPrecisionLost, false)]
    [InlineData("1,503,015,403,790,130", RuleCodes.NikPrecisionLost, false)]
    [InlineData("1503015403790130.0", RuleCodes.NikPrecisionLost, true)]
    [InlineData("1503015403790131.0", null, true)]
    [InlineData("150301.540379.0131", null, false)]
    public void Nik_text_is_judged_as_the_number_it_was(string text, string? error, bool storedAsNumber)
    {
        var reading = NikReader.Read(new Cell(CellKind.Text, text), new DateOnly(2024, 11, 1), UcjFlow.Core.Regions.RegionCodes.Default);
        Assert.Equal((error, storedAsNumber), (reading.Error, reading.StoredAsNumber));
    }

    [Theory]
    [InlineData("1.503.010.101.100.001", null)]
    [InlineData("1,503,010,101,100,001", null)]
    [InlineData("1503010101100001.0", "1503010101100001")]
    [InlineData("1503010101100000.0", null)]
    [InlineData("1503 0101 0110 0001", "1503010101100001")]
    public void Kk_text_that_went_through_a_number(string text, string? kk)
    {
        var cell = new Cell(CellKind.Text, text);
        Assert.Equal(kk, KkValues.Normalise(cell));
    }

    [Theory]
    [InlineData("1986-11-02T00:00:00")]
    [InlineData("1986-11-02T00:00")]
    [InlineData("1986-11-02T00:00:00.000")]
    [InlineData("1986-11-02T00:00:00.0000000")]
    [InlineData("1986-11-02T00:00:00Z")]
    [InlineData("1986-11-02T00:00:00.000Z")]
    [InlineData("1986-11-02T00:00:00+07:00")]
    [InlineData("1986-11-02T00:00:00+0700")]
    [InlineData("1986-11-02T17:00:00-05:00")]
    [InlineData("1986-11-02 00:00:00")]
    [InlineData("1986-11-02 00:00:00.000")]
    [InlineData("02-11-1986 00:00:00")]
    [InlineData("02/11/1986 0:00")]
    [InlineData("02/11/1986 12:00:00 AM")]
    [InlineData("02/11/1986 12:00 a.m.")]
    [InlineData("2 Nop 1986 00:00")]
    public void Date_time_forms_of_a_date_cell_are_dates(string text)
    {
        Assert.True(RosterDates.TryParse(text, new DateOnly(2024, 11, 1), out var date), text);
        Assert.Equal(new DateOnly(1986, 11, 2), date);
    }

    [Theory]
    [InlineData("1986-11-31T00:00:00")]
    [InlineData("1986-11-02Tpagi")]
    [InlineData("1986-11-02T25")]
    public void Date_time_text_that_is_no_date_stays_unreadable(string text) =>
        Assert.False(RosterDates.TryParse(text, new DateOnly(2024, 11, 1), out _));

    [Fact]
    public async Task A_csv_two_row_header_names_its_columns_from_the_sub_headings()
    {
        var csv = CsvRoster.Write(',', CsvEncoding.Utf8,
            ["DAFTAR PESERTA"],
            ["No", "NIK", "Nama", "Tempat / Tanggal Lahir", "", "Alamat", "", ""],
            ["", "", "", "Tempat", "Tanggal", "Dusun", "RT", "RW"],
            ["1", "2", "3", "4", "5", "6", "7", "8"],
            ["1", Nik, "SITI", "Sarolangun", "14-03-1979", "Dusun I", "001", "002"]);
        var read = await RosterRead.AllAsync(csv, "r.csv");
        Assert.Equal((2, 3), (read.Header.Row, read.Header.LastRow));
        Assert.Equal(
            [RosterField.Ignored, RosterField.Nik, RosterField.Name, RosterField.BirthPlace, RosterField.BirthDate, RosterField.Address, RosterField.Rt, RosterField.Rw],
            read.Header.Columns.Select(c => c.Field));
        Assert.Equal("Tanggal (Tempat / Tanggal Lahir)", read.Header.TitleOf(RosterField.BirthDate));
        Assert.Equal(5, Assert.Single(read.Rows).Row);
    }

    [Fact]
    public async Task A_first_person_under_a_merged_heading_is_no_sub_heading()
    {
        // "Tempat / Tanggal Lahir" spans two data columns with no sub-headings: the row under it is a person.
        var csv = CsvRoster.Write(',', CsvEncoding.Utf8,
            ["NIK", "Nama", "Tempat / Tanggal Lahir", ""],
            [Nik, "SITI", "Sarolangun", "14-03-1979"],
            ["", "", "Bangko", "Lahir di rumah"]);
        var read = await RosterRead.AllAsync(csv, "r.csv");
        Assert.Equal((1, 1), (read.Header.Row, read.Header.LastRow));
        Assert.Equal([2, 3], read.Rows.Select(r => r.Row));
    }

    [Fact]
    public async Task Cells_read_only_past_the_header_window_or_in_a_hidden_sheet_are_still_header_not_found()
    {
        var late = new XlsxRoster().Sheet("Data").RowAt(35, "NIK", "Nama").Row(XlsxRoster.Text(Nik), "SITI").ToBytes();
        var hidden = new XlsxRoster().Sheet("Kosong").Sheet("Data", hidden: true).Row("NIK", "Nama").Row(XlsxRoster.Text(Nik), "SITI").ToBytes();
        Assert.Equal(RuleCodes.HeaderNotFound, (await RosterRead.RefusalAsync(late)).Code);
        Assert.Equal(RuleCodes.HeaderNotFound, (await RosterRead.RefusalAsync(hidden)).Code);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"klik\")", "diawali tanda \"=\"")]
    [InlineData("+62 SITI", "diawali tanda \"+\"")]
    [InlineData("@SUM(A1)", "diawali tanda \"@\"")]
    [InlineData("-SITI", "diawali tanda \"-\"")]
    [InlineData("<SCRIPT>ALERT(1)</SCRIPT>", "mengandung tanda \"<\"")]
    [InlineData("SITI >", "mengandung tanda \">\"")]
    [InlineData("SITI\u0007AMINAH", "mengandung karakter kendali (tak terlihat)")]
    [InlineData("SITI AMINAH 2", "mengandung angka")]
    [InlineData("A", "terlalu pendek")]
    [InlineData("SITI AMINAH", null)]
    [InlineData("NUR'AINI BINTI M. YUSUF", null)]
    [InlineData("ANAK-AGUNG PUTRA", null)]
    [InlineData("SITI, S.PD.", null)]
    public void Names_no_ktp_has_are_suspicious(string name, string? why) => Assert.Equal(why, NameValues.SuspicionOf(name));
}
