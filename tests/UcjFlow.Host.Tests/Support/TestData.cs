using System.Text.Json.Nodes;
using UcjFlow.App.Hosting;

namespace UcjFlow.Host.Tests.Support;

/// <summary>A data folder of its own per test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ucjflow-host-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// The sample campaign with addresses unique to one test run ("…{run}@…"), so mails found on a shared maildev are
/// this test's own: coordinators koordinator.{run}@…, leadership pimpinan.{run}@…, each listed village PIC pic.{code}.{run}@….
/// </summary>
public sealed record TestCampaign(string Path, string Run)
{
    public string Coordinator => $"koordinator.{Run}@disnaker.example.id";
    public string Leadership => $"pimpinan.{Run}@pemkab.example.id";
    public string Pic(string villageCode) => $"pic.{villageCode.Replace(".", "", StringComparison.Ordinal)}.{Run}@desa.example.id";

    public static TestCampaign Write(string folder)
    {
        var run = Guid.NewGuid().ToString("N")[..10];
        var json = JsonNode.Parse(File.ReadAllText(UcjFlowServices.SampleCampaignPath))!.AsObject();
        var campaign = new TestCampaign(System.IO.Path.Combine(folder, "campaign.json"), run);
        json["coordinatorEmails"] = new JsonArray(campaign.Coordinator);
        json["leadershipEmails"] = new JsonArray(campaign.Leadership);
        foreach (var v in json["villages"]!.AsArray())
            v!["picEmail"] = campaign.Pic(v["code"]!.GetValue<string>());
        File.WriteAllText(campaign.Path, json.ToJsonString());
        return campaign;
    }
}
