using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using UcjFlow.App.Security;
using UcjFlow.App.Settings;
using UcjFlow.App.Web;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Regions;
using UcjFlow.Core.Roster.Template;
using UcjFlow.Core.Security;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow;

namespace UcjFlow.App.Api;

/// <summary>
/// Villages' personal access links, issued by coordinators: one per village (JSON), or one for every village of a
/// kecamatan as a printable sheet with QR codes; listed with their last use; revocable. A link's token is the signed
/// grant of <see cref="ApprovalLinkSigner.AccessPurpose"/> for the village, naming a link id the registry keeps
/// (<see cref="AccessLink"/>); it works as <c>Authorization: Bearer</c> for that village's own calls only
/// (<see cref="Access.IdentifyAsync"/>). Also the official roster template, for the upload card.
/// </summary>
public sealed class AccessApi(Access access, CampaignScope scope, IEnrollmentRegistry registry, ApprovalLinkSigner signer, WorkflowOptions options,
    UcjFlowSettings settings, TimeProvider time, ILogger<AccessApi> logger)
{
    /// <summary>
    /// POST api/villages/{villageCode}/access → 201 <c>{"url","token","expiresAt","linkId"}</c> (coordinators of the
    /// village only; 404 for a village not in the campaign).
    /// </summary>
    public async Task<IResult> IssueAsync(HttpRequest request, string villageCode, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (campaign, noCampaign) = await scope.ForAsync(request, caller, ct);
        if (campaign is null) return noCampaign;
        if (!caller.IsCoordinator) return ApiErrors.Forbidden();
        if ((UploadPath.NormaliseVillageCode(villageCode) is { } code ? campaign.Village(code) : null) is not { } village)
            return ApiErrors.Json(404, $"Kode desa/kelurahan '{villageCode}' tidak terdaftar dalam kampanye {campaign.Name}.", "village_not_found");
        if (!caller.CoordinatesVillage(village.Code)) return ApiErrors.Forbidden();
        var issued = await IssueAsync(campaign, village, caller, ct);
        return Results.Json(issued, AccessJsonContext.Default.AccessLinkIssued, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// POST api/districts/{districtCode}/access → 201 text/html: a printable sheet (one card per village of the kecamatan:
    /// name, QR code of its new access link, the link, its expiry). Coordinators of that kecamatan only.
    /// </summary>
    public async Task<IResult> IssueSheetAsync(HttpRequest request, string districtCode, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (campaign, noCampaign) = await scope.ForAsync(request, caller, ct);
        if (campaign is null) return noCampaign;
        if (!caller.IsCoordinator) return ApiErrors.Forbidden();
        var district = RegionCodes.Normalize(districtCode);
        var villages = campaign.Villages.Where(v => v.DistrictCode == district).ToList();
        if (villages.Count == 0)
            return ApiErrors.Json(404, $"Kecamatan '{districtCode}' tidak ada dalam kampanye {campaign.Name}.", "district_not_found");
        if (!villages.All(v => caller.CoordinatesVillage(v.Code))) return ApiErrors.Forbidden();
        var cards = new List<(CampaignVillage, AccessLinkIssued)>();
        foreach (var village in villages) cards.Add((village, await IssueAsync(campaign, village, caller, ct)));
        return Results.Content(AccessSheet.Html(campaign, villages[0].DistrictName, cards), "text/html; charset=utf-8", statusCode: StatusCodes.Status201Created);
    }

    /// <summary>GET api/access?village=&amp;district=: the links a coordinator may see (their kecamatan), newest first, with their last use.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (campaign, noCampaign) = await scope.ForAsync(request, caller, ct);
        if (campaign is null) return noCampaign;
        if (!caller.IsCoordinator) return ApiErrors.Forbidden();
        var village = UploadPath.NormaliseVillageCode(request.Query["village"].ToString());
        var district = RegionCodes.Normalize(request.Query["district"].ToString());
        var now = time.GetUtcNow();
        var links = (await registry.ListAccessLinksAsync(campaign.Id, village, ct))
            .Where(l => caller.CoordinatesVillage(l.VillageCode) && (district is null || l.VillageCode.StartsWith(district + ".", StringComparison.Ordinal)))
            .Select(l => View(campaign, l, now))
            .ToList();
        return Results.Json(new AccessLinkList(links), AccessJsonContext.Default.AccessLinkList);
    }

    /// <summary>POST api/access/{linkId}/revoke → 200 the link; 404 unknown (or another kecamatan's); 409 revoked already.</summary>
    public async Task<IResult> RevokeAsync(HttpRequest request, string linkId, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        if (!caller.IsCoordinator) return ApiErrors.Forbidden();
        var notFound = ApiErrors.Json(404, "Tautan akses ini tidak ditemukan.", "access_link_not_found");
        if (await registry.GetAccessLinkAsync(linkId, ct) is not { } link || !caller.SeesRegency(link.VillageCode[..5])) return notFound;
        if (!caller.CoordinatesVillage(link.VillageCode)) return ApiErrors.Forbidden();
        if (!await registry.RevokeAccessLinkAsync(linkId, caller.Name, time.GetUtcNow(), ct))
            return ApiErrors.Json(409, "Tautan akses ini sudah dicabut.", "already_revoked");
        logger.LogInformation("Access link {LinkId} of village {Village} revoked by {Coordinator}", linkId, link.VillageCode, caller.Name);
        var revoked = await registry.GetAccessLinkAsync(linkId, ct) ?? link;
        return Results.Json(View((await scope.CatalogAsync(ct)).Find(revoked.CampaignId), revoked, time.GetUtcNow()), AccessJsonContext.Default.AccessLinkView);
    }

    /// <summary>GET api/template: the official roster template (<see cref="RosterTemplateWriter"/>, the <c>template</c> command's), public.</summary>
    /// <remarks><c>?campaign=</c> picks the campaign whose segments the drop-down lists; else the first open one.</remarks>
    public async Task<IResult> TemplateAsync(HttpRequest request, CancellationToken ct)
    {
        var catalog = await scope.CatalogAsync(ct);
        var campaign = catalog.Find(request.Query["campaign"].ToString().Trim())
            ?? catalog.Entries.FirstOrDefault(e => !e.Closed)?.Campaign ?? catalog.All.FirstOrDefault();
        var buffer = new MemoryStream();
        RosterTemplateWriter.Write(buffer, campaign?.Segments ?? CampaignDefaults.Segments);
        return Results.Bytes(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", RosterTemplateWriter.FileName);
    }

    async Task<AccessLinkIssued> IssueAsync(Campaign campaign, CampaignVillage village, Caller coordinator, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Whole seconds: the token carries the expiry in seconds, the registry keeps the same instant.
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + settings.AccessLinkLifetime).ToUnixTimeSeconds());
        var linkId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await registry.IssueAccessLinkAsync(new AccessLink(linkId, campaign.Id, village.Code, coordinator.Name, now, expiresAt), ct);
        var token = signer.Sign(new LinkGrant(ApprovalLinkSigner.AccessPurpose, village.Code, expiresAt, LinkId: linkId));
        logger.LogInformation("Access link {LinkId} issued for village {Village} by {Coordinator}", linkId, village.Code, coordinator.Name);
        var url = options.Links.Access(village.Code, token);
        // The same link ready to send by WhatsApp to the PIC's phone (campaign picPhone), when there is one.
        var whatsApp = village.PicPhone is { } phone ? WhatsAppLink.For(phone, AccessMessage(campaign, village, url, expiresAt)) : null;
        return new AccessLinkIssued(url, token, expiresAt, linkId, whatsApp);
    }

    /// <summary>The Indonesian text a coordinator sends the PIC with the link (WhatsApp); the expiry as a Jakarta date.</summary>
    static string AccessMessage(Campaign campaign, CampaignVillage village, string url, DateTimeOffset expiresAt) =>
        $"*Tautan akses {campaign.Name}*\n\nYth. PIC {village.Kind} {village.Name}, berikut tautan pribadi untuk mengunggah daftar pekerja "
        + $"{village.Kind.ToLowerInvariant()} Anda (cukup dibuka, tanpa kata sandi): {url}\n\nBerlaku sampai {IndonesianFormat.Date(DateOnly.FromDateTime(JakartaTime.ToLocal(expiresAt).DateTime))}. "
        + "Jangan teruskan tautan ini kepada orang lain.";

    static AccessLinkView View(Campaign? campaign, AccessLink l, DateTimeOffset now)
    {
        var village = campaign?.Village(l.VillageCode);
        var state = l.RevokedAt is not null ? AccessLinkState.Revoked : l.ExpiresAt <= now ? AccessLinkState.Expired : AccessLinkState.Active;
        return new AccessLinkView(l.LinkId, l.VillageCode, village?.Name, village?.DistrictName, state, l.IssuedBy, l.IssuedAt, l.ExpiresAt,
            l.RevokedAt, l.RevokedBy, l.LastUsedAt);
    }
}
