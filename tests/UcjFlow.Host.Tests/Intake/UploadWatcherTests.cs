using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Intake;
using UcjFlow.Host.Tests.Support;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Host.Tests.Intake;

/// <summary>
/// The upload watcher on a real app whose poll timer never ticks during the test (an hour): the test makes each poll
/// itself through the watcher's <see cref="UploadScanner"/>, so what a poll sees is fixed, not a race with a slow copy.
/// </summary>
public sealed class UploadWatcherTests : IAsyncLifetime
{
    readonly TempFolder folder = new();
    InProcessApp app = null!;

    public async Task InitializeAsync()
    {
        var campaign = TestCampaign.Write(folder.Path);
        app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"),
            configure: s => s with { CampaignFile = campaign.Path, WatcherPollInterval = TimeSpan.FromHours(1) });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task A_file_dropped_into_uploads_by_hand_starts_one_intake_once_it_stopped_growing()
    {
        var scanner = app.App.Services.GetRequiredService<UploadScanner>();
        var village = app.Campaign.Village("15.03.01.2004")!;
        var (name, content) = RosterGenerator.Csv(village, 30, 7);
        var dir = Path.Combine(app.Settings.DataFolder, "uploads", "1503", "150301", "1503012004");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        async Task<IReadOnlyList<Batch>> Batches() => await app.Registry.ListBatchesAsync(app.Campaign.Id, villageCode: village.Code);

        // A slow copy: a poll sees the first half, the next one the whole file. A poll returns once what it acted on is
        // registered, so an empty registry after it means the poll left the file alone.
        await using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            await stream.WriteAsync(content.AsMemory(0, content.Length / 2));
            await stream.FlushAsync();
            await scanner.ScanAsync(recovery: false, CancellationToken.None);
            Assert.Empty(await Batches());

            await stream.WriteAsync(content.AsMemory(content.Length / 2));
        }
        await scanner.ScanAsync(recovery: false, CancellationToken.None);
        Assert.Empty(await Batches()); // grown since the last poll: not yet

        File.Copy(path, Path.Combine(dir, "salinan-" + name)); // the same bytes under another name: still one batch
        await scanner.ScanAsync(recovery: false, CancellationToken.None); // the whole file, unchanged since the last poll
        await scanner.ScanAsync(recovery: false, CancellationToken.None); // the copy, unchanged since the last poll

        var whole = IntakeStarter.BatchIdFor(app.Campaign.Id, village.Code, Convert.ToHexStringLower(SHA256.HashData(content)));
        Assert.Equal([whole], (await Batches()).Select(b => b.BatchId));
        var done = await app.WaitForBatchAsync(whole, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        Assert.Equal(new BatchCounts(7, 7, 0, 0), done.Counts);
    }
}
