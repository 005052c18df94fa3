using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UcjFlow.App.Api;
using UcjFlow.Core.Campaigns;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.Cli;

/// <summary>
/// <c>ucjflow campaign new|list|show|close</c> on the data folder of a running <c>serve</c> (a real child process): the
/// change is served without a restart, and uploads go to the campaign they name.
/// </summary>
public sealed class CampaignCommandTests
{
    const string Sawit = "sarolangun-2025-sawit";
    const string Village = "15.03.01.2001";

    [Fact]
    public async Task Campaign_new_list_show_and_close_work_while_serve_runs_and_serve_takes_the_change_without_a_restart()
    {
        using var folder = new TempFolder();
        var campaign = TestCampaign.Write(folder.Path);
        var data = Path.Combine(folder.Path, "data");
        await using var serve = await ServeProcess.StartAsync(ServeProcess.UcjflowDll, ["serve"], data, campaign.Path, "koordinator-token");
        var first = CampaignLoader.LoadFile(campaign.Path);

        var file = WriteSecondCampaign(campaign.Path, folder.Path);
        var added = await ServeProcess.RunAsync("campaign", "new", file, "--data", data);
        Assert.True(added.Exit == Program.ExitOk, added.Error);
        Assert.Contains(Sawit, added.Out);

        // Served by the running process, no restart: polled until its catalog reloads.
        var listed = await Poll.UntilAsync(async () =>
            (await serve.Http.GetFromJsonAsync("api/campaigns", CampaignJsonContext.Default.CampaignList))!.Campaigns is var c && c.Any(x => x.Id == Sawit) ? c : null,
            "the new campaign in GET /api/campaigns");
        var sawit = listed.Single(c => c.Id == Sawit);
        Assert.Equal(("15.03", "DBH-SAWIT", new DateOnly(2025, 11, 1), new DateOnly(2026, 10, 31), false), (sawit.RegencyCode, sawit.Funder, sawit.CoverageStart, sawit.CoverageEnd, sawit.Closed));
        Assert.Equal([first.Id, Sawit], listed.Select(c => c.Id));

        // The same bytes to both open campaigns of the village: two batches, each id starting with its campaign's.
        var (name, content) = RosterGenerator.Csv(first.Village(Village)!, 3, 5);
        var toSawit = await UploadAsync(serve.Http, $"api/uploads/{Village}?campaign={Sawit}", name, content);
        Assert.Equal(HttpStatusCode.Accepted, toSawit.StatusCode);
        var sawitBatch = (await toSawit.Content.ReadFromJsonAsync(ApiJsonContext.Default.UploadAccepted))!;
        Assert.StartsWith($"{Sawit}-1503012001-", sawitBatch.BatchId);
        var toFirst = await UploadAsync(serve.Http, $"api/uploads/{Village}?campaign={first.Id}", name, content);
        var firstBatch = (await toFirst.Content.ReadFromJsonAsync(ApiJsonContext.Default.UploadAccepted))!;
        Assert.StartsWith($"{first.Id}-1503012001-", firstBatch.BatchId);
        Assert.False(firstBatch.Duplicate);

        // Without ?campaign= the village has two open campaigns: refused, naming both, in Indonesian.
        var ambiguous = await UploadAsync(serve.Http, $"api/uploads/{Village}", name, content);
        Assert.Equal(HttpStatusCode.Conflict, ambiguous.StatusCode);
        var error = (await ambiguous.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiError))!;
        Assert.Equal("campaign_ambiguous", error.Code);
        Assert.Contains(first.Id, error.Error);
        Assert.Contains(Sawit, error.Error);
        Assert.Contains("pilih salah satu", error.Error);

        var again = await ServeProcess.RunAsync("campaign", "new", file, "--data", data);
        Assert.Equal(Program.ExitFailed, again.Exit);
        Assert.Contains($"'{Sawit}' exists already", again.Error);

        var list = await ServeProcess.RunAsync("campaign", "list", "--data", data);
        Assert.Equal(Program.ExitOk, list.Exit);
        var lines = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches($"^{Sawit}  15\\.03 Kabupaten Sarolangun  DBH-SAWIT  coverage 2025-11-01..2026-10-31  deadline 2025-10-20  {first.Villages.Count} villages  open$", lines[1]);

        var show = await ServeProcess.RunAsync("campaign", "show", Sawit, "--data", data);
        Assert.Equal(Program.ExitOk, show.Exit);
        Assert.StartsWith($"Campaign {Sawit}: open", show.Out);
        Assert.Equal(Sawit, JsonNode.Parse(show.Out[show.Out.IndexOf('{')..])!["id"]!.GetValue<string>());

        var closed = await ServeProcess.RunAsync("campaign", "close", Sawit, "--data", data);
        Assert.True(closed.Exit == Program.ExitOk, closed.Error);
        var twice = await ServeProcess.RunAsync("campaign", "close", Sawit, "--data", data);
        Assert.Equal(Program.ExitFailed, twice.Exit);
        Assert.Contains("closed already", twice.Error);
        Assert.Contains("closed", (await ServeProcess.RunAsync("campaign", "list", "--data", data)).Out.Split('\n')[1]);

        // The running serve sees the close: the village's one open campaign takes the upload again, the closed one refuses it.
        await Poll.UntilAsync(async () =>
            (await serve.Http.GetFromJsonAsync("api/campaigns", CampaignJsonContext.Default.CampaignList))!.Campaigns.Single(c => c.Id == Sawit).Closed ? "" : null,
            "the closed campaign in GET /api/campaigns");
        var toClosed = await UploadAsync(serve.Http, $"api/uploads/{Village}?campaign={Sawit}", name, content);
        Assert.Equal(HttpStatusCode.Conflict, toClosed.StatusCode);
        Assert.Equal("campaign_closed", (await toClosed.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiError))!.Code);
        var unnamed = await UploadAsync(serve.Http, $"api/uploads/{Village}", name, content);
        Assert.Equal(firstBatch.BatchId, (await unnamed.Content.ReadFromJsonAsync(ApiJsonContext.Default.UploadAccepted))!.BatchId);
        Assert.False(serve.HasExited);
    }

    [Fact]
    public async Task Campaign_new_refuses_an_invalid_file_listing_every_problem_and_a_renewal_of_an_unknown_campaign()
    {
        using var folder = new TempFolder();
        var campaign = TestCampaign.Write(folder.Path);
        var data = Path.Combine(folder.Path, "data");
        var bad = JsonNode.Parse(File.ReadAllText(campaign.Path))!.AsObject();
        bad["id"] = "Bukan Id";
        bad["monthsFunded"] = 0;
        bad["funder"] = "BANK";
        var badFile = Path.Combine(folder.Path, "bad.json");
        File.WriteAllText(badFile, bad.ToJsonString());

        var refused = await ServeProcess.RunAsync("campaign", "new", badFile, "--data", data);
        Assert.Equal(Program.ExitFailed, refused.Exit);
        Assert.Contains("invalid (3 problems)", refused.Error);
        Assert.Contains("'Bukan Id'", refused.Error);
        Assert.Contains("monthsFunded", refused.Error);
        Assert.Contains("BANK", refused.Error);

        var renewal = JsonNode.Parse(File.ReadAllText(WriteSecondCampaign(campaign.Path, folder.Path)))!.AsObject();
        renewal["renewsFrom"] = "tidak-ada-2020";
        File.WriteAllText(badFile, renewal.ToJsonString());
        var unknown = await ServeProcess.RunAsync("campaign", "new", badFile, "--data", data);
        Assert.Equal(Program.ExitFailed, unknown.Exit);
        Assert.Contains("renewsFrom 'tidak-ada-2020' bukan kampanye yang ada", unknown.Error);

        var list = await ServeProcess.RunAsync("campaign", "list", "--data", data);
        Assert.DoesNotContain(Sawit, list.Out);
        var show = await ServeProcess.RunAsync("campaign", "show", "tidak-ada-2020", "--data", data);
        Assert.Equal(Program.ExitFailed, show.Exit);
    }

    [Fact]
    public async Task Campaign_uses_the_PostgreSQL_registry_named_in_the_data_folder_settings()
    {
        var server = Environment.GetEnvironmentVariable("UCJ_TEST_POSTGRES") is { Length: > 0 } value ? value
            : throw new InvalidOperationException("UCJ_TEST_POSTGRES is not set: run the tests through .ci/run, which starts PostgreSQL and sets it.");
        var schema = "ucj_campaign_cli_" + Guid.NewGuid().ToString("N");
        await using (var connection = new Npgsql.NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await create.ExecuteNonQueryAsync();
        }
        using var folder = new TempFolder();
        var campaign = TestCampaign.Write(folder.Path);
        var data = Directory.CreateDirectory(Path.Combine(folder.Path, "data")).FullName;
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ToString();
        File.WriteAllText(Path.Combine(data, "ucjflow.settings.json"),
            new JsonObject { ["Campaign"] = campaign.Path, ["Registry"] = new JsonObject { ["Postgres"] = postgres } }.ToJsonString());

        var added = await ServeProcess.RunAsync("campaign", "new", WriteSecondCampaign(campaign.Path, folder.Path), "--data", data);
        Assert.True(added.Exit == Program.ExitOk, added.Error);
        var list = await ServeProcess.RunAsync("campaign", "list", "--data", data);
        Assert.Equal([CampaignLoader.LoadFile(campaign.Path).Id, Sawit], list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("  ")[0]));
        Assert.False(File.Exists(Path.Combine(data, "registry.db")));
        await using (var connection = new Npgsql.NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM campaigns", connection);
            Assert.Equal(2L, await count.ExecuteScalarAsync());
        }
    }

    /// <summary>A second campaign of the test campaign's regency: DBH Sawit, the next year, its id <see cref="Sawit"/>.</summary>
    static string WriteSecondCampaign(string firstPath, string folder)
    {
        var json = JsonNode.Parse(File.ReadAllText(firstPath))!.AsObject();
        json["id"] = Sawit;
        json["name"] = "Sarolangun 2025 DBH Sawit";
        json["funder"] = "DBH-SAWIT";
        json["coverageStart"] = "2025-11-01";
        json["submissionDeadline"] = "2025-10-20";
        var path = Path.Combine(folder, "sawit.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    static async Task<HttpResponseMessage> UploadAsync(HttpClient http, string path, string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await http.PostAsync(path, form);
    }
}
