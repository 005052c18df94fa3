using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.Core.Storage;
using UcjFlow.Functions.Durable;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Functions.Triggers;

/// <summary>
/// The blob trigger on uploads/{regency}/{district}/{village}/{file}: registers the batch and starts its Intake through the
/// same <see cref="IntakeStarter"/> the embedded watcher uses (once per content: the batch id comes from the bytes).
/// </summary>
public sealed class UploadTrigger(IServiceProvider services)
{
    [Function(nameof(OnUpload))]
    public async Task OnUpload(
        [BlobTrigger(BlobContainers.Uploads + "/{name}", Connection = "AzureWebJobsStorage")] Stream content,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct)
    {
        if (!UploadPath.TryParse(name, out var upload)) return; // not a village upload path: nothing to start
        await using var port = new AzureDurableClient(client, WorkflowJson.DataConverter);
        var starter = ActivatorUtilities.CreateInstance<IntakeStarter>(services, (UcjFlow.Workflow.Durable.DurableTaskClient)port);
        await starter.StartAsync(upload, ct);
    }
}
