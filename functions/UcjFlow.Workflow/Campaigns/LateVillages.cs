using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Campaigns;

namespace UcjFlow.Workflow.Campaigns;

/// <summary>The campaign's villages that have no approved batch yet, in code order, with where each stands.</summary>
public static class LateVillages
{
    public static async Task<IReadOnlyList<(CampaignVillage Village, VillageStatus Status)>> FindAsync(
        Campaign campaign, IEnrollmentRegistry registry, CancellationToken ct = default)
    {
        var batches = await registry.ListBatchesAsync(campaign.Id, ct: ct).ConfigureAwait(false);
        var byVillage = batches.ToLookup(b => Core.Regions.RegionCodes.Normalize(b.VillageCode) ?? b.VillageCode, StringComparer.Ordinal);
        var late = new List<(CampaignVillage, VillageStatus)>();
        foreach (var village in campaign.Villages)
        {
            var own = byVillage[village.Code].ToList();
            if (own.Any(b => b.Status == BatchStatus.Approved)) continue;
            var status =
                own.Any(b => b.Status is BatchStatus.AwaitingApproval or BatchStatus.Validating) ? VillageStatus.AwaitingApproval
                // Uploaded, but nothing enrolled: rejected, unreadable, undecided until it expired, or approved and then revoked.
                : own.Any(b => b.Status is BatchStatus.Rejected or BatchStatus.Unreadable or BatchStatus.Expired or BatchStatus.Revoked) ? VillageStatus.NeedsCorrection
                : VillageStatus.NotSubmitted;
            late.Add((village, status));
        }
        return late;
    }
}
