using UcjFlow.Core.Registry;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Workflow.Coverage;

/// <summary>The figures a publication reports back to the orchestration (the summary itself is a blob).</summary>
public sealed record CoveragePublished(DateOnly AsOf, long Approved, long Pending, decimal CoveragePercent, int VillagesMissing);

/// <summary>
/// Republishes <c>reports/coverage/{regency}/latest.*</c> through the host's one <see cref="CoveragePublisher"/>, so that a burst
/// of decisions coalesces into a few publications. Idempotent: it rewrites the same names with the current figures.
/// </summary>
/// <remarks>The input is the batch whose decision changed the figures: its campaign's regency is republished.</remarks>
public sealed class PublishCoverageActivity(CoveragePublisher publisher, CampaignStore campaigns, IEnrollmentRegistry registry) : TaskActivity<string?, CoveragePublished>
{
    public const string Name = "PublishCoverage";

    public override async Task<CoveragePublished> RunAsync(TaskActivityContext context, string? batchId)
    {
        var regency = (await campaigns.OfBatchAsync(registry, batchId ?? throw new InvalidOperationException("No batch given."))).RegencyCode;
        var s = await publisher.PublishAsync(regency);
        return new CoveragePublished(s.AsOf, s.Approved, s.Pending, s.CoveragePercent, s.VillagesMissing.Count);
    }
}
