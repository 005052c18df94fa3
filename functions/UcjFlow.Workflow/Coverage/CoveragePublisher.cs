using UcjFlow.Workflow.Campaigns;
using System.Text;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;

namespace UcjFlow.Workflow.Coverage;

/// <summary>
/// The coverage summary of a regency, computed in one place for the workflow (publish after an approval and
/// daily) and for the host's <c>GET /api/coverage</c>: enrolments active today (Jakarta) over the registry's tallies of
/// the regency's campaigns. One instance per host (a singleton), so that its publications coalesce per regency
/// (<see cref="PublishAsync"/>).
/// </summary>
public sealed class CoveragePublisher(CampaignStore campaigns, IEnrollmentRegistry registry, IBlobStore blobs, TimeProvider time)
{
    sealed class Lane
    {
        public readonly SemaphoreSlim Publishing = new(1, 1);
        public long Requested;
        public (long UpTo, CoverageSummary Summary)? LastPublished;
    }

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lane> lanes = new(StringComparer.Ordinal);

    /// <summary>
    /// The campaign whose calendar and figures the regency's summary is shown with: the last added open campaign of the
    /// regency, else its last added one.
    /// </summary>
    /// <exception cref="UnknownCampaignException">no campaign of the catalog is in that regency.</exception>
    public static Campaign Presenting(CampaignCatalog catalog, string regencyCode) =>
        catalog.Entries.LastOrDefault(e => !e.Closed && e.Campaign.RegencyCode == regencyCode)?.Campaign
        ?? catalog.OfRegency(regencyCode).LastOrDefault()
        ?? throw new UnknownCampaignException(regencyCode);

    /// <summary>
    /// The summary as of today in Jakarta: the registry's tallies, each village's first roster (reporting rates) and the
    /// stored daily snapshots with today's figures in place of today's snapshot (the trend).
    /// </summary>
    /// <param name="regencyCode">Dotted Kemendagri code ("15.03").</param>
    public async Task<CoverageSummary> ComputeAsync(string regencyCode, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var catalog = await campaigns.CurrentAsync(ct).ConfigureAwait(false);
        var campaign = Presenting(catalog, regencyCode);
        var asOf = AsOf(campaign, now);
        var tallies = new List<VillageTally>();
        var batches = new List<Batch>();
        foreach (var c in catalog.OfRegency(regencyCode))
        {
            tallies.AddRange(await registry.GetVillageTalliesAsync(c.Id, asOf, ct).ConfigureAwait(false));
            batches.AddRange(await registry.ListBatchesAsync(c.Id, ct: ct).ConfigureAwait(false));
        }
        var trend = await ReadTrendAsync(regencyCode, ct).ConfigureAwait(false);
        return CoverageCalculator.Compute(campaign, tallies, asOf, now, Reporting.FirstSent(batches), trend);
    }

    /// <summary>
    /// Publishes a summary computed after this call began (so it counts every decision committed before it) and returns
    /// it. Calls that overlap coalesce: one publication at a time, and each caller waiting for its turn returns the summary
    /// of a publication that began after that caller's call, if one has finished meanwhile. A burst of 158 approvals
    /// publishes a few times instead of 158 times (each a registry read and five blob writes), and the last approval's
    /// publication still starts after its commit.
    /// </summary>
    public async Task<CoverageSummary> PublishAsync(string regencyCode, CancellationToken ct = default)
    {
        var lane = lanes.GetOrAdd(regencyCode, _ => new Lane());
        var ticket = Interlocked.Increment(ref lane.Requested);
        await lane.Publishing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (lane.LastPublished is { } done && done.UpTo >= ticket) return done.Summary;
            // Every call counted so far began before this computation reads the registry: this publication covers them.
            var upTo = Interlocked.Read(ref lane.Requested);
            var summary = await PublishNowAsync(regencyCode, ct).ConfigureAwait(false);
            lane.LastPublished = (upTo, summary);
            return summary;
        }
        finally
        {
            lane.Publishing.Release();
        }
    }

    /// <summary>
    /// Computes the summary, writes today's snapshot into <c>reports/coverage/{regency}/daily.json</c> (one per Jakarta date: a
    /// second publication on a date replaces it), then <c>reports/coverage/{regency}/latest.json|.html|.csv|.svg</c> (regency code without dots) (each atomically).
    /// </summary>
    async Task<CoverageSummary> PublishNowAsync(string regencyCode, CancellationToken ct)
    {
        var summary = await ComputeAsync(regencyCode, ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Daily(regencyCode), Encoding.UTF8.GetBytes(CoverageTrend.Serialize(summary.Trend)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Json(regencyCode), Encoding.UTF8.GetBytes(CoverageJson.Serialize(summary)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Svg(regencyCode), Encoding.UTF8.GetBytes(CoverageSvg.RankedBars(summary)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Html(regencyCode), Encoding.UTF8.GetBytes(CoverageHtml.Render(summary)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Csv(regencyCode), CoverageCsv.ToBytes(summary), ct).ConfigureAwait(false);
        return summary;
    }

    /// <summary>
    /// Enrolments are counted active on today's Jakarta date, kept within the funded period: before the coverage
    /// starts (the submission weeks) approved workers already count, and after it ends the last day stands.
    /// </summary>
    public static DateOnly AsOf(Campaign campaign, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(JakartaTime.ToLocal(now).DateTime);
        if (today < campaign.CoverageStart) return campaign.CoverageStart;
        return today > campaign.CoverageEnd ? campaign.CoverageEnd : today;
    }

    /// <summary>The stored daily snapshots, oldest first; none before the first publication.</summary>
    public async Task<IReadOnlyList<CoverageSnapshot>> ReadTrendAsync(string regencyCode, CancellationToken ct = default)
    {
        try
        {
            await using var stream = await blobs.OpenReadAsync(BlobContainers.Reports, CoverageBlobs.Daily(regencyCode), ct).ConfigureAwait(false);
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
