using UcjFlow.Core.Campaigns;
using UcjFlow.Workflow.Intake;
using UcjFlow.Core.Storage;
using UcjFlow.App.Settings;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Host.Intake;

/// <summary>
/// The local blob trigger: starts one intake per file in uploads/{regency}/{district}/{village}/. The first scan at
/// start is the recovery pass (an upload registered but never scheduled before a crash gets its intake now). After that it
/// polls every <see cref="UcjFlowSettings.WatcherPollInterval"/>; what a poll acts on is <see cref="UploadScanner"/>'s rule.
/// </summary>
public sealed class UploadWatcher(UploadScanner scanner, UcjFlowSettings settings) : BackgroundService
{
    /// <summary>Completes when the first full scan is done (tests and the demo wait for it).</summary>
    public Task Recovered => recovered.Task;
    readonly TaskCompletionSource recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await scanner.ScanAsync(recovery: true, stoppingToken);
        recovered.TrySetResult();
        // Real time on purpose: polling the disk has nothing to do with the campaign clock a demo or test moves.
        using var timer = new PeriodicTimer(settings.WatcherPollInterval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await scanner.ScanAsync(recovery: false, stoppingToken);
    }
}

/// <summary>
/// One pass over the uploads container at a time (not thread-safe: one caller, the watcher's loop). A file is acted on
/// only when its size and time are the same as at the previous pass, so a file still being copied in by hand is left
/// alone; the blob store's own writes are atomic renames and its temp folder is not listed. The recovery pass acts on
/// every file. The same content is one batch however often it is seen (<see cref="IntakeStarter"/>).
/// </summary>
public sealed class UploadScanner(IBlobStore blobs, IntakeStarter starter, DurableTaskClient client, ILogger<UploadScanner> logger)
{
    // What each file looked like at the previous pass, and the files already handled in that shape.
    readonly Dictionary<string, (long Length, DateTimeOffset Modified)> lastSeen = new(StringComparer.Ordinal);
    readonly Dictionary<string, (long Length, DateTimeOffset Modified)> handled = new(StringComparer.Ordinal);

    /// <summary>One pass; returns once every file it acted on has its batch registered and its intake scheduled.</summary>
    public async Task ScanAsync(bool recovery, CancellationToken ct)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var blob in blobs.ListAsync(BlobContainers.Uploads, "", ct))
            {
                present.Add(blob.Name);
                var shape = (blob.Length, blob.LastModified);
                if (handled.TryGetValue(blob.Name, out var done) && done == shape) continue;
                var stable = recovery || (lastSeen.TryGetValue(blob.Name, out var before) && before == shape);
                lastSeen[blob.Name] = shape;
                if (!stable || IsTemporary(blob.Name)) continue;
                if (await HandleAsync(blob.Name, ct)) handled[blob.Name] = shape;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Scanning uploads failed; trying again at the next poll");
        }
        foreach (var gone in lastSeen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            lastSeen.Remove(gone);
            handled.Remove(gone);
        }
    }

    /// <summary>True when the file needs no further look (started, or not an upload the watcher can use).</summary>
    async Task<bool> HandleAsync(string blobName, CancellationToken ct)
    {
        if (!UploadPath.TryParse(blobName, out var path))
        {
            logger.LogWarning("Ignoring {Blob}: uploads go in uploads/{{regency}}/{{district}}/{{village}}/[{{campaign}}/]{{file}}", blobName);
            return true;
        }
        try
        {
            var start = await starter.StartAsync(client, path, ct);
            if (start is { NewBatch: true })
                logger.LogInformation("Watcher started batch {BatchId} for {Blob}", start.BatchId, blobName);
            return true;
        }
        catch (CampaignChoiceException e)
        {
            logger.LogWarning("Ignoring {Blob}: no campaign for village {Village} ({Problem})", blobName, path.VillageCode, e.Problem);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not start the intake of {Blob}; trying again at the next poll", blobName);
            return false;
        }
    }

    /// <summary>Names editors and copy tools use while writing (~$x.xlsx, .x.swp, x.part, x.tmp, .x.crdownload).</summary>
    static bool IsTemporary(string blobName)
    {
        var file = blobName[(blobName.LastIndexOf('/') + 1)..];
        return file.StartsWith('.') || file.StartsWith("~$", StringComparison.Ordinal)
            || file.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
            || file.EndsWith(".crdownload", StringComparison.OrdinalIgnoreCase);
    }
}
