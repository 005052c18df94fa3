using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Coverage;

namespace UcjFlow.Host.Api;

/// <summary>The coverage summary, the campaign, and who the caller is (the web page asks on start).</summary>
public static class CoverageEndpoints
{
    public static RouteGroupBuilder MapCoverageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/coverage", CoverageAsync);
        api.MapGet("/campaign", (HttpRequest request, Access access, Campaign campaign) =>
            access.FromBearer(request) is not { } caller ? ApiErrors.Unauthorized()
            : Results.Json(View(campaign, caller), ApiJsonContext.Default.CampaignView));
        api.MapGet("/me", (HttpRequest request, string? batch, Access access, Campaign campaign) =>
        {
            var caller = batch is { Length: > 0 } ? access.ForBatch(request, batch) : access.FromBearer(request);
            if (caller is null) return ApiErrors.Unauthorized();
            var village = caller.VillageCode is null ? null : campaign.Village(caller.VillageCode);
            return Results.Json(new MeView(caller.Role, caller.Name, caller.VillageCode, village?.Name, caller.BatchId), ApiJsonContext.Default.MeView);
        });
        return api;
    }

    /// <summary>The summary as of today (Jakarta), computed live from the registry: the same figures the workflow publishes.</summary>
    static async Task<IResult> CoverageAsync(HttpRequest request, Access access, Campaign campaign, IEnrollmentRegistry registry, IBlobStore blobs, TimeProvider time, CancellationToken ct)
    {
        if (access.FromBearer(request) is null) return ApiErrors.Unauthorized();
        var summary = await new CoveragePublisher(campaign, registry, blobs, time).ComputeAsync(ct);
        return Results.Text(CoverageJson.Serialize(summary), "application/json; charset=utf-8");
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
