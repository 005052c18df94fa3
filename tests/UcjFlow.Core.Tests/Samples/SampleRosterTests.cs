using System.Text.Json;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Tests.Samples;

/// <summary>
/// The shared sample rosters give exactly their expected.json: checked with the defaults of <c>ucjflow validate</c>,
/// --as-of 2024-11-01 and the village code at the start of the file name (Samples/README.md).
/// </summary>
public sealed class SampleRosterTests
{
    private static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    public static TheoryData<string> Files()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(SamplePath("expected.json")));
        var data = new TheoryData<string>();
        foreach (var file in expected.RootElement.EnumerateObject()) data.Add(file.Name);
        return data;
    }

    [Fact]
    public void Both_samples_are_listed() => Assert.Equal(2, Files().Count);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Sample_gives_its_expected_report_field_by_field(string file)
    {
        using var expectedDoc = JsonDocument.Parse(File.ReadAllText(SamplePath("expected.json")));
        var expected = expectedDoc.RootElement.GetProperty(file);

        var settings = ValidationSettings.Defaults(file[..13], new DateOnly(2024, 11, 1));
        await using var content = File.OpenRead(SamplePath(file));
        var report = await RosterValidator.ValidateAsync(content, file, settings);

        // Through the JSON other tools read: every expected field, by its roster.md name, with its exact value.
        using var actualDoc = JsonDocument.Parse(RosterReportJson.Serialize(report));
        var actual = actualDoc.RootElement;
        foreach (var field in expected.EnumerateObject())
        {
            Assert.True(actual.TryGetProperty(field.Name, out var value), $"{file}: report JSON lacks '{field.Name}'");
            if (field.Value.ValueKind == JsonValueKind.Object)
            {
                var want = field.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
                var got = value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
                Assert.Equal(want.OrderBy(kv => kv.Key), got.OrderBy(kv => kv.Key));
            }
            else
            {
                Assert.True(JsonElement.DeepEquals(field.Value, value), $"{file}: '{field.Name}' expected {field.Value} but was {value}");
            }
        }
        Assert.Equal(JsonValueKind.Null, actual.GetProperty("fileCode").ValueKind);
        Assert.Equal(file, report.File);
        // Issues agree with the counts.
        Assert.Equal(report.ByCode.Values.Sum(), report.Issues.Count);
        Assert.Equal(report.Rows, report.Valid + report.Rejected);
    }
}
