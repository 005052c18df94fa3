using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Reading;

namespace UcjFlow.Core.Tests.Fixtures;

/// <summary>Reads a roster from bytes in one call, for tests.</summary>
public static class RosterRead
{
    public sealed record Result(RosterFormat Format, RosterHeader Header, IReadOnlyList<SheetRow> Rows);

    public static async Task<Result> AllAsync(byte[] content, string fileName = "roster.xlsx", RosterLimits? limits = null)
    {
        using var opened = await RosterFileReader.OpenAsync(new MemoryStream(content), fileName, limits ?? RosterLimits.Default);
        var rows = new List<SheetRow>();
        await foreach (var row in opened.ReadDataRowsAsync()) rows.Add(row);
        return new Result(opened.Format, opened.Header, rows);
    }

    /// <summary>The file-level code the reader refuses the content with (fails the test when it reads fine).</summary>
    public static async Task<RosterFileException> RefusalAsync(byte[] content, string fileName = "roster.xlsx", RosterLimits? limits = null)
    {
        try
        {
            await AllAsync(content, fileName, limits);
        }
        catch (RosterFileException ex)
        {
            return ex;
        }
        throw new Xunit.Sdk.XunitException($"{fileName} was read without a file-level refusal");
    }

    public static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);
}
