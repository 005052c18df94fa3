using System.Text;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;

namespace UcjFlow.Workflow.Coverage;

/// <summary>
/// The coverage summary of the campaign, computed in one place for the workflow (publish after an approval and
/// daily) and for the host's <c>GET /api/coverage</c>: enrolments active today (Jakarta) over the registry's tallies.
/// </summary>
public sealed class CoveragePublisher(Campaign campaign, IEnrollmentRegistry registry, IBlobStore blobs, TimeProvider time)
{
    /// <summary>The summary as of today in Jakarta.</summary>
    public async Task<CoverageSummary> ComputeAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var asOf = AsOf(now);
        var tallies = await registry.GetVillageTalliesAsync(campaign.Id, asOf, ct).ConfigureAwait(false);
        return CoverageCalculator.Compute(campaign, tallies, asOf, now);
    }

    /// <summary>Computes the summary and writes <c>reports/coverage/latest.json|.html|.csv</c> (each atomically).</summary>
    public async Task<CoverageSummary> PublishAsync(CancellationToken ct = default)
    {
        var summary = await ComputeAsync(ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Json, Encoding.UTF8.GetBytes(CoverageJson.Serialize(summary)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Html, Encoding.UTF8.GetBytes(CoverageHtml.Render(summary)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Csv, CoverageCsv.ToBytes(summary), ct).ConfigureAwait(false);
        return summary;
    }

    /// <summary>
    /// Enrolments are counted active on today's Jakarta date, kept within the funded period: before the coverage
    /// starts (the submission weeks) approved workers already count, and after it ends the last day stands.
    /// </summary>
    public DateOnly AsOf(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(JakartaTime.ToLocal(now).DateTime);
        if (today < campaign.CoverageStart) return campaign.CoverageStart;
        return today > campaign.CoverageEnd ? campaign.CoverageEnd : today;
    }

    Task WriteAsync(string name, byte[] bytes, CancellationToken ct) =>
        blobs.WriteAsync(BlobContainers.Reports, name, new MemoryStream(bytes, writable: false), ct);
}
