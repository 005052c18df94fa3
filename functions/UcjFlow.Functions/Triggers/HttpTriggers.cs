using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UcjFlow.App.Api;
using UcjFlow.App.Web;
using UcjFlow.Functions.Durable;
using DTClient = Microsoft.DurableTask.Client;

namespace UcjFlow.Functions.Triggers;

/// <summary>
/// Every route of the app (<see cref="UcjFlowRoutes"/>) as an HTTP trigger, one line each into the handler the local host
/// maps. Anonymous on purpose: the app checks coordinator, village and signed-link tokens itself, the same on both
/// hosts; a function key would grant nothing here.
/// </summary>
public sealed class HttpTriggers(UploadApi uploads, BatchApi batches, RevocationApi revocations, CoverageApi coverage, ReportFiles reports, WebPages pages, VillageMessagesApi messages, ExportApi exports)
{
    const AuthorizationLevel Anonymous = AuthorizationLevel.Anonymous;

    [Function(nameof(Upload))]
    public Task<IResult> Upload([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.Upload)] HttpRequest request, string villageCode,
        [DurableClient] DTClient.DurableTaskClient durable, CancellationToken ct) => uploads.UploadAsync(request, villageCode, AzureDurableClient.For(durable), ct);

    [Function(nameof(ListBatches))]
    public Task<IResult> ListBatches([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Batches)] HttpRequest request, CancellationToken ct)
        => batches.ListAsync(request, ct);

    [Function(nameof(GetBatch))]
    public Task<IResult> GetBatch([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Batch)] HttpRequest request, string batchId, CancellationToken ct)
        => batches.GetAsync(request, batchId, ct);

    [Function(nameof(GetBatchReport))]
    public Task<IResult> GetBatchReport([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.BatchReport)] HttpRequest request, string batchId, string format, CancellationToken ct)
        => batches.ReportAsync(request, batchId, format, ct);

    [Function(nameof(Decide))]
    public Task<IResult> Decide([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.Decision)] HttpRequest request, string batchId,
        [DurableClient] DTClient.DurableTaskClient durable, CancellationToken ct) => batches.DecideAsync(request, batchId, AzureDurableClient.For(durable), ct);

    [Function(nameof(Revoke))]
    public Task<IResult> Revoke([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.Revoke)] HttpRequest request, string batchId,
        [DurableClient] DTClient.DurableTaskClient durable, CancellationToken ct) => revocations.RevokeAsync(request, batchId, AzureDurableClient.For(durable), ct);

    [Function(nameof(MarkExportSent))]
    public Task<IResult> MarkExportSent([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.ExportSent)] HttpRequest request, string batchId,
        [DurableClient] DTClient.DurableTaskClient durable, CancellationToken ct) => revocations.MarkExportSentAsync(request, batchId, AzureDurableClient.For(durable), ct);

    [Function(nameof(GetAudit))]
    public Task<IResult> GetAudit([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Audit)] HttpRequest request, CancellationToken ct)
        => revocations.AuditAsync(request, ct);

    [Function(nameof(GetCoverage))]
    public Task<IResult> GetCoverage([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Coverage)] HttpRequest request, CancellationToken ct)
        => coverage.CoverageAsync(request, ct);

    [Function(nameof(GetCampaign))]
    public Task<IResult> GetCampaign([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Campaign)] HttpRequest request, CancellationToken ct)
        => coverage.CampaignAsync(request, ct);

    [Function(nameof(GetMe))]
    public Task<IResult> GetMe([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Me)] HttpRequest request, CancellationToken ct)
        => coverage.MeAsync(request, ct);

    [Function(nameof(GetCoverageFile))]
    public Task<IResult> GetCoverageFile([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.CoverageFile)] HttpRequest request, string regency, string file, CancellationToken ct)
        => reports.CoverageAsync(regency, file, ct);

    [Function(nameof(GetCoverageFileBeforeRegencies))]
    public Task<IResult> GetCoverageFileBeforeRegencies([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.CoverageFileBeforeRegencies)] HttpRequest request, string file, CancellationToken ct)
        => reports.CoverageBeforeRegenciesAsync(file, ct);

    [Function(nameof(GetBatchFile))]
    public Task<IResult> GetBatchFile([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.BatchFile)] HttpRequest request, string batchId, string file, CancellationToken ct)
        => reports.BatchAsync(request, batchId, file, ct);

    [Function(nameof(GetPage))]
    public IResult GetPage([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Page)] HttpRequest request, string? page) => pages.Page(page);

    [Function(nameof(GetBatchPage))]
    public IResult GetBatchPage([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.BatchPage)] HttpRequest request, string batchId) => pages.Index();

    [Function(nameof(GetUploadPage))]
    public IResult GetUploadPage([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.UploadPage)] HttpRequest request, string villageCode) => pages.Index();

    [Function(nameof(GetAsset))]
    public IResult GetAsset([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.Assets)] HttpRequest request, string file) => pages.Asset(file);

    [Function(nameof(GetBatchResult))]
    public Task<IResult> GetBatchResult([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.BatchResult)] HttpRequest request, string batchId, CancellationToken ct)
        => batches.ResultAsync(request, batchId, ct);
    [Function(nameof(GetBatchMessages))]
    public Task<IResult> GetBatchMessages([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.BatchMessages)] HttpRequest request, string batchId, CancellationToken ct)
        => messages.BatchAsync(request, batchId, ct);

    [Function(nameof(GetLateVillages))]
    public Task<IResult> GetLateVillages([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.LateVillages)] HttpRequest request, CancellationToken ct)
        => messages.LateAsync(request, ct);

    [Function(nameof(GetBatchPeople))]
    public Task<IResult> GetBatchPeople([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.BatchPeople)] HttpRequest request, string batchId, CancellationToken ct)
        => batches.PeopleAsync(request, batchId, ct);

    [Function(nameof(DecideMany))]
    public Task<IResult> DecideMany([HttpTrigger(Anonymous, "post", Route = UcjFlowRoutes.Decisions)] HttpRequest request,
        [DurableClient] DTClient.DurableTaskClient durable, CancellationToken ct) => batches.DecideManyAsync(request, AzureDurableClient.For(durable), ct);

    [Function(nameof(GetBatchExport))]
    public Task<IResult> GetBatchExport([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.BatchExport)] HttpRequest request, string batchId, string format, CancellationToken ct)
        => exports.BatchAsync(request, batchId, format, ct);

    [Function(nameof(GetConsolidatedExport))]
    public Task<IResult> GetConsolidatedExport([HttpTrigger(Anonymous, "get", Route = UcjFlowRoutes.ConsolidatedExport)] HttpRequest request, string format, CancellationToken ct)
        => exports.ConsolidatedAsync(request, format, ct);
}
