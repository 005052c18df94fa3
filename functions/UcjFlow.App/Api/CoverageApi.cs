using Microsoft.AspNetCore.Http;
using UcjFlow.App.Security;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Workflow.Coverage;

namespace UcjFlow.App.Api;

/// <summary>The coverage summary, the campaign, and who the caller is (the web page asks on start).</summary>
public sealed class CoverageApi(Access access, Campaign campaign, CoveragePublisher coverage)
{
    /// <summary>GET api/coverage: the summary as of today (Jakarta), computed live from the registry: the same figures the workflow publishes.</summary>
    public async Task<IResult> CoverageAsync(HttpRequest request, CancellationToken ct)
    {
        if (access.FromBearer(request) is null) return ApiErrors.Unauthorized();
        var summary = await coverage.ComputeAsync(ct);
        return Results.Text(CoverageJson.Serialize(summary), "application/json; charset=utf-8");
    }

    /// <summary>GET api/campaign: the campaign; PIC addresses for coordinators only, a village PIC sees its own village.</summary>
    public IResult Campaign(HttpRequest request) =>
        access.FromBearer(request) is not { } caller ? ApiErrors.Unauthorized()
        : Results.Json(View(campaign, caller), ApiJsonContext.Default.CampaignView);

    /// <summary>GET api/me[?batch=]: the caller behind the bearer token, or behind the batch's signed link.</summary>
    public IResult Me(HttpRequest request)
    {
        var batch = request.Query["batch"].ToString();
        var caller = batch is { Length: > 0 } ? access.ForBatch(request, batch) : access.FromBearer(request);
        if (caller is null) return ApiErrors.Unauthorized();
        var village = caller.VillageCode is null ? null : campaign.Village(caller.VillageCode);
        return Results.Json(new MeView(caller.Role, caller.Name, caller.VillageCode, village?.Name, caller.BatchId), ApiJsonContext.Default.MeView);
    }

    static CampaignView View(Campaign c, Caller caller) => new(
        c.Id, c.Name, c.RegencyCode, c.RegencyName, c.Workforce, c.BaselineCovered, c.TargetPercent,
        c.Tariffs.Select(t => new TariffView(t.From, t.To, t.Jkk, t.Jkm, t.Premium)).ToList(),
        c.CoverageStart, c.CoverageEnd, c.MonthsFunded, c.SubmissionDeadline, c.ReminderOffsetsDays,
        (int)c.ApprovalReminderInterval.TotalDays, c.EscalateAfterReminders,
        c.Segments.Select(s => s.Name).ToList(),
        // A village PIC sees its own village; PIC addresses are for coordinators only.
        c.Villages.Where(v => caller.IsCoordinator || v.Code == caller.VillageCode)
            .Select(v => new CampaignVillageView(v.Code, v.Name, v.Kind, v.DistrictCode, v.DistrictName, caller.IsCoordinator ? v.PicEmail : null))
            .ToList());
}
