using UcjFlow.Core.Campaigns;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Coverage;

/// <summary>
/// Issue 11.1: overlapping coverage publications of one <see cref="CoveragePublisher"/> coalesce, and each caller still
/// gets a summary computed after its call began (so it counts the decision committed just before).
/// </summary>
public class CoverageCoalescingTests
{
    const string TambakRatu = "15.03.01.2001";

    [Fact]
    public async Task Calls_during_a_publication_share_one_later_publication_that_counts_what_was_committed_meanwhile()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var store = new HeldBlobStore(h.Blobs);
        var publisher = new CoveragePublisher(new CampaignStore(CampaignCatalog.Of(h.Campaign)), h.Registry, store, h.Clock);

        // The first publication has computed its summary (nothing approved yet) and is held at its first write.
        var first = publisher.PublishAsync(h.Campaign.RegencyCode);
        await store.Held.WaitAsync(TimeSpan.FromSeconds(30));

        // Meanwhile a batch is approved, then two more publications are asked for.
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(Rosters.Workers(5)));
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));
        await h.DecideAsync(batchId, approve: true);
        Assert.Equal(BatchStatus.Approved, (await h.CompletionAsync(batchId)).Status);
        var second = publisher.PublishAsync(h.Campaign.RegencyCode);
        var third = publisher.PublishAsync(h.Campaign.RegencyCode);
        store.Release();

        // October 2024: the approved people's coverage starts on 1 November, so they count as starting later (issue 13.3).
        Assert.Equal(0, (await first).ApprovedStartingLater);
        Assert.Equal(5, (await second).ApprovedStartingLater);
        Assert.Same(await second, await third);
        Assert.Equal(2, store.SummaryWrites); // the first publication and one for both later calls
    }

    /// <summary>The harness's blob store; holds the first write of <c>reports/coverage/</c> until released, and counts summary writes.</summary>
    sealed class HeldBlobStore(IBlobStore inner) : IBlobStore
    {
        readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int reportWrites, summaryWrites;

        public SemaphoreSlim Held { get; } = new(0);
        public int SummaryWrites => Volatile.Read(ref summaryWrites);
        public void Release() => release.TrySetResult();

        async Task BeforeWriteAsync(string container, string name)
        {
            if (container != BlobContainers.Reports) return;
            if (name.EndsWith("/latest.json", StringComparison.Ordinal)) Interlocked.Increment(ref summaryWrites);
            if (Interlocked.Increment(ref reportWrites) == 1)
            {
                Held.Release();
                await release.Task;
            }
        }

        public async Task WriteAsync(string container, string name, Stream content, CancellationToken cancellationToken = default)
        {
            await BeforeWriteAsync(container, name);
            await inner.WriteAsync(container, name, content, cancellationToken);
        }

        public async Task WriteAsync(string container, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
        {
            await BeforeWriteAsync(container, name);
            await inner.WriteAsync(container, name, write, cancellationToken);
        }

        public Task<Stream> OpenReadAsync(string container, string name, CancellationToken cancellationToken = default) => inner.OpenReadAsync(container, name, cancellationToken);
        public Task<bool> ExistsAsync(string container, string name, CancellationToken cancellationToken = default) => inner.ExistsAsync(container, name, cancellationToken);
        public IAsyncEnumerable<BlobProperties> ListAsync(string container, string prefix = "", CancellationToken cancellationToken = default) => inner.ListAsync(container, prefix, cancellationToken);
        public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(container, name, cancellationToken);
        public Task<BlobProperties?> GetPropertiesAsync(string container, string name, bool withHash = false, CancellationToken cancellationToken = default) => inner.GetPropertiesAsync(container, name, withHash, cancellationToken);
    }
}
