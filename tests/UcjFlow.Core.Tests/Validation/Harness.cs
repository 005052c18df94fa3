using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>
/// Builds rosters as real files (xlsx through the OpenXML SDK, CSV as bytes) and validates them as the product does.
/// The batch is Desa Tambak Ratu (15.03.01.2001), Kabupaten Sarolangun; coverage starts 2024-11-01.
/// </summary>
internal static class Harness
{
    public const string Village = "15.03.01.2001";
    public static readonly DateOnly AsOf = new(2024, 11, 1);

    /// <summary>A woman born 1980-01-01 (day 01 + 40), issued in Batang Asai, Sarolangun.</summary>
    public const string Nik = "1503014101800001";
    public const string Kk = "1503010101800001";

    public static readonly string[] Columns = ["No", "NIK", "Nama Lengkap", "Jenis Kelamin", "Tanggal Lahir", "Desa", "Segmen", "No HP", "No KK"];

    public static ValidationSettings Settings => ValidationSettings.Defaults(Village, AsOf);

    /// <summary>One data row; every field valid by default. Pass a value to change it, <see cref="Blank"/> to leave the cell empty.</summary>
    public sealed record Person(
        object? Nik = null, object? Name = null, object? Sex = null, object? BirthDate = null, object? VillageName = null,
        object? Segment = null, object? Phone = null, object? Kk = null)
    {
        public object?[] Cells(int number) =>
        [
            number,
            Or(Nik, XlsxRoster.Text(Harness.Nik)),
            Or(Name, "Siti  Aminah "),
            Or(Sex, "P"),
            Or(BirthDate, new DateOnly(1980, 1, 1)),
            Or(VillageName, "Tambak Ratu"),
            Or(Segment, "Pekerja Rentan"),
            Or(Phone, XlsxRoster.Text("081234567890")),
            Or(Kk, XlsxRoster.Text(Harness.Kk)),
        ];

        private static object? Or(object? value, object? fallback) => value switch
        {
            null => fallback,
            BlankValue => null,
            _ => value,
        };
    }

    public sealed record BlankValue;

    public static readonly BlankValue Blank = new();

    /// <summary>An xlsx with a title row, the header on row 3 and the people from row 4 on.</summary>
    public static byte[] Xlsx(params Person[] people)
    {
        var roster = new XlsxRoster().Sheet("Data").Row("DAFTAR USULAN PESERTA DESA TAMBAK RATU").Row().Row(Columns.Cast<object?>().ToArray());
        for (var i = 0; i < people.Length; i++) roster.Row(people[i].Cells(i + 1));
        return roster.ToBytes();
    }

    /// <summary>The first data row of <see cref="Xlsx"/>.</summary>
    public const int FirstRow = 4;

    public static async Task<RosterReport> ValidateAsync(
        byte[] content, string fileName = "15.03.01.2001-roster.xlsx", ValidationSettings? settings = null,
        Func<Enrollee, ValueTask>? onValidRow = null)
    {
        using var stream = new MemoryStream(content);
        return await RosterValidator.ValidateAsync(stream, fileName, settings ?? Settings, onValidRow);
    }

    public static Task<RosterReport> ValidateAsync(params Person[] people) => ValidateAsync(Xlsx(people));

    public static async Task<(RosterReport Report, List<Enrollee> Valid)> ValidateCollectingAsync(byte[] content, ValidationSettings? settings = null, string fileName = "15.03.01.2001-roster.xlsx")
    {
        var valid = new List<Enrollee>();
        var report = await ValidateAsync(content, fileName, settings, e =>
        {
            valid.Add(e);
            return ValueTask.CompletedTask;
        });
        return (report, valid);
    }

    /// <summary>The codes found on one row, in report order.</summary>
    public static string[] CodesOn(this RosterReport report, int row) =>
        report.Issues.Where(i => i.Row == row).Select(i => i.Code).ToArray();

    public static RosterIssue Single(this RosterReport report, int row, string code) =>
        Assert.Single(report.Issues, i => i.Row == row && i.Code == code);

    /// <summary>A NIK for a birth date and sex, issued in Batang Asai (15.03.01).</summary>
    public static string NikFor(DateOnly born, Sex sex, string district = "150301", string serial = "0001") =>
        $"{district}{born.Day + (sex == Sex.Female ? 40 : 0):00}{born.Month:00}{born.Year % 100:00}{serial}";
}
