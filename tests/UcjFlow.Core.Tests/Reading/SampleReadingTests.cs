using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Tests.Fixtures;

namespace UcjFlow.Core.Tests.Reading;

public class SampleReadingTests
{
    [Fact]
    public async Task Xlsx_sample_header_after_title_row_and_rows_without_total()
    {
        var bytes = await File.ReadAllBytesAsync(RosterRead.SamplePath("13.11.01.2001-lubuk-gadang.xlsx"));
        var result = await RosterRead.AllAsync(bytes, "13.11.01.2001-lubuk-gadang.xlsx");
        Assert.Equal(RosterFormat.Xlsx, result.Format);
        Assert.Equal(2, result.Header.Row);
        Assert.Equal(24, result.Rows.Count);
        Assert.Equal(0, result.Header.IndexOf(RosterField.Ignored));
        Assert.True(result.Header.IndexOf(RosterField.Nik) >= 0);
        Assert.Equal(3, result.Rows[0].Row);
        Assert.Contains(result.Rows, r => r[result.Header.IndexOf(RosterField.Nik)].Kind == CellKind.Number);
        Assert.Contains(result.Rows, r => r.Cells.Any(c => c.Kind == CellKind.Date));
    }

    [Fact]
    public async Task Csv_sample_snake_case_header_utf8_bom()
    {
        var bytes = await File.ReadAllBytesAsync(RosterRead.SamplePath("16.09.01.1014-bumi-agung.csv"));
        var result = await RosterRead.AllAsync(bytes, "16.09.01.1014-bumi-agung.csv");
        Assert.Equal(RosterFormat.Csv, result.Format);
        Assert.Equal(1, result.Header.Row);
        Assert.Equal(14, result.Rows.Count);
        Assert.Equal(
            [RosterField.Nik, RosterField.Name, RosterField.BirthDate, RosterField.Sex, RosterField.Village, RosterField.Segment, RosterField.Phone],
            result.Header.Columns.Select(c => c.Field!.Value));
        Assert.Equal("nik", result.Header.Columns[0].Title); // the BOM is not part of the first title
        Assert.Equal("1609010608740701", result.Rows[0][0].Text);
        Assert.Equal(2, result.Rows[0].Row);
    }
}
