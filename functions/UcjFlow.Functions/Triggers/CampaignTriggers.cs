using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UcjFlow.App.Api;

namespace UcjFlow.Functions.Triggers;

/// <summary>The campaign catalog's routes (<see cref="UcjFlowRoutes"/>) as anonymous HTTP triggers, one line each into <see cref="CampaignApi"/>.</summary>
public sealed class CampaignTriggers(CampaignApi campaigns)
{
    const AuthorizationLevel Anonymous = AuthorizationLevel.Anonymous;

    [Function(nameof(ListCampaigns))]
    public Task<IResult> ListCampaigns([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Campaigns)] HttpRequest request, CancellationToken ct)
        => campaigns.ListAsync(request, ct);

    [Function(nameof(CreateCampaign))]
    public Task<IResult> CreateCampaign([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.Campaigns)] HttpRequest request, CancellationToken ct)
        => campaigns.CreateAsync(request, ct);

    [Function(nameof(GetCampaignDocument))]
    public Task<IResult> GetCampaignDocument([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.CampaignById)] HttpRequest request, string campaignId, CancellationToken ct)
        => campaigns.GetAsync(request, campaignId, ct);

    [Function(nameof(ReplaceCampaign))]
    public Task<IResult> ReplaceCampaign([HttpTrigger(Anonymous, "put", Route = UcjFlowRoutes.CampaignById)] HttpRequest request, string campaignId, CancellationToken ct)
        => campaigns.ReplaceAsync(request, campaignId, ct);

    [Function(nameof(CloseCampaign))]
    public Task<IResult> CloseCampaign([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.CampaignClose)] HttpRequest request, string campaignId, CancellationToken ct)
        => campaigns.CloseAsync(request, campaignId, ct);
}
