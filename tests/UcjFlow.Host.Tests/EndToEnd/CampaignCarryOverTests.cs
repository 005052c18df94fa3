using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using UcjFlow.App.Api;
using UcjFlow.App.Hosting;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// A data folder of the single-campaign version (registry schema 4: no campaigns table; the campaign only in the
/// configuration) carries over unchanged: its campaign is seeded into the catalog, its batch and enrolments stay, even
/// when the first thing run on it is <c>ucjflow campaign new</c>, not serve.
/// </summary>
public sealed class CampaignCarryOverTests
{
    const string Village = "15.03.01.2001";

    [Fact]
    public async Task A_single_campaign_data_folder_keeps_its_campaign_batch_and_enrolments_when_a_second_campaign_is_added_before_serve_starts()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        string batchId;
        long approved;
        string sample;
        await using (var before = await InProcessApp.StartAsync(data))
        {
            sample = before.Campaign.Id;
            var (name, content) = RosterGenerator.Csv(before.Campaign.Village(Village)!, 7, 6);
            batchId = (await before.UploadAsync(Village, name, content)).BatchId;
            await before.WaitForBatchAsync(batchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
            (await before.DecideAsync(batchId, approve: true)).EnsureSuccessStatusCode();
            await before.WaitForBatchAsync(batchId, InProcessApp.Decided, TimeSpan.FromSeconds(30));
            // On a day of the sample's funded period: this host runs on today's clock, after it (issue 13.3).
            approved = Approved(await before.Http.GetStringAsync("api/coverage?asOf=2025-01-01"));
            Assert.Equal(6, approved);
        }

        // Back to the schema of the single-campaign version: no campaigns table, no enrolment periods, the staged rows'
        // NIK index instead of NIK sets, user_version 4.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "registry.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE staged_nik_sets; CREATE INDEX staged_rows_by_nik ON staged_rows (nik, batch_id); " +
                "DROP TABLE campaigns; DROP TABLE enrolment_changes; DROP INDEX enrolments_by_nik; PRAGMA user_version = 4;";
            await command.ExecuteNonQueryAsync();
        }

        var oku = JsonNode.Parse(File.ReadAllText(UcjFlowServices.SampleCampaignPath))!.AsObject();
        oku["id"] = "oku-selatan-2025";
        oku["regency"] = "16.09";
        oku["villages"] = new JsonArray(new JsonObject { ["code"] = "16.09.01.1013", ["picEmail"] = "pic@desa.example.id" });
        var okuFile = Path.Combine(folder.Path, "oku.json");
        File.WriteAllText(okuFile, oku.ToJsonString());
        var added = await ServeProcess.RunAsync("campaign", "new", okuFile, "--data", data);
        Assert.True(added.Exit == Program.ExitOk, added.Error);
        var list = (await ServeProcess.RunAsync("campaign", "list", "--data", data)).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([sample, "oku-selatan-2025"], list.Select(l => l.Split("  ")[0]));

        await using var after = await InProcessApp.StartAsync(data);
        var campaigns = (await after.Http.GetFromJsonAsync("api/campaigns", CampaignJsonContext.Default.CampaignList))!.Campaigns;
        Assert.Equal([sample, "oku-selatan-2025"], campaigns.Select(c => c.Id));
        Assert.False(campaigns[0].Closed);
        var batch = await after.GetBatchAsync(batchId);
        Assert.Equal(BatchStatus.Approved, batch.Status);
        Assert.Equal(6, batch.Decision!.Enrolled);
        Assert.NotNull(batch.ApprovalCost);
        Assert.Equal(approved, Approved(await after.Http.GetStringAsync($"api/coverage?campaign={sample}&asOf=2025-01-01")));
    }

    static long Approved(string coverageJson) => JsonNode.Parse(coverageJson)!["approved"]!.GetValue<long>();
}
