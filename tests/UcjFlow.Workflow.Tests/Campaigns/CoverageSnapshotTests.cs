using UcjFlow.Core.Campaigns;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Campaigns;

/// <summary>
/// Issue 10.4: the trend's daily snapshots are written when coverage is published (after each approval and by the daily
/// summary): one per Jakarta date, a later publication on the same date replacing it.
/// </summary>
public class CoverageSnapshotTests
{
    const string TambakRatu = "15.03.01.2001";
    const string SungaiKeradak = "15.03.01.2002";

    [Fact]
    public async Task Publishing_writes_one_snapshot_per_Jakarta_date_and_the_days_last_figures()
    {
        await using var h = await WorkflowHarness.StartAsync(); // 10 October 2024, 09:00 WIB
        await ApproveAsync(h, TambakRatu, Rosters.Workers(5));

        var first = await TrendAsync(h);
        // 10 October 2024 is before the coverage start (1 November): approved people are not covered yet (issue 13.3).
        Assert.Equal(new CoverageSnapshot(new DateOnly(2024, 10, 10), 112_644, 64_709, 0, 0, 57.45m, 1), Assert.Single(first));

        // Later the same day (23:30 WIB): another approval republishes; still one snapshot for the 10th, now with both.
        await h.PassToAsync(new DateTimeOffset(2024, 10, 10, 16, 30, 0, TimeSpan.Zero));
        await ApproveAsync(h, SungaiKeradak, Rosters.Workers(3, firstSerial: 100));
        var same = await TrendAsync(h);
        Assert.Equal(new CoverageSnapshot(new DateOnly(2024, 10, 10), 112_644, 64_709, 0, 0, 57.45m, 2), Assert.Single(same));

        // 00:30 WIB on the 11th (17:30 UTC on the 10th): a new Jakarta date, a second snapshot; the 10th's stays.
        h.Clock.AdvanceTo(new DateTimeOffset(2024, 10, 10, 17, 30, 0, TimeSpan.Zero));
        var published = await new CoveragePublisher(new CampaignStore(CampaignCatalog.Of(h.Campaign)), h.Registry, h.Blobs, h.Clock).PublishAsync(h.Campaign.RegencyCode);
        var next = await TrendAsync(h);
        Assert.Equal([new DateOnly(2024, 10, 10), new DateOnly(2024, 10, 11)], next.Select(s => s.Date));
        Assert.Equal(same[0], next[0]);
        Assert.Equal(published.Trend, next);
        // Both villages sent before the deadline (22 October): on time.
        Assert.Equal((2, 0), (published.Reporting!.OnTime, published.Reporting.Late));
    }

    static async Task ApproveAsync(WorkflowHarness h, string village, IReadOnlyList<Worker> workers)
    {
        var batchId = await h.UploadAsync(village, "peserta.csv", Rosters.Csv(workers));
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));
        await h.DecideAsync(batchId, approve: true);
        Assert.Equal(BatchStatus.Approved, (await h.CompletionAsync(batchId)).Status); // coverage is published before the intake completes
    }

    static async Task<IReadOnlyList<CoverageSnapshot>> TrendAsync(WorkflowHarness h) =>
        CoverageTrend.Deserialize(await File.ReadAllTextAsync(h.Blobs.PathOf(BlobContainers.Reports, CoverageBlobs.Daily(h.Campaign.RegencyCode))));
}
