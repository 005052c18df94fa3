using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using UcjFlow.App.Api;
using UcjFlow.App.Settings;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// Villages' personal access links (issue 9.1), mailed links scoped to what they name and recording their recipient,
/// and coordinators scoped to one kecamatan (issue 10.2), through the real HTTP API of a local app.
/// </summary>
public sealed class AccessLinkTests
{
    const string Own = "15.03.01.2001";
    const string Neighbour = "15.03.01.2002";
    const string OtherDistrictVillage = "15.03.02.2005";

    static HttpClient Client(InProcessApp app, string? bearer)
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
        if (bearer is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    static async Task<ApiError> ErrorOf(HttpResponseMessage response) =>
        JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ApiJsonContext.Default.ApiError)!;

    static async Task<AccessLinkIssued> IssueAsync(InProcessApp app, string village, HttpClient? http = null)
    {
        using var response = await (http ?? app.Http).PostAsync($"api/villages/{village}/access", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(AccessJsonContext.Default.AccessLinkIssued))!;
    }

    static async Task<AccessLinkView> ListedAsync(InProcessApp app, string linkId) =>
        Assert.Single((await app.Http.GetFromJsonAsync("api/access", AccessJsonContext.Default.AccessLinkList))!.Links, l => l.LinkId == linkId);

    [Fact]
    public async Task A_coordinator_issues_a_village_link_that_works_as_its_bearer_token_is_listed_with_its_last_use_and_is_refused_once_revoked()
    {
        using var folder = new TempFolder();
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"));
        var issued = await IssueAsync(app, Own);
        Assert.Equal($"{app.BaseAddress}upload/{Own}#akses={Uri.EscapeDataString(issued.Token)}", issued.Url);
        Assert.InRange(issued.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(89.9), TimeSpan.FromDays(90));
        var fresh = await ListedAsync(app, issued.LinkId);
        Assert.Equal((AccessLinkState.Active, InProcessApp.CoordinatorName, (DateTimeOffset?)null), (fresh.State, fresh.IssuedBy, fresh.LastUsedAt));

        using var pic = Client(app, issued.Token);
        var me = (await pic.GetFromJsonAsync("api/me", ApiJsonContext.Default.MeView))!;
        Assert.Equal((App.Security.CallerRole.Village, Own), (me.Role, me.VillageCode));
        var campaign = (await pic.GetFromJsonAsync("api/campaign", ApiJsonContext.Default.CampaignView))!;
        Assert.Equal(Own, Assert.Single(campaign.Villages).Code);
        var (name, content) = RosterGenerator.Csv(app.Campaign.Village(Own)!, 21, 4);
        var upload = await app.UploadAsync(Own, name, content, pic);
        Assert.Equal(upload.BatchId, Assert.Single((await pic.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!.Batches).BatchId);
        Assert.Equal(AccessLinkState.Active, (await ListedAsync(app, issued.LinkId)).State);
        Assert.NotNull((await ListedAsync(app, issued.LinkId)).LastUsedAt);

        // A village link is no coordinator: it neither issues, lists nor revokes links.
        Assert.Equal(HttpStatusCode.Forbidden, (await pic.PostAsync($"api/villages/{Own}/access", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pic.GetAsync("api/access")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pic.PostAsync($"api/access/{issued.LinkId}/revoke", null)).StatusCode);
        // Nor any other coordinators' route: known, so 403, not 401.
        foreach (var path in new[] { "api/audit", "api/villages/late", $"api/batches/{upload.BatchId}/messages", $"api/batches/{upload.BatchId}/export.csv" })
            Assert.Equal(HttpStatusCode.Forbidden, (await pic.GetAsync(path)).StatusCode);
        using var nobody = Client(app, null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostAsync($"api/villages/{Own}/access", null)).StatusCode);

        using var revoked = await app.Http.PostAsync($"api/access/{issued.LinkId}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var listed = await ListedAsync(app, issued.LinkId);
        Assert.Equal((AccessLinkState.Revoked, InProcessApp.CoordinatorName), (listed.State, listed.RevokedBy));
        using var refused = await pic.GetAsync("api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var error = await ErrorOf(refused);
        Assert.Equal("access_revoked", error.Code);
        Assert.Contains("dicabut", error.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await pic.GetAsync($"api/batches/{upload.BatchId}")).StatusCode);
        Assert.Equal("access_revoked", (await ErrorOf(await pic.GetAsync("api/audit"))).Code);
        Assert.Equal(HttpStatusCode.Conflict, (await app.Http.PostAsync($"api/access/{issued.LinkId}/revoke", null)).StatusCode);
    }

    [Fact]
    public async Task A_village_link_acts_for_its_own_village_only_and_is_refused_once_expired()
    {
        using var folder = new TempFolder();
        var clock = new ManualClock(DemoCommand.Start);
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), clock);
        var issued = await IssueAsync(app, Own);
        using var pic = Client(app, issued.Token);

        var neighbour = app.Campaign.Village(Neighbour)!;
        var (name, content) = RosterGenerator.Csv(neighbour, 22, 4);
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } })
            Assert.Equal(HttpStatusCode.Forbidden, (await pic.PostAsync($"api/uploads/{Neighbour}", form)).StatusCode);
        var theirs = await app.UploadAsync(Neighbour, name, content);
        Assert.Equal(HttpStatusCode.Forbidden, (await pic.GetAsync($"api/batches/{theirs.BatchId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pic.GetAsync($"api/batches?village={Neighbour}")).StatusCode);
        await app.WaitForBatchAsync(theirs.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.DecideAsync(theirs.BatchId, true, http: pic)).StatusCode);

        // Altered, or signed with another key: unknown.
        var payload = issued.Token[..issued.Token.IndexOf('.')];
        var forged = new ApprovalLinkSigner(ApprovalLinkSigner.GenerateSecret(), clock).Sign(
            new LinkGrant(ApprovalLinkSigner.AccessPurpose, Own, clock.GetUtcNow().AddDays(1), LinkId: issued.LinkId));
        // The signature's first character changed (to one it is not: the signature is random).
        var altered = payload + "." + (issued.Token[payload.Length + 1] == 'x' ? 'y' : 'x') + issued.Token[(payload.Length + 2)..];
        foreach (var bad in new[] { altered, forged })
        {
            using var other = Client(app, bad);
            Assert.Equal("unauthorized", (await ErrorOf(await other.GetAsync("api/me"))).Code);
        }
        // A mailed link's token is not a bearer token.
        var signer = app.App.Services.GetRequiredService<ApprovalLinkSigner>();
        using (var mailed = Client(app, signer.CreateToken(Own, TimeSpan.FromDays(1), ApprovalLinkSigner.UploadPurpose)))
            Assert.Equal(HttpStatusCode.Unauthorized, (await mailed.GetAsync("api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await pic.GetAsync("api/me")).StatusCode);
        clock.Advance(TimeSpan.FromDays(90));
        using var expired = await pic.GetAsync("api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var error = await ErrorOf(expired);
        Assert.Equal("access_expired", error.Code);
        Assert.Contains("kedaluwarsa", error.Error);
        Assert.Equal(AccessLinkState.Expired, (await ListedAsync(app, issued.LinkId)).State);
    }

    [Fact]
    public async Task A_kecamatan_sheet_issues_one_working_link_per_village_with_a_server_rendered_QR_code()
    {
        using var folder = new TempFolder();
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"));
        using var response = await app.Http.PostAsync("api/districts/15.03.01/access", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var villages = app.Campaign.Villages.Where(v => v.DistrictCode == "15.03.01").ToList();
        Assert.Equal(villages.Count, Regex.Matches(html, "<svg").Count);
        Assert.Contains("@media print", html);
        Assert.DoesNotContain("<script", html);
        var links = (await app.Http.GetFromJsonAsync("api/access?district=15.03.01", AccessJsonContext.Default.AccessLinkList))!.Links;
        Assert.Equal(villages.Select(v => v.Code).Order(), links.Select(l => l.VillageCode).Order());
        // The printed link of a village opens that village.
        var url = Regex.Match(html, $@"data-village=""{Regex.Escape(Neighbour)}"".*?<p class=""url"">([^<]+)</p>", RegexOptions.Singleline).Groups[1].Value;
        var token = Uri.UnescapeDataString(WebUtility.HtmlDecode(url)[(WebUtility.HtmlDecode(url).IndexOf("#akses=", StringComparison.Ordinal) + 7)..]);
        using var pic = Client(app, token);
        Assert.Equal(Neighbour, (await pic.GetFromJsonAsync("api/me", ApiJsonContext.Default.MeView))!.VillageCode);

        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.PostAsync("api/districts/15.03.99/access", null)).StatusCode);
        using var template = await Client(app, null).GetAsync("api/template");
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.Equal("template-roster-ucj.xlsx", template.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("PK"u8.ToArray(), (await template.Content.ReadAsByteArrayAsync())[..2]);
    }

    [Fact]
    public async Task A_coordinator_scoped_to_a_kecamatan_sees_and_decides_only_its_villages()
    {
        using var folder = new TempFolder();
        const string camatToken = "token-koordinator-kecamatan-batang-asai";
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), configure: s => s with
        {
            CoordinatorTokens = new Dictionary<string, string>(s.CoordinatorTokens) { ["camat"] = camatToken },
            CoordinatorDistricts = new Dictionary<string, string> { ["camat"] = "15.03.02" },
        });
        var inside = app.Campaign.Village(OtherDistrictVillage)!;
        var outside = app.Campaign.Village(Own)!;
        var (n1, c1) = RosterGenerator.Csv(inside, 23, 4);
        var (n2, c2) = RosterGenerator.Csv(outside, 24, 4);
        var theirs = await app.UploadAsync(inside.Code, n1, c1);
        var notTheirs = await app.UploadAsync(outside.Code, n2, c2);
        await app.WaitForBatchAsync(theirs.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        await app.WaitForBatchAsync(notTheirs.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));

        using var camat = Client(app, camatToken);
        Assert.Equal("15.03.02", (await camat.GetFromJsonAsync("api/me", ApiJsonContext.Default.MeView))!.DistrictCode);
        Assert.Equal(theirs.BatchId, Assert.Single((await camat.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!.Batches).BatchId);
        Assert.Equal(HttpStatusCode.Forbidden, (await camat.GetAsync($"api/batches?village={outside.Code}")).StatusCode);
        Assert.All((await camat.GetFromJsonAsync("api/campaign", ApiJsonContext.Default.CampaignView))!.Villages, v => Assert.Equal("15.03.02", v.DistrictCode));
        Assert.Equal(HttpStatusCode.Forbidden, (await camat.GetAsync($"api/batches/{notTheirs.BatchId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.DecideAsync(notTheirs.BatchId, true, http: camat)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await camat.GetAsync($"api/batches/{notTheirs.BatchId}/export.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await camat.GetAsync($"api/batches/{notTheirs.BatchId}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await camat.PostAsync($"api/villages/{outside.Code}/access", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await camat.PostAsync("api/districts/15.03.01/access", null)).StatusCode);
        await IssueAsync(app, inside.Code, camat);

        Assert.Equal(HttpStatusCode.Accepted, (await app.DecideAsync(theirs.BatchId, true, http: camat)).StatusCode);
        Assert.Equal("camat", (await app.WaitForBatchAsync(theirs.BatchId, InProcessApp.Decided, TimeSpan.FromSeconds(30))).Decision!.DecidedBy);
        Assert.Equal(2, (await app.Http.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!.Batches.Count); // the regency's coordinator sees both
    }

    [Fact]
    public void The_kecamatan_scope_setting_is_read_and_a_misspelt_name_or_unknown_coordinator_is_reported()
    {
        static UcjFlowSettings Read(Dictionary<string, string?> values) => UcjFlowSettings.Read(
            new ConfigurationBuilder().AddInMemoryCollection(values).Build(), HostKind.Local, new Dictionary<string, string?>());

        var read = Read(new() { ["CoordinatorTokens:camat"] = "t-camat-1", ["CoordinatorDistricts:camat"] = "150302", ["AccessLinkDays"] = "30" });
        Assert.Equal("15.03.02", read.CoordinatorDistricts["camat"]);
        Assert.Equal(TimeSpan.FromDays(30), read.AccessLinkLifetime);

        var misspelt = Assert.Throws<SettingsException>(() => Read(new() { ["CoordinatorTokens:camat"] = "t", ["CoordinatorDistrict:camat"] = "15.03.02" }));
        Assert.Contains("did you mean UcjFlow:CoordinatorDistricts:camat", misspelt.Message);
        var unknown = Assert.Throws<SettingsException>(() => Read(new() { ["CoordinatorTokens:camat"] = "t", ["CoordinatorDistricts:camar"] = "15.03.02" }));
        Assert.Contains("no coordinator 'camar'", unknown.Message);
        var notDistrict = Assert.Throws<SettingsException>(() => Read(new() { ["CoordinatorTokens:camat"] = "t", ["CoordinatorDistricts:camat"] = "15.03.02.2005" }));
        Assert.Contains("not a kecamatan code", notDistrict.Message);
    }

    [Fact]
    public async Task Mailed_links_open_what_they_name_and_a_decision_through_one_records_the_coordinator_it_was_mailed_to()
    {
        using var folder = new TempFolder();
        var campaign = TestCampaign.Write(folder.Path);
        const string second = "kepala.bidang@disnaker.example.id";
        var json = JsonNode.Parse(File.ReadAllText(campaign.Path))!;
        json["coordinatorEmails"] = new JsonArray(campaign.Coordinator, second);
        File.WriteAllText(campaign.Path, json.ToJsonString());
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), configure: s => s with { CampaignFile = campaign.Path });
        var village = app.Campaign.Village(Own)!;
        var (name, content) = RosterGenerator.Csv(village, 25, 6);
        var batchId = (await app.UploadAsync(Own, name, content)).BatchId;

        // Each coordinator gets their own approval link; the village gets a link to its batch page.
        Task<string> LinkIn(string to, string subjectPart) => Poll.UntilAsync<string>(() => Task.FromResult(OutboxMail.ReadAll(app.Outbox)
            .Where(m => m.To.Contains(to) && m.Subject.Contains(subjectPart, StringComparison.OrdinalIgnoreCase))
            .Select(m => Regex.Match(MimeMessage.Load(Path.Combine(app.Outbox, m.FileName)).TextBody ?? "", @"https?://\S+\?token=[A-Za-z0-9_%.-]+").Value)
            .FirstOrDefault(l => l.Length > 0)), $"a link mailed to {to}");
        await app.WaitForBatchAsync(batchId, b => b.Status == BatchStatus.AwaitingApproval, TimeSpan.FromSeconds(30));
        var forFirst = await LinkIn(campaign.Coordinator, "persetujuan");
        var forSecond = await LinkIn(second, "persetujuan");
        var forPic = await LinkIn(campaign.Pic(Own), "Hasil pemeriksaan");
        static string TokenOf(string link) => Uri.UnescapeDataString(link[(link.IndexOf("?token=", StringComparison.Ordinal) + 7)..]);
        Assert.NotEqual(TokenOf(forFirst), TokenOf(forSecond));
        // The result mail's first signed link: its report, or its batch page (one read token for both).
        Assert.Matches($@"/batches/{Regex.Escape(batchId)}(/report\.html)?\?token=", forPic);

        using var none = Client(app, null);
        Assert.Equal(HttpStatusCode.OK, (await none.GetAsync($"api/batches/{batchId}?token={Uri.EscapeDataString(TokenOf(forPic))}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.DecideAsync(batchId, true, http: WithLink(app, TokenOf(forPic)))).StatusCode);
        // An approval link names its batch: not the batch list, not another batch.
        Assert.Equal(HttpStatusCode.Unauthorized, (await none.GetAsync($"api/batches?token={Uri.EscapeDataString(TokenOf(forSecond))}")).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await app.DecideAsync(batchId, true, http: WithLink(app, TokenOf(forSecond)))).StatusCode);
        var decided = await app.WaitForBatchAsync(batchId, InProcessApp.Decided, TimeSpan.FromSeconds(30));
        Assert.Equal(second, decided.Decision!.DecidedBy);
        Assert.Equal(second, Assert.Single(await app.Registry.ListDecisionsAsync(app.Campaign.Id)).DecidedBy);
    }

    static HttpClient WithLink(InProcessApp app, string token)
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Add(App.Security.Access.LinkTokenHeader, token);
        return http;
    }
}
