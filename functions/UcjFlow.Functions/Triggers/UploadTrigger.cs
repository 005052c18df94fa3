using UcjFlow.Core.Campaigns;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using UcjFlow.Core.Storage;
using UcjFlow.Functions.Durable;
using UcjFlow.Workflow.Intake;
using DTClient = Microsoft.DurableTask.Client;

namespace UcjFlow.Functions.Triggers;

/// <summary>
/// The blob trigger on uploads/{regency}/{district}/{village}/{file}, fed by Event Grid (the only blob trigger the Flex
/// Consumption plan supports; infra/ subscribes it to BlobCreated): registers the batch and starts its Intake through
/// the same <see cref="IntakeStarter"/> the local watcher and the upload API use (once per content).
/// </summary>
public sealed class UploadTrigger(IntakeStarter starter, ILogger<UploadTrigger> logger)
{
    [Function(nameof(OnUpload))]
    public async Task OnUpload(
        [BlobTrigger(BlobContainers.Uploads + "/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        string name, [DurableClient] DTClient.DurableTaskClient durable, CancellationToken ct)
    {
        if (!UploadPath.TryParse(name, out var upload))
        {
            logger.LogWarning("Ignoring {Blob}: uploads go in uploads/{{regency}}/{{district}}/{{village}}/[{{campaign}}/]{{file}}", blob.Name);
            return;
        }
        try
        {
            await starter.StartAsync(AzureDurableClient.For(durable), upload, ct);
        }
        catch (CampaignChoiceException e)
        {
            logger.LogWarning("Ignoring {Blob}: no campaign for village {Village} ({Problem})", blob.Name, upload.VillageCode, e.Problem);
        }
    }
}
