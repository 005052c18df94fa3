using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.Core.Storage;
using UcjFlow.Functions.Durable;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Functions.Triggers;

/// <summary>
/// The coordinators' HTTP API on Azure. Coordinators authenticate with a function key (AuthorizationLevel.Function, checked
/// by the platform); an emailed approval link's signed token may read and decide its one batch under /links/. Uploads land in Blob Storage, where
/// <see cref="UploadTrigger"/> takes over. The village web page and per-village tokens are the embedded host's for now.
/// </summary>
public sealed class HttpApi(IEnrollmentRegistry registry, IBlobStore blobs, ApprovalLinkSigner signer, CoveragePublisher coverage)
{
    public sealed record DecisionRequest(bool Approve, string? Reason);

    [Function(nameof(Upload))]
    public async Task<IActionResult> Upload(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "uploads/{villageCode}")] HttpRequest request, string villageCode, CancellationToken ct)
    {
        var fileName = request.Headers["X-File-Name"].ToString();
        if (UploadPath.NormaliseVillageCode(villageCode) is not { } code || fileName.Length == 0)
            return new BadRequestObjectResult(new { error = "Kode desa atau nama berkas (X-File-Name) tidak valid." });
        var upload = UploadPath.For(code, $"{Guid.NewGuid():N}"[..12] + "_" + Path.GetFileName(fileName));
        await blobs.WriteAsync(BlobContainers.Uploads, upload.BlobName, request.Body, ct);
        return new AcceptedResult(location: null, new { blob = upload.BlobName });
    }

    [Function(nameof(GetBatch))]
    public Task<IActionResult> GetBatch(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "batches/{batchId}")] HttpRequest request, string batchId, CancellationToken ct)
        => ReadBatchAsync(batchId, ct);

    [Function(nameof(GetBatchByLink))]
    public async Task<IActionResult> GetBatchByLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "links/batches/{batchId}")] HttpRequest request, string batchId, CancellationToken ct)
        => signer.IsValid(request.Query["token"].ToString(), batchId) ? await ReadBatchAsync(batchId, ct) : new UnauthorizedResult();

    [Function(nameof(Decide))]
    public Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "batches/{batchId}/decision")] HttpRequest request, string batchId,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
        => DecideAsync(request, batchId, "koordinator", client, ct);

    [Function(nameof(DecideByLink))]
    public async Task<IActionResult> DecideByLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links/batches/{batchId}/decision")] HttpRequest request, string batchId,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
        => signer.IsValid(request.Query["token"].ToString(), batchId)
            ? await DecideAsync(request, batchId, "tautan-email", client, ct)
            : new UnauthorizedResult();

    async Task<IActionResult> ReadBatchAsync(string batchId, CancellationToken ct)
        => await registry.GetBatchAsync(batchId, ct) is { } batch ? new OkObjectResult(batch) : new NotFoundResult();

    async Task<IActionResult> DecideAsync(HttpRequest request, string batchId, string decidedBy, DurableTaskClient client, CancellationToken ct)
    {
        var decision = await JsonSerializer.DeserializeAsync<DecisionRequest>(request.Body, JsonSerializerOptions.Web, ct);
        if (decision is null || (!decision.Approve && string.IsNullOrWhiteSpace(decision.Reason)))
            return new BadRequestObjectResult(new { error = "Alasan penolakan wajib diisi." });
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return new NotFoundResult();
        if (batch.Status != BatchStatus.AwaitingApproval)
            return new ConflictObjectResult(new { error = "Berkas ini tidak sedang menunggu persetujuan." });
        // A second decision that races in reaches the orchestration after the first and is never consumed; the registry's
        // decision record is idempotent per decision id, so nothing is committed twice.
        await using var port = new AzureDurableClient(client, WorkflowJson.DataConverter);
        await port.RaiseEventAsync(batchId, IntakeNames.DecisionEvent,
            new DecisionEvent(Guid.NewGuid().ToString("N"), decision.Approve, decision.Reason, decidedBy), ct);
        return new AcceptedResult();
    }

    [Function(nameof(GetCoverage))]
    public async Task<IActionResult> GetCoverage(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "coverage")] HttpRequest request, CancellationToken ct)
        => new ContentResult { Content = CoverageJson.Serialize(await coverage.ComputeAsync(ct)), ContentType = "application/json" };
}
