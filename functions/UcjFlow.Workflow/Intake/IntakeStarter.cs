using UcjFlow.Workflow.Campaigns;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using Microsoft.Extensions.Logging;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Workflow.Intake;

/// <summary>What <see cref="IntakeStarter.StartAsync"/> did with an upload.</summary>
public sealed record IntakeStart(string BatchId, bool NewBatch, BatchStatus Status);

/// <summary>
/// Turns an upload blob into a batch and its Intake orchestration. Shared by both hosts' upload paths (the embedded API and watcher, the Azure blob trigger), and safe to
/// call any number of times for the same blob: the batch id is derived from (village, content), the registry refuses a
/// second batch for the same content, and an orchestration is only scheduled while the batch is still Validating and
/// none is running for it.
/// </summary>
public sealed class IntakeStarter(CampaignStore campaigns, IEnrollmentRegistry registry, IBlobStore blobs, ILogger<IntakeStarter> logger)
{
    /// <summary>
    /// "{campaign id}-{village digits}-{first 12 hex of the SHA-256}": the same bytes from the same village are one batch
    /// per campaign (issue 13.1). The batch id is also the Intake orchestration's instance id. Batches of the
    /// single-campaign version keep their "{village digits}-{hash}" ids.
    /// </summary>
    public static string BatchIdFor(string campaignId, string villageCode, string contentHash) =>
        $"{campaignId}-{villageCode.Replace(".", "", StringComparison.Ordinal)}-{contentHash[..12]}";

    /// <summary>
    /// Registers the batch of an upload blob (if new) and makes sure its intake runs on <paramref name="client"/> (the
    /// host's durable client: the embedded runner's, or the one Azure Functions binds per invocation). Null when the blob is gone.
    /// </summary>
    /// <exception cref="CampaignChoiceException">the path names no campaign and the village has none or several open, or it names one that is closed, unknown or without the village.</exception>
    /// <param name="campaignId">The campaign when the caller knows it (an earlier batch of the same bytes); null: the path's, else the village's one open campaign.</param>
    public async Task<IntakeStart?> StartAsync(DurableTaskClient client, UploadPath upload, CancellationToken ct = default, string? campaignId = null)
    {
        var campaign = (await campaigns.CurrentAsync(ct)).ForUpload(upload.VillageCode, campaignId ?? upload.CampaignId);
        var village = campaign.Village(upload.VillageCode)!;
        var blobName = upload.BlobName;
        var properties = await blobs.GetPropertiesAsync(BlobContainers.Uploads, blobName, withHash: true, ct);
        if (properties?.ContentHash is not { } hash) return null;

        var registration = await registry.RegisterBatchAsync(new NewBatch(
            BatchIdFor(campaign.Id, village.Code, hash), campaign.Id, village.Code, village.Name, village.DistrictCode,
            StoredFileName(upload.FileName), hash, blobName), ct);
        var batch = registration.Batch;
        if (registration.Created)
            logger.LogInformation("Batch {BatchId} registered for village {Village} from {Blob}", batch.BatchId, village.Code, blobName);

        if (batch.Status == BatchStatus.Validating) await EnsureOrchestrationAsync(client, batch.BatchId, ct);
        return new IntakeStart(batch.BatchId, registration.Created, batch.Status);
    }

    /// <summary>
    /// The API stores uploads as "{hash12}_{name}" so two different files with one name never overwrite each other;
    /// the batch keeps the name the village gave.
    /// </summary>
    public static string StoredFileName(string blobFileName) =>
        blobFileName.Length > 13 && blobFileName[12] == '_' && blobFileName[..12].All(char.IsAsciiHexDigitLower) ? blobFileName[13..] : blobFileName;

    async Task EnsureOrchestrationAsync(DurableTaskClient client, string batchId, CancellationToken ct)
    {
        var instance = await client.GetInstanceAsync(batchId, ct);
        // A failed intake (e.g. the machine ran out of disk mid-validation) is retried from the start on the next scan.
        if (instance is not null && instance.RuntimeStatus != OrchestrationRuntimeStatus.Failed) return;
        // A refusal means the API and the watcher scheduled it at the same moment: one of them won, which is all that is needed.
        if (await client.StartIntakeAsync(batchId, ct))
            logger.LogInformation("Intake {BatchId} scheduled", batchId);
    }
}
