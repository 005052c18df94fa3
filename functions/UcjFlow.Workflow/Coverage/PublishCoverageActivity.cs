using UcjFlow.Workflow.Durable;

namespace UcjFlow.Workflow.Coverage;

/// <summary>The figures a publication reports back to the orchestration (the summary itself is a blob).</summary>
public sealed record CoveragePublished(DateOnly AsOf, long Approved, long Pending, decimal CoveragePercent, int VillagesMissing);

/// <summary>
/// Republishes <c>reports/coverage/latest.*</c> through the host's one <see cref="CoveragePublisher"/>, so that a burst
/// of decisions coalesces into a few publications. Idempotent: it rewrites the same names with the current figures.
/// </summary>
public sealed class PublishCoverageActivity(CoveragePublisher publisher) : TaskActivity<string?, CoveragePublished>
{
    public const string Name = "PublishCoverage";

    public override async Task<CoveragePublished> RunAsync(TaskActivityContext context, string? reason)
    {
        var s = await publisher.PublishAsync();
        return new CoveragePublished(s.AsOf, s.Approved, s.Pending, s.CoveragePercent, s.VillagesMissing.Count);
    }
}
