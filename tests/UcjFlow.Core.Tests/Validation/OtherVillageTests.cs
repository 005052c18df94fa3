using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>
/// FILE_OTHER_VILLAGE (roster.md, file-level): a roster of another village of the regency uploaded under the batch's
/// village (Desa Tambak Ratu, 15.03.01.2001) is refused, naming the village it seems to belong to. Pulau Pandan is
/// 15.03.02.2005 in Kec. Limun, Sungai Keradak 15.03.01.2002 in the batch's own kecamatan.
/// </summary>
public sealed class OtherVillageTests
{
    private static Person Row(int serial, string village) =>
        new(Nik: XlsxRoster.Text($"15030141018{serial:00000}"), VillageName: village);

    private static Person[] Rows(params string[] villages) => villages.Select((v, i) => Row(i + 1, v)).ToArray();

    private static void AssertOtherVillage(RosterReport report, string name, string code)
    {
        Assert.Equal((RosterStatus.Unreadable, RuleCodes.FileOtherVillage), (report.Status, report.FileCode));
        Assert.Equal((0, 0), (report.Rows, report.Valid));
        Assert.Empty(report.Issues);
        Assert.Contains($"Desa {name}", report.FileMessage);
        Assert.Contains(code, report.FileMessage);
        Assert.Contains("Tambak Ratu", report.FileMessage);
    }

    [Fact]
    public async Task Rows_naming_another_village_of_the_regency_are_FILE_OTHER_VILLAGE_naming_it()
    {
        // Written as villages write it: case, spacing and Desa/Kel. prefixes vary; one row names the batch's village.
        var report = await ValidateAsync(Rows("Desa Pulau Pandan", "PULAU  PANDAN", "Kel. Pulau Pandan", "pulau pandan", "Tambak Ratu"));
        AssertOtherVillage(report, "Pulau Pandan", "15.03.02.2005");
        Assert.Contains("4 dari 5 baris", report.FileMessage);
    }

    [Theory]
    [InlineData("Sungai Keradak", "Sungai Keradak", "Tambak Ratu", "Tambak Ratu")] // half is not most
    [InlineData("Pulau Pandan", "Tambak Ratu", "Desa Tambak Ratu", "TAMBAK RATU")]
    [InlineData("Pulau Pandan", "Sungai Keradak", "Dusun Tiga", "Tambak Ratu")] // no one other village has most rows
    public async Task A_few_rows_naming_another_village_are_only_VILLAGE_MISMATCH(params string[] villages)
    {
        var report = await ValidateAsync(Rows(villages));
        Assert.Null(report.FileCode);
        Assert.Equal(villages.Length, report.Valid);
        Assert.Contains(report.Issues, i => i.Code == RuleCodes.VillageMismatch);
    }

    [Fact]
    public async Task Blank_village_cells_do_not_count_and_no_village_column_is_no_verdict()
    {
        // Two of three rows leave the village empty or "-": the one filled row decides.
        var blanks = await ValidateAsync(Row(1, "Pulau Pandan"), new Person(Nik: XlsxRoster.Text("1503014101800002"), VillageName: Blank), Row(3, "-"));
        Assert.Equal(RuleCodes.FileOtherVillage, blanks.FileCode);

        var noColumn = new XlsxRoster().Sheet("Data").Row("NIK", "Nama").Row(XlsxRoster.Text(Nik), "Siti Aminah").ToBytes();
        var report = await ValidateAsync(noColumn);
        Assert.Null(report.FileCode);
        Assert.Equal(1, report.Valid);
    }

    [Theory]
    [InlineData("15.03.02.2005-peserta.xlsx")]
    [InlineData("Usulan BPJS 1503022005.xlsx")]
    [InlineData("rekap_15.03.02.2005_final (1).xlsx")]
    public async Task A_file_name_with_another_villages_code_is_FILE_OTHER_VILLAGE_naming_it(string fileName)
    {
        var report = await ValidateAsync(Xlsx(Rows("Tambak Ratu")), fileName);
        AssertOtherVillage(report, "Pulau Pandan", "15.03.02.2005");
        Assert.Contains("nama berkas", report.FileMessage);
    }

    [Theory]
    [InlineData("15.03.01.2001-peserta.xlsx")]
    [InlineData("1503012001 usulan.xlsx")]
    [InlineData("1503012001 dan 15.03.02.2005.xlsx")] // its own code is there too
    [InlineData("peserta 2024.xlsx")]
    [InlineData("HP 0812345678.xlsx")] // ten digits, but no village code
    [InlineData("NIK 1503024101800001.xlsx")] // a NIK is not a village code
    public async Task A_file_name_with_its_own_or_no_village_code_is_read(string fileName)
    {
        var report = await ValidateAsync(Xlsx(Rows("Tambak Ratu")), fileName);
        Assert.Null(report.FileCode);
        Assert.Equal(1, report.Valid);
    }
}
