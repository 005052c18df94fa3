using System.Globalization;
using Microsoft.AspNetCore.Http;
using UcjFlow.App.Security;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Regions;
using UcjFlow.Workflow.Coverage;

namespace UcjFlow.App.Api;

/// <summary>The coverage summary, the campaign, and who the caller is (the web page asks on start).</summary>
public sealed class CoverageApi(Access access, CampaignScope scope, CoveragePublisher coverage)
{
    /// <summary>
    /// GET api/coverage[?regency=15.03][&amp;asOf=YYYY-MM-DD][&amp;campaign=]: the summary of a regency on a Jakarta date (default
    /// today; not clamped into any campaign's period: issue 13.3), computed live from the registry by
    /// <see cref="CoveragePublisher.ComputeAsync"/>, the same figures the workflow publishes, with the lapse ahead.
    /// The regency defaults to the request's campaign's (<see cref="CampaignScope"/>). 400 <c>bad_date</c> for a date not
    /// written YYYY-MM-DD; 404 <c>regency_not_found</c> for a regency the caller may not see or without a campaign.
    /// </summary>
    public async Task<IResult> CoverageAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { Role: CallerRole.Coordinator or CallerRole.Village } caller) return who.Caller is null ? who.Refusal : ApiErrors.Forbidden();
        DateOnly? asOf = null;
        if (request.Query["asOf"].ToString().Trim() is { Length: > 0 } dateText)
        {
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return ApiErrors.Json(400, $"Tanggal '{dateText}' tidak dikenali: tulis sebagai TTTT-BB-HH, misalnya 2025-11-01.", "bad_date");
            asOf = day;
        }
        string regency;
        string? presenting = null;
        if (request.Query["regency"].ToString().Trim() is { Length: > 0 } regencyText)
        {
            var catalog = await scope.CatalogAsync(ct);
            var dotted = RegionCodes.Normalize(regencyText);
            if (dotted is null || !caller.SeesRegency(dotted) || catalog.OfRegency(dotted).Count == 0)
                return ApiErrors.Json(404, $"Kabupaten '{regencyText}' tidak ada atau bukan wilayah Anda.", "regency_not_found");
            regency = dotted;
        }
        else
        {
            var (campaign, refusal) = await scope.ForAsync(request, caller, ct);
            if (campaign is null) return refusal;
            regency = campaign.RegencyCode;
            // The submission round shown (submitted, pending, reporting rates) is the request's campaign's.
            presenting = campaign.Id;
        }
        var summary = await coverage.ComputeAsync(regency, asOf, ct, presenting);
        return Results.Text(CoverageJson.Serialize(summary), "application/json; charset=utf-8");
    }

    /// <summary>GET api/campaign: the campaign; PIC addresses for coordinators only, a village PIC sees its own village.</summary>
    public async Task<IResult> CampaignAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (campaign, refusal) = await scope.ForAsync(request, caller, ct);
        return campaign is null ? refusal : Results.Json(View(campaign, caller), ApiJsonContext.Default.CampaignView);
    }

    /// <summary>GET api/me[?batch=]: the caller behind the bearer token, or behind the batch's signed link.</summary>
    public async Task<IResult> MeAsync(HttpRequest request, CancellationToken ct)
    {
        var batch = request.Query["batch"].ToString();
        var who = await access.IdentifyAsync(request, batch is { Length: > 0 } ? batch : null, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var village = caller.VillageCode is null ? null : (await scope.CatalogAsync(ct)).All.Select(c => c.Village(caller.VillageCode)).FirstOrDefault(v => v is not null);
        return Results.Json(new MeView(caller.Role, caller.Name, caller.VillageCode, village?.Name, caller.BatchId, caller.DistrictCode), ApiJsonContext.Default.MeView);
    }

    static CampaignView View(Campaign c, Caller caller) => new(
        c.Id, c.Name, c.RegencyCode, c.RegencyName, c.Workforce, c.BaselineCovered, c.TargetPercent,
        c.Tariffs.Select(t => new TariffView(t.From, t.To, t.Jkk, t.Jkm, t.Premium)).ToList(),
        c.CoverageStart, c.CoverageEnd, c.MonthsFunded, c.SubmissionDeadline, c.ReminderOffsetsDays,
        (int)c.ApprovalReminderInterval.TotalDays, c.EscalateAfterReminders,
        c.Segments.Select(s => s.Name).ToList(),
        // A village PIC sees its own village; PIC addresses are for coordinators only.
        c.Villages.Where(v => caller.MayActForVillage(v.Code))
            .Select(v => new CampaignVillageView(v.Code, v.Name, v.Kind, v.DistrictCode, v.DistrictName, caller.IsCoordinator ? v.PicEmail : null))
            .ToList());
}
