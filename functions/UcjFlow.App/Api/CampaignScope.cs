using Microsoft.AspNetCore.Http;
using UcjFlow.App.Security;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;

namespace UcjFlow.App.Api;

/// <summary>
/// Which campaign a request is about (issue 13.1): the one named by <c>?campaign=</c> when the caller may see it, else
/// the caller's own: a village's open campaign (its last one when none is open), a coordinator's regency's current one
/// (<see cref="CoveragePublisher.Presenting"/>). A batch's endpoints use the batch's campaign (<see cref="OfBatchAsync"/>).
/// </summary>
public sealed class CampaignScope(CampaignStore store)
{
    /// <summary>The campaign of the request, or the refusal to send (404 in Indonesian: unknown, or another regency's).</summary>
    public async Task<(Campaign? Campaign, IResult Refusal)> ForAsync(HttpRequest request, Caller caller, CancellationToken ct)
    {
        var catalog = await store.CurrentAsync(ct);
        var id = request.Query["campaign"].ToString().Trim();
        if (id.Length > 0)
        {
            var named = catalog.Find(id) ?? (await store.ReloadAsync(ct)).Find(id);
            return named is not null && caller.SeesRegency(named.RegencyCode) && (caller.VillageCode is null || named.Village(caller.VillageCode) is not null)
                ? (named, Results.Empty)
                : (null, ApiErrors.Json(404, $"Kampanye '{id}' tidak ada.", "campaign_not_found"));
        }
        return Default(catalog, caller) is { } own ? (own, Results.Empty) : (null, ApiErrors.Json(404, "Belum ada kampanye untuk Anda.", "campaign_not_found"));
    }

    /// <summary>The caller's own campaign when none is named; null when the catalog has none for them.</summary>
    public static Campaign? Default(CampaignCatalog catalog, Caller caller)
    {
        if (caller.VillageCode is { } village)
            return catalog.OpenFor(village).LastOrDefault() ?? catalog.All.LastOrDefault(c => c.Village(village) is not null);
        var regency = caller.RegencyCode ?? catalog.RegencyCodes.FirstOrDefault();
        return regency is null || catalog.OfRegency(regency).Count == 0 ? null : catalog.Presenting(regency);
    }

    /// <summary>
    /// A village code of the request's path (dotted or digits) that some campaign of the catalog holds and the caller may
    /// act for, dotted; else null with the refusal (404 <c>village_not_found</c>, 403).
    /// </summary>
    public async Task<(string? Code, CampaignCatalog Catalog, IResult Refusal)> VillageAsync(string villageCode, Caller caller, CancellationToken ct)
    {
        var code = Core.Storage.UploadPath.NormaliseVillageCode(villageCode);
        var catalog = await store.CurrentAsync(ct);
        if (code is null || !catalog.All.Any(c => c.Village(code) is not null))
            return (null, catalog, ApiErrors.Json(404, $"Kode desa/kelurahan '{villageCode}' tidak terdaftar dalam kampanye mana pun.", "village_not_found"));
        return caller.MayActForVillage(code) ? (code, catalog, Results.Empty) : (null, catalog, ApiErrors.Forbidden());
    }

    /// <summary>The campaign of a batch (null when the batch's campaign left the catalog).</summary>
    public async Task<Campaign?> OfBatchAsync(Batch batch, CancellationToken ct) =>
        (await store.CurrentAsync(ct)).Find(batch.CampaignId) ?? (await store.ReloadAsync(ct)).Find(batch.CampaignId);

    /// <summary>The live catalog.</summary>
    public ValueTask<CampaignCatalog> CatalogAsync(CancellationToken ct) => store.CurrentAsync(ct);
}
