using UcjFlow.Workflow.Campaigns;
using System.Text;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;

namespace UcjFlow.Workflow.Coverage;

/// <summary>
/// The coverage summary of a regency, computed in one place for the workflow (publish after an approval and
/// daily) and for the host's <c>GET /api/coverage?asOf=</c>: enrolments active on a date (default today, Jakarta) over the
/// registry's running tallies of the regency's campaigns. One instance per host (a singleton), so that its publications coalesce per regency
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
    /// The summary of a regency on <paramref name="asOf"/> (default: today in Jakarta; never clamped into a campaign's
    /// period, so coverage falls when funded periods end: issue 13.3), through <see cref="CoverageCalculator"/>: enrolments of
    /// all the regency's campaigns active that day and on the days the lapse ahead needs
    /// (<see cref="CoverageCalculator.DaysToRead"/>), those ending from that day on, the presenting campaign's tallies and
    /// first rosters (submitted/pending/rejected, reporting rates) and the stored daily snapshots with today's figures in
    /// place of today's snapshot (the trend). Reads the running tallies only: the cost does not grow with people.
    /// </summary>
    /// <param name="regencyCode">Dotted Kemendagri code ("15.03").</param>
    /// <exception cref="UnknownCampaignException">no campaign of the catalog is in that regency.</exception>
    /// <param name="presentingId">The campaign whose submission round the summary shows (the page's picked one); null or
    /// another regency's: <see cref="Presenting"/>.</param>
    public async Task<CoverageSummary> ComputeAsync(string regencyCode, DateOnly? asOf = null, CancellationToken ct = default, string? presentingId = null)
    {
        var now = time.GetUtcNow();
        var catalog = await campaigns.CurrentAsync(ct).ConfigureAwait(false);
        var campaign = catalog.Find(presentingId) is { } picked && picked.RegencyCode == regencyCode ? picked : catalog.Presenting(regencyCode);
        var day = asOf ?? Today(now);
        var regency = catalog.OfRegency(regencyCode);
        var ids = regency.Select(c => c.Id).ToList();
        // Independent reads run at once, each on its own pooled connection (Task.Run: the SQLite provider's async calls
        // complete synchronously): the page waits for the slowest read, not their sum. Only the warning's days wait for
        // the ending counts.
        var endingRead = Task.Run(() => registry.GetEndingCountsAsync(ids, day.AddDays(-1), day.AddYears(CoverageCalculator.EndingHorizonYears), ct), ct);
        var activeReads = new[] { day }.Concat(CoverageCalculator.WindowDays(day)).Distinct()
            .ToDictionary(d => d, d => Task.Run(() => registry.GetActiveCountsAsync(ids, d, ct), ct));
        var talliesRead = Task.Run(() => registry.GetVillageTalliesAsync(campaign.Id, day, ct), ct);
        var batchesRead = Task.Run(() => registry.ListBatchesAsync(campaign.Id, ct: ct), ct);
        var trendRead = ReadTrendAsync(regencyCode, ct);
        var ending = await endingRead.ConfigureAwait(false);
        foreach (var d in CoverageCalculator.DaysToRead(day, ending))
            if (!activeReads.ContainsKey(d)) activeReads[d] = Task.Run(() => registry.GetActiveCountsAsync(ids, d, ct), ct);
        await Task.WhenAll(activeReads.Values.Cast<Task>().Append(talliesRead).Append(batchesRead).Append(trendRead)).ConfigureAwait(false);
        var active = activeReads.ToDictionary(kv => kv.Key, kv => kv.Value.Result);
        var tallies = talliesRead.Result;
        var batches = batchesRead.Result;
        var trend = trendRead.Result;
        var inputs = new CoverageInputs
        {
            Presenting = campaign, Campaigns = regency, AsOf = day, Submissions = tallies, Active = active, Ending = ending,
        };
        return CoverageCalculator.Compute(inputs, now, Reporting.FirstSent(batches), trend);
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
        var summary = await ComputeAsync(regencyCode, ct: ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Daily(regencyCode), Encoding.UTF8.GetBytes(CoverageTrend.Serialize(summary.Trend)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Json(regencyCode), Encoding.UTF8.GetBytes(CoverageJson.Serialize(summary)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Svg(regencyCode), Encoding.UTF8.GetBytes(CoverageSvg.RankedBars(summary)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Html(regencyCode), Encoding.UTF8.GetBytes(CoverageHtml.Render(summary)), ct).ConfigureAwait(false);
        await WriteAsync(CoverageBlobs.Csv(regencyCode), CoverageCsv.ToBytes(summary), ct).ConfigureAwait(false);
        return summary;
    }

    /// <summary>Today's date in Jakarta: the default date coverage is shown for.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(JakartaTime.ToLocal(now).DateTime);

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
