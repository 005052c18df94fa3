using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using UcjFlow.App.Security;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster.Template;
using UcjFlow.Core.Storage;

namespace UcjFlow.App.Api;

/// <summary>
/// The renewal round (issue 13.5, docs/renewal-roster.md): a village downloads its renewal roster for a campaign that
/// renews another (<see cref="Campaign.RenewsFrom"/>), pre-filled with its people enrolled in the campaign that ends,
/// edits "Lanjut?" and "Alasan berhenti", adds new people below, and uploads it through the ordinary intake.
/// </summary>
public sealed class RenewalApi(Access access, CampaignScope scope, IEnrollmentRegistry registry)
{
    /// <summary>
    /// GET api/villages/{villageCode}/renewal[?campaign=]: the xlsx (<see cref="RenewalRosterWriter"/>) for the village's
    /// renewing campaign: the one named, else the village's open campaign that renews another. The village's own PIC or
    /// its coordinators; 404 <c>village_not_found</c>, 404 <c>no_renewal</c> when no open campaign of the village renews one.
    /// The file holds whole NIKs: it goes only to whoever may upload for the village.
    /// </summary>
    public async Task<IResult> RosterAsync(HttpRequest request, string villageCode, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (code, catalog, refusal) = await scope.VillageAsync(villageCode, caller, ct);
        if (code is null) return refusal;

        var named = request.Query["campaign"].ToString().Trim();
        var target = named.Length > 0
            ? catalog.Find(named)
            : catalog.OpenFor(code).LastOrDefault(c => c.RenewsFrom is not null);
        var source = catalog.Find(target?.RenewsFrom);
        if (target is null || source is null || target.Village(code) is not { } village || !caller.SeesRegency(target.RegencyCode))
            return ApiErrors.Json(404, "Belum ada kampanye lanjutan untuk desa ini.", "no_renewal");

        var input = new RenewalRosterInput(village.Code, village.Name, source.Name, source.CoverageEnd) { Segments = target.Segments };
        var buffer = new MemoryStream();
        await RenewalRosterWriter.WriteAsync(buffer, input, People(source.Id, village.Code, ct), ct);
        return Results.Bytes(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", RenewalRosterWriter.FileName(input));
    }

    async IAsyncEnumerable<RenewalPerson> People(string campaignId, string villageCode, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in registry.ReadEnrolmentsAsync(campaignId, villageCode, ct))
            yield return new RenewalPerson(e.Nik, null, e.Name, e.BirthDate, e.Sex, e.SegmentCode, null);
    }
}
