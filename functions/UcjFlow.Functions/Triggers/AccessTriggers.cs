using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UcjFlow.App.Api;

namespace UcjFlow.Functions.Triggers;

/// <summary>The access-link, template and renewal-roster routes (<see cref="UcjFlowRoutes"/>) as anonymous HTTP triggers, one line each into <see cref="AccessApi"/>.</summary>
public sealed class AccessTriggers(AccessApi access, RenewalApi renewal)
{
    const AuthorizationLevel Anonymous = AuthorizationLevel.Anonymous;

    [Function(nameof(IssueVillageAccess))]
    public Task<IResult> IssueVillageAccess([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.VillageAccess)] HttpRequest request, string villageCode, CancellationToken ct)
        => access.IssueAsync(request, villageCode, ct);

    [Function(nameof(IssueDistrictAccess))]
    public Task<IResult> IssueDistrictAccess([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.DistrictAccess)] HttpRequest request, string districtCode, CancellationToken ct)
        => access.IssueSheetAsync(request, districtCode, ct);

    [Function(nameof(ListAccessLinks))]
    public Task<IResult> ListAccessLinks([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.AccessLinks)] HttpRequest request, CancellationToken ct)
        => access.ListAsync(request, ct);

    [Function(nameof(RevokeAccessLink))]
    public Task<IResult> RevokeAccessLink([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.AccessLinkRevoke)] HttpRequest request, string linkId, CancellationToken ct)
        => access.RevokeAsync(request, linkId, ct);

    [Function(nameof(GetTemplate))]
    public Task<IResult> GetTemplate([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Template)] HttpRequest request, CancellationToken ct) => access.TemplateAsync(request, ct);

    [Function(nameof(GetVillageRenewal))]
    public Task<IResult> GetVillageRenewal([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.VillageRenewal)] HttpRequest request, string villageCode, CancellationToken ct)
        => renewal.RosterAsync(request, villageCode, ct);
}
