using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Tests.Fixtures;
using static UcjFlow.Core.Tests.Validation.Harness;

namespace UcjFlow.Core.Tests.Validation;

/// <summary>File-level verdicts through the validator: Unreadable with the code, zero figures, no issues, no exception.</summary>
public sealed class FileLevelTests
{
    [Fact]
    public async Task A_header_without_data_rows_is_ROSTER_EMPTY()
    {
        var xlsx = new XlsxRoster().Sheet("Data").Row("NIK", "Nama").Row(1, 2).Row(null, "JUMLAH").ToBytes();
        var report = await ValidateAsync(xlsx);
        Assert.Equal((RosterStatus.Unreadable, RuleCodes.RosterEmpty), (report.Status, report.FileCode));
        Assert.Equal((0, 0, 0, 0), (report.Rows, report.Valid, report.Rejected, report.ValidWithWarnings));
        Assert.Empty(report.Issues);
        Assert.Empty(report.ByCode);
        Assert.Contains("tidak ada baris data", report.FileMessage);
    }

    [Fact]
    public async Task No_header_is_HEADER_NOT_FOUND()
    {
        var report = await ValidateAsync(new XlsxRoster().Sheet("Data").Row("Nomor", "Alamat").Row(1, "Jl. Lintas").ToBytes());
        Assert.Equal((RosterStatus.Unreadable, RuleCodes.HeaderNotFound), (report.Status, report.FileCode));
        Assert.Null(report.HeaderRow);
        Assert.Empty(report.Issues);
    }

    [Fact]
    public async Task Too_many_rows_is_FILE_TOO_LARGE_even_after_rows_were_checked()
    {
        var settings = Settings with { Limits = new RosterLimits(MaxRows: 2), ConflictChunkSize = 1 };
        var seen = 0;
        // Rows are held until the file's date order is decided; a month-first date on the first row decides it at once,
        // so rows are checked and passed on before the limit is hit.
        var first = new Person(Nik: XlsxRoster.Text(NikFor(new DateOnly(1980, 1, 25), Sex.Female)), BirthDate: "01/25/1980");
        var report = await ValidateAsync(Xlsx(first, new Person(Nik: XlsxRoster.Text("1503014101800002")), new Person(Nik: XlsxRoster.Text("1503014101800003"))),
            settings: settings, onValidRow: _ => { seen++; return ValueTask.CompletedTask; });
        Assert.Equal((RosterStatus.Unreadable, RuleCodes.FileTooLarge), (report.Status, report.FileCode));
        Assert.Equal((0, 0), (report.Rows, report.Issues.Count));
        Assert.Equal(2, seen); // documented: the caller discards rows passed before an Unreadable verdict
    }

    [Fact]
    public async Task Invalid_when_no_row_is_valid()
    {
        var report = await ValidateAsync(new Person(Name: Blank), new Person(Nik: XlsxRoster.Text("1")));
        Assert.Equal(RosterStatus.Invalid, report.Status);
        Assert.Null(report.FileCode);
        Assert.Equal((2, 0, 2), (report.Rows, report.Valid, report.Rejected));
    }

    [Fact]
    public void Defaults_follow_roster_md()
    {
        var time = new FixedTime(new DateTimeOffset(2024, 10, 31, 18, 30, 0, TimeSpan.Zero)); // 01:30 on 1 November in Jakarta
        var settings = ValidationSettings.Defaults("1503012001", time: time);
        Assert.Equal(("15.03.01.2001", "15.03"), (settings.VillageCode, settings.RegencyCode));
        Assert.Equal(new DateOnly(2024, 11, 1), settings.CoverageStart);
        Assert.Equal((15, 65), (settings.MinAge, settings.MaxAge));
        Assert.Equal(["rentan", "adhoc", "rt", "keagamaan", "damkar", "sawit", "nelayan"], settings.Segments.Select(s => s.Code));
        Assert.Equal("rentan", Assert.Single(settings.Segments, s => s.IsDefault).Code);
        Assert.Equal(new DateOnly(2024, 1, 2), ValidationSettings.Defaults("15.03.01.2001", new DateOnly(2024, 1, 2), time).CoverageStart);
        Assert.Throws<ArgumentException>(() => ValidationSettings.Defaults("15.03.01"));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
