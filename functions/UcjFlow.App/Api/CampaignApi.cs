using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using UcjFlow.App.Security;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow.Campaigns;

namespace UcjFlow.App.Api;

/// <summary>
/// The campaign catalog from the page (issue 13.1): list, read, create, edit and close campaigns, with no restart (the
/// live catalog is <see cref="CampaignStore"/>'s). Listing is for coordinators (the regencies they see) and village PICs
/// (the campaigns holding their village); changing is for coordinators of every regency or of the campaign's regency
/// (<c>CoordinatorRegencies</c>), never for kecamatan-scoped ones. The <c>ucjflow campaign</c> command writes through
/// <see cref="CampaignEdits"/> too.
/// </summary>
public sealed class CampaignApi(Access access, CampaignStore store, IEnrollmentRegistry registry, ILogger<CampaignApi> logger)
{
    /// <summary>Longest campaign document accepted (bytes of JSON): a campaign listing every village of a large regency stays far below.</summary>
    public const int MaxDocumentBytes = 2 * 1024 * 1024;

    /// <summary>GET api/campaigns → 200 <c>{"campaigns":[CampaignSummary]}</c> in the order they were added; 403 for mailed links.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        if (caller.Role is not (CallerRole.Coordinator or CallerRole.Village)) return ApiErrors.Forbidden();
        var catalog = await store.CurrentAsync(ct);
        var list = catalog.Entries.Where(e => Sees(caller, e.Campaign)).Select(e => CampaignEdits.Summary(e.Campaign, e.Closed)).ToList();
        return Results.Json(new CampaignList(list), CampaignJsonContext.Default.CampaignList);
    }

    /// <summary>GET api/campaigns/{id} → 200 <c>{"campaign":CampaignSummary,"document":"…"}</c> (coordinators); 404 unknown; 403 another regency's.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string campaignId, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        if (!caller.IsCoordinator) return ApiErrors.Forbidden();
        var stored = (await registry.ListCampaignsAsync(ct)).FirstOrDefault(s => s.CampaignId == campaignId);
        var campaign = (await store.CurrentAsync(ct)).Find(campaignId) ?? (await store.ReloadAsync(ct)).Find(campaignId);
        if (stored is null || campaign is null) return NotFound(campaignId);
        if (!caller.SeesRegency(campaign.RegencyCode)) return ApiErrors.Forbidden();
        return Results.Json(new CampaignDocument(CampaignEdits.Summary(campaign, stored.IsClosed), stored.Document), CampaignJsonContext.Default.CampaignDocument);
    }

    /// <summary>
    /// POST api/campaigns, body: the campaign file's JSON → 201 the campaign; 400 <c>campaign_invalid</c> with every problem;
    /// 409 <c>campaign_exists</c>; 403 a coordinator of a kecamatan or of another regency.
    /// </summary>
    public async Task<IResult> CreateAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        if (!MayChange(caller)) return ApiErrors.Forbidden();
        if (await ReadDocumentAsync(request, ct) is not { } json) return TooLarge();
        var result = await CampaignEdits.AddAsync(store, registry, json, null, caller.Name, c => caller.SeesRegency(c.RegencyCode), ct);
        return Answer(result, caller, StatusCodes.Status201Created);
    }

    /// <summary>PUT api/campaigns/{id}, body: the whole edited campaign JSON (its id must be {id}) → 200; 400, 403 as for create (also: the stored campaign is another regency's); 404 unknown.</summary>
    public async Task<IResult> ReplaceAsync(HttpRequest request, string campaignId, CancellationToken ct)
    {
        var (caller, refusal) = await ChangerOfAsync(request, campaignId, ct);
        if (caller is null) return refusal;
        if (await ReadDocumentAsync(request, ct) is not { } json) return TooLarge();
        var result = await CampaignEdits.ReplaceAsync(store, registry, campaignId, json, null, caller.Name, c => caller.SeesRegency(c.RegencyCode), ct);
        return Answer(result, caller, StatusCodes.Status200OK);
    }

    /// <summary>POST api/campaigns/{id}/close → 200 the closed campaign; 404 unknown; 409 <c>campaign_closed</c> closed already; 403 as for edit.</summary>
    public async Task<IResult> CloseAsync(HttpRequest request, string campaignId, CancellationToken ct)
    {
        var (caller, refusal) = await ChangerOfAsync(request, campaignId, ct);
        if (caller is null) return refusal;
        var result = await CampaignEdits.CloseAsync(store, registry, campaignId, caller.Name, ct);
        return Answer(result, caller, StatusCodes.Status200OK);
    }

    /// <summary>The coordinator who may change the stored campaign <paramref name="campaignId"/>, or the refusal (401, 403, 404).</summary>
    async Task<(Caller? Caller, IResult Refusal)> ChangerOfAsync(HttpRequest request, string campaignId, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return (null, who.Refusal);
        if (!MayChange(caller)) return (null, ApiErrors.Forbidden());
        var existing = (await store.ReloadAsync(ct)).Find(campaignId);
        if (existing is null) return (null, NotFound(campaignId));
        return caller.SeesRegency(existing.RegencyCode) ? (caller, Results.Empty) : (null, ApiErrors.Forbidden());
    }

    IResult Answer(CampaignEditResult result, Caller caller, int okStatus)
    {
        switch (result.Outcome)
        {
            case CampaignEditOutcome.Saved:
                logger.LogInformation("Campaign {CampaignId} {Action} by {Coordinator}", result.Campaign!.Id, okStatus == 201 ? "added" : "saved", caller.Name);
                return Results.Json(CampaignEdits.Summary(result.Campaign, result.Closed), CampaignJsonContext.Default.CampaignSummary, statusCode: okStatus);
            case CampaignEditOutcome.Closed:
                logger.LogInformation("Campaign {CampaignId} closed by {Coordinator}", result.Campaign!.Id, caller.Name);
                return Results.Json(CampaignEdits.Summary(result.Campaign, true), CampaignJsonContext.Default.CampaignSummary, statusCode: okStatus);
            case CampaignEditOutcome.Invalid:
                return Results.Json(new CampaignProblems($"Berkas kampanye tidak dapat dipakai ({result.Problems.Count} masalah).", "campaign_invalid", result.Problems),
                    CampaignJsonContext.Default.CampaignProblems, statusCode: StatusCodes.Status400BadRequest);
            case CampaignEditOutcome.Forbidden:
                return ApiErrors.Forbidden();
            case CampaignEditOutcome.Exists:
                return ApiErrors.Json(409, result.Message!, "campaign_exists");
            case CampaignEditOutcome.AlreadyClosed:
                return ApiErrors.Json(409, result.Message!, "campaign_closed");
            default:
                return ApiErrors.Json(404, result.Message!, "campaign_not_found");
        }
    }

    /// <summary>A coordinator lists their regency's (or every) campaign; a village PIC the campaigns holding its village.</summary>
    static bool Sees(Caller caller, Campaign campaign) =>
        caller.SeesRegency(campaign.RegencyCode) && (caller.VillageCode is null || campaign.Village(caller.VillageCode) is not null);

    /// <summary>Coordinators of every regency or of one; a kecamatan's coordinator decides batches, not campaigns.</summary>
    static bool MayChange(Caller caller) => caller.IsCoordinator && caller.DistrictCode is null;

    static IResult NotFound(string campaignId) => ApiErrors.Json(404, $"Kampanye '{campaignId}' tidak ada.", "campaign_not_found");

    static IResult TooLarge() => ApiErrors.Json(413, "Berkas kampanye terlalu besar.", "too_large");

    /// <summary>The body as UTF-8 text, or null when it is longer than <see cref="MaxDocumentBytes"/>.</summary>
    static async Task<string?> ReadDocumentAsync(HttpRequest request, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>What a change to the catalog came to.</summary>
public enum CampaignEditOutcome { Saved, Closed, Invalid, Forbidden, Exists, NotFound, AlreadyClosed }

/// <summary>
/// The outcome of <see cref="CampaignEdits"/>: the campaign when saved or closed, every problem when invalid, else an
/// Indonesian <see cref="Message"/>.
/// </summary>
public sealed record CampaignEditResult(CampaignEditOutcome Outcome, Campaign? Campaign = null, bool Closed = false,
    IReadOnlyList<string>? ProblemList = null, string? Message = null)
{
    public IReadOnlyList<string> Problems => ProblemList ?? [];
}

/// <summary>
/// The one owner of changing the campaign catalog, for the page (<see cref="CampaignApi"/>) and the <c>ucjflow campaign</c>
/// command: a document is validated by <see cref="CampaignLoader"/> (every problem), plus what only the catalog knows
/// (<c>renewsFrom</c> names a stored campaign; an edit keeps its id), stored as <see cref="CampaignStore.StoredDocument"/>,
/// and the store is reloaded so the change is served at once by this process (other processes within
/// <see cref="CampaignStore.RefreshInterval"/>).
/// </summary>
public static class CampaignEdits
{
    /// <summary>Adds a campaign. <paramref name="baseDirectory"/> resolves a relative <c>referenceList</c> (the file's folder; null from the page).</summary>
    /// <param name="allowed">whether the saver may hold the campaign (its regency); false → <see cref="CampaignEditOutcome.Forbidden"/>.</param>
    public static async Task<CampaignEditResult> AddAsync(CampaignStore store, IEnrollmentRegistry registry, string json, string? baseDirectory,
        string savedBy, Func<Campaign, bool> allowed, CancellationToken ct)
    {
        var catalog = await store.ReloadAsync(ct);
        var (campaign, problems) = Validate(json, baseDirectory, catalog);
        if (campaign is null) return new(CampaignEditOutcome.Invalid, ProblemList: problems);
        if (!allowed(campaign)) return new(CampaignEditOutcome.Forbidden);
        if (!await registry.AddCampaignAsync(campaign.Id, campaign.RegencyCode, CampaignStore.StoredDocument(json, campaign), savedBy, ct))
            return new(CampaignEditOutcome.Exists, Message: $"Kampanye '{campaign.Id}' sudah ada: pilih id lain, atau ubah kampanye itu.");
        await store.ReloadAsync(ct);
        return new(CampaignEditOutcome.Saved, campaign);
    }

    /// <summary>Replaces the document of campaign <paramref name="campaignId"/>; the document's id must be the same.</summary>
    public static async Task<CampaignEditResult> ReplaceAsync(CampaignStore store, IEnrollmentRegistry registry, string campaignId, string json,
        string? baseDirectory, string savedBy, Func<Campaign, bool> allowed, CancellationToken ct)
    {
        var catalog = await store.ReloadAsync(ct);
        if (catalog.Find(campaignId) is null) return new(CampaignEditOutcome.NotFound, Message: $"Kampanye '{campaignId}' tidak ada.");
        var (campaign, problems) = Validate(json, baseDirectory, catalog);
        if (campaign is null) return new(CampaignEditOutcome.Invalid, ProblemList: problems);
        if (campaign.Id != campaignId)
            return new(CampaignEditOutcome.Invalid, ProblemList: [$"id '{campaign.Id}' bukan id kampanye yang sedang diubah ('{campaignId}'): id kampanye tidak dapat diganti."]);
        if (!allowed(campaign)) return new(CampaignEditOutcome.Forbidden);
        if (!await registry.ReplaceCampaignAsync(campaign.Id, campaign.RegencyCode, CampaignStore.StoredDocument(json, campaign), savedBy, ct))
            return new(CampaignEditOutcome.NotFound, Message: $"Kampanye '{campaignId}' tidak ada.");
        var reloaded = await store.ReloadAsync(ct);
        return new(CampaignEditOutcome.Saved, campaign, !reloaded.IsOpen(campaign.Id));
    }

    /// <summary>Closes a campaign: it takes no more uploads; its batches and enrolments stay.</summary>
    public static async Task<CampaignEditResult> CloseAsync(CampaignStore store, IEnrollmentRegistry registry, string campaignId, string closedBy, CancellationToken ct)
    {
        var catalog = await store.ReloadAsync(ct);
        if (catalog.Find(campaignId) is not { } campaign) return new(CampaignEditOutcome.NotFound, Message: $"Kampanye '{campaignId}' tidak ada.");
        if (!await registry.CloseCampaignAsync(campaignId, closedBy, ct))
            return new(CampaignEditOutcome.AlreadyClosed, campaign, true, Message: $"Kampanye '{campaignId}' sudah ditutup.");
        await store.ReloadAsync(ct);
        return new(CampaignEditOutcome.Closed, campaign, true);
    }

    /// <summary><see cref="CampaignLoader.Validate"/>, plus: <c>renewsFrom</c> names a campaign of the catalog.</summary>
    public static (Campaign? Campaign, IReadOnlyList<string> Problems) Validate(string json, string? baseDirectory, CampaignCatalog catalog)
    {
        var (campaign, problems) = CampaignLoader.Validate(json, baseDirectory: baseDirectory);
        if (campaign?.RenewsFrom is { } renews && catalog.Find(renews) is null)
            return (null, [$"renewsFrom '{renews}' bukan kampanye yang ada di aplikasi ini."]);
        return (campaign, problems);
    }

    /// <summary>A campaign as the list shows it.</summary>
    public static CampaignSummary Summary(Campaign c, bool closed) => new(
        c.Id, c.Name, c.RegencyCode, c.RegencyName, c.Funder.Code, c.Funder.Name, c.CoverageStart, c.CoverageEnd, c.MonthsFunded,
        c.SubmissionDeadline, c.Villages.Count, closed, c.RenewsFrom);
}

/// <summary>
/// A campaign of the list: its regency (dotted code), funder (<see cref="Funder"/> code and name), coverage period (local
/// dates, inclusive), last submission day, how many villages it holds, whether it is closed, the campaign it renews.
/// </summary>
public sealed record CampaignSummary(
    string Id, string Name, string RegencyCode, string RegencyName, string Funder, string FunderName,
    DateOnly CoverageStart, DateOnly CoverageEnd, int MonthsFunded, DateOnly SubmissionDeadline, int Villages, bool Closed, string? RenewsFrom);

public sealed record CampaignList(IReadOnlyList<CampaignSummary> Campaigns);

/// <summary>One campaign with its stored document (the campaign file's JSON, for editing).</summary>
public sealed record CampaignDocument(CampaignSummary Campaign, string Document);

/// <summary>A refused campaign document: the Indonesian sentence, <c>campaign_invalid</c>, and every problem the loader found.</summary>
public sealed record CampaignProblems(string Error, string Code, IReadOnlyList<string> Problems);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CampaignList))]
[JsonSerializable(typeof(CampaignDocument))]
[JsonSerializable(typeof(CampaignSummary))]
[JsonSerializable(typeof(CampaignProblems))]
public sealed partial class CampaignJsonContext : JsonSerializerContext;
