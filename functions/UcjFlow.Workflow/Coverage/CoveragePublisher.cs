using System.Text;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;

namespace UcjFlow.Workflow.Coverage;

/// <summary>
/// The coverage summary of the campaign, computed in one place for the workflow (publish after an approval and
/// daily) and for the host's <c>GET /api/coverage</c>: enrolments active today (Jakarta) over the registry's tallies.
/// One instance per host (a singleton), so that its publications coalesce (<see cref="PublishAsync"/>).
/// </summary>
public sealed class CoveragePublisher(Campaign campaign, IEnrollmentRegistry registry, IBlobStore blobs, TimeProvider time)
{
    readonly SemaphoreSlim publishing = new(1, 1);
    long requested;
    (long UpTo, CoverageSummary Summary)? lastPublished;

    /// <summary>
    /// The summary as of today in Jakarta: the registry's tallies, each village's first roster (reporting rates) and the
    /// stored daily snapshots with today's figures in place of today's snapshot (the trend).
    /// </summary>
    public async Task<CoverageSummary> ComputeAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var asOf = AsOf(now);
        var tallies = await registry.GetVillageTalliesAsync(campaign.Id, asOf, ct).ConfigureAwait(false);
        var batches = await registry.ListBatchesAsync(campaign.Id, ct: ct).ConfigureAwait(false);
        var trend = await ReadTrendAsync(ct).ConfigureAwait(false);
        return CoverageCalculator.Compute(campaign, tallies, asOf, now, Reporting.FirstSent(batches), trend);
    }

    /// <summary>
    /// Publishes a summary computed after this call began (so it counts every decision committed before it) and returns
    /// it. Calls that overlap coalesce: one publication at a time, and each caller waiting for its turn returns the summary
    /// of a publication that began after that caller's call, if one has finished meanwhile. A burst of 158 approvals
    /// publishes a few times instead of 158 times (each a registry read and five blob writes), and the last approval's
    /// publication still starts after its commit.
    /// </summary>
    public async Task<CoverageSummary> PublishAsync(CancellationToken ct = default)
    {
        var ticket = Interlocked.Increment(ref requested);
        await publishing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (lastPublished is { } done && done.UpTo >= ticket) return done.Summary;
            // Every call counted so far began before this computation reads the registry: this publication covers them.
            var upTo = Interlocked.Read(ref requested);
            var summary = await PublishNowAsync(ct).ConfigureAwait(false);
            lastPublished = (upTo, summary);
            return summary;
        }
        finally
        {
            publishing.Release();
        }
    }

    /// <summary>
    /// Computes the summary, writes today's snapshot into <c>reports/coverage/daily.json</c> (one per Jakarta date: a
    /// second publication on a date replaces it), then <c>reports/coverage/latest.json|.html|.csv|.svg</c> (each atomically).
    /// </summary>
    async Task<CoverageSummary> PublishNowAsync(CancellationToken ct)
    {
        var summary = await ComputeAsync(ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Daily, Encoding.UTF8.GetBytes(CoverageTrend.Serialize(summary.Trend)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Json, Encoding.UTF8.GetBytes(CoverageJson.Serialize(summary)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Svg, Encoding.UTF8.GetBytes(CoverageSvg.RankedBars(summary)), ct).ConfigureAwait(false);
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

    /// <summary>The stored daily snapshots, oldest first; none before the first publication.</summary>
    public async Task<IReadOnlyList<CoverageSnapshot>> ReadTrendAsync(CancellationToken ct = default)
    {
        try
        {
            await using var stream = await blobs.OpenReadAsync(BlobContainers.Reports, CoverageBlobs.Daily, ct).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return CoverageTrend.Deserialize(await reader.ReadToEndAsync(ct).ConfigureAwait(false));
        }
        catch (BlobNotFoundException)
        {
            return [];
        }
    }

    Task WriteAsync(string name, byte[] bytes, CancellationToken ct) =>
        blobs.WriteAsync(BlobContainers.Reports, name, new MemoryStream(bytes, writable: false), ct);
}
