using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.App.Hosting;
using UcjFlow.App.Settings;

namespace UcjFlow.Functions.Tests.Hosting;

/// <summary>
/// Every UcjFlow setting name written down for people (README, infra, local.settings.sample.json) is one the app reads:
/// a name the app would refuse makes these tests fail before a deployment does.
/// </summary>
public sealed partial class SettingNamesTests
{
    static string Root => typeof(SettingNamesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public void The_sample_local_settings_name_every_required_Azure_setting_and_are_refused_until_the_placeholders_are_replaced()
    {
        var values = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "local.settings.sample.json")))!["Values"]!.AsObject();
        var sample = values.Where(v => v.Key.StartsWith("UcjFlow__", StringComparison.Ordinal))
            .ToDictionary(v => v.Key["UcjFlow__".Length..].Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value!.GetValue<string>());
        UcjFlowSettings Read(Dictionary<string, string?> s) =>
            UcjFlowSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(s).Build(), HostKind.AzureFunctions, new Dictionary<string, string?>());

        var refused = Assert.Throws<SettingsException>(() => Read(sample));
        Assert.Equal(sample.Where(v => v.Value!.Contains("CHANGE-ME", StringComparison.Ordinal)).Select(v => $"UcjFlow:{v.Key} still holds the sample's CHANGE-ME placeholder.").Order(),
            refused.Problems.Order());

        var filled = sample.ToDictionary(v => v.Key, v => (string?)v.Value!.Replace("CHANGE-ME", "d41d8cd98f00b204e9800998ecf8427e", StringComparison.Ordinal));
        // Nothing required is missing: composing with the Azure host's parts (no fallbacks) does not throw.
        new ServiceCollection().AddUcjFlow(Read(filled), new HostParts { Kind = HostKind.AzureFunctions, BlobStore = _ => throw new NotSupportedException() });
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("infra/README.md")]
    [InlineData("infra/modules/functionapp.bicep")]
    [InlineData("local.settings.sample.json")]
    public void Every_UcjFlow_setting_a_document_names_is_read_by_the_app(string document)
    {
        var text = File.ReadAllText(Path.Combine(Root, document));
        var names = SettingName().Matches(text).Select(m => m.Groups[1].Value.TrimEnd('_')).Distinct().ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            // A section ("UcjFlow__Mail__…") is named as the prefix of its settings.
            var known = UcjFlowSettings.Find(key) is not null || UcjFlowSettings.Names.Any(n => n.Name.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));
            Assert.True(known, $"{document} names UcjFlow__{name}, which is not a setting (known: {string.Join(", ", UcjFlowSettings.Names.Select(n => n.Name))}).");
        }
    }

    [GeneratedRegex(@"UcjFlow__([A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex SettingName();
}
