using System.Text.Json;

namespace UcjFlow.Core.Tests.Fuzz;

/// <summary>
/// Every input the fuzzer once failed on, kept in Fuzz/Regressions under a name saying what it found, with its expected
/// outcome in Fuzz/Regressions/expected.json: the report status, the file code of an unreadable file, and for inputs
/// that once cost too much memory a ceiling on the bytes allocated (see <see cref="FuzzRun.Run"/>).
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fuzz", "Regressions");

    /// <summary>Generous: only a hang guard (one case once never ended), not a speed test.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var name in Expected().Keys.Order(StringComparer.Ordinal)) data.Add(name);
        return data;
    }

    private static Dictionary<string, JsonElement> Expected()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json")));
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    [Fact]
    public void Every_regression_file_has_an_expected_outcome_and_every_outcome_a_file()
    {
        var files = Directory.GetFiles(Dir).Select(Path.GetFileName).Where(n => n != "expected.json").Order(StringComparer.Ordinal);
        Assert.Equal(files, Expected().Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Regression_file_ends_in_its_expected_outcome(string file)
    {
        var expected = Expected()[file];
        var outcome = FuzzRun.RunWithDeadline(File.ReadAllBytes(Path.Combine(Dir, file)), file,
            expected.GetProperty("village").GetString()!, HangGuard);

        Assert.Null(outcome.Escaped);
        var report = outcome.Report!;
        Assert.Equal(expected.GetProperty("status").GetString(), report.Status.ToString());
        Assert.Equal(expected.GetProperty("fileCode").GetString(), report.FileCode);
        if (report.FileCode is not null) Assert.False(string.IsNullOrWhiteSpace(report.FileMessage));
        if (expected.TryGetProperty("rows", out var rows)) Assert.Equal(rows.GetInt32(), report.Rows);
        if (expected.TryGetProperty("maxAllocatedMB", out var mb))
            Assert.True(outcome.AllocatedBytes <= mb.GetInt64() * 1024 * 1024,
                $"{file} allocated {outcome.AllocatedBytes / 1024 / 1024} MB, more than {mb.GetInt64()} MB");
    }
}
