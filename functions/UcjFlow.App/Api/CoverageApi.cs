using Microsoft.AspNetCore.Http;
using UcjFlow.App.Security;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Workflow.Coverage;

namespace UcjFlow.App.Api;

/// <summary>The coverage summary, the campaign, and who the caller is (the web page asks on start).</summary>
public sealed class CoverageApi(Access access, CampaignScope scope, CoveragePublisher coverage)
{
    /// <summary>GET api/coverage: the summary as of today (Jakarta), computed live from the registry: the same figures the workflow publishes.</summary>
    public async Task<IResult> CoverageAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { Role: CallerRole.Coordinator or CallerRole.Village }) return who.Caller is null ? who.Refusal : ApiErrors.Forbidden();
        var (campaign, refusal) = await scope.ForAsync(request, who.Caller, ct);
        if (campaign is null) return refusal;
        var summary = await coverage.ComputeAsync(campaign.RegencyCode, ct);
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
