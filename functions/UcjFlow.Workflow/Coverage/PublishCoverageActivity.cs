using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Workflow.Coverage;

/// <summary>The figures a publication reports back to the orchestration (the summary itself is a blob).</summary>
public sealed record CoveragePublished(DateOnly AsOf, long Approved, long Pending, decimal CoveragePercent, int VillagesMissing);

/// <summary>Republishes <c>reports/coverage/latest.*</c>. Idempotent: it rewrites the same names with the current figures.</summary>
public sealed class PublishCoverageActivity(Campaign campaign, IEnrollmentRegistry registry, IBlobStore blobs, TimeProvider time)
    : TaskActivity<string?, CoveragePublished>
{
    public const string Name = "PublishCoverage";

    public override async Task<CoveragePublished> RunAsync(TaskActivityContext context, string? reason)
    {
        var s = await new CoveragePublisher(campaign, registry, blobs, time).PublishAsync();
        return new CoveragePublished(s.AsOf, s.Approved, s.Pending, s.CoveragePercent, s.VillagesMissing.Count);
    }
}
