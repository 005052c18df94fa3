using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using UcjFlow.App.Security;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.App.Api;

/// <summary>
/// Undoing an approval (workflow.md, "revoke"), the mark that ends the time for it (the BPJS export was sent), and the audit
/// trail; coordinators only. The registry decides each in one transaction (<see cref="IEnrollmentRegistry.RevokeAsync"/>,
/// <see cref="IEnrollmentRegistry.MarkExportSentAsync"/>): of racing revocations, or a revocation and the mark, exactly one
/// wins. What follows a revocation (coverage republished, the village told) is the durable
/// <see cref="Workflow.Intake.RevocationOrchestrator"/>, started here and by <c>WorkflowUpkeep</c> if a crash came first.
/// </summary>
public sealed class RevocationApi(Access access, CampaignScope scope, IEnrollmentRegistry registry, ILogger<RevocationApi> logger)
{
    /// <summary>Longest reason accepted, in characters (as for a rejection).</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>
    /// POST api/batches/{batchId}/revoke <c>{"reason": "…"}</c> → 202 <see cref="RevocationAccepted"/>, status Revoked. 400
    /// <c>reason_required</c>; 404; 409 <c>already_revoked</c>, <c>export_sent</c> (the BPJS export was marked sent),
    /// <c>not_approved</c>, or <c>still_committing</c> (the approval's export and mail are still being written).
    /// </summary>
    public async Task<IResult> RevokeAsync(HttpRequest request, string batchId, DurableTaskClient client, CancellationToken ct)
    {
        var who = await access.CoordinatorAsync(request, ct);
        if (who.Caller is not { } caller) return who.Refusal;

        RevokeRequest? body;
        try { body = await request.ReadFromJsonAsync(ApiJsonContext.Default.RevokeRequest, ct); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            body = null;
        }
        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            return ApiErrors.Json(400, "Alasan pencabutan wajib diisi. Kirim JSON {\"reason\": \"...\"}.", "reason_required");
        if (reason.Length > MaxReasonLength)
            return ApiErrors.Json(400, $"Alasan terlalu panjang (paling banyak {MaxReasonLength} karakter).", "reason_too_long");

        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return ApiErrors.BatchNotFound(batchId);
        if (!caller.CoordinatesVillage(batch.VillageCode)) return ApiErrors.Forbidden();
        if (await StillCommittingAsync(batch, client, ct) is { } busy) return busy;

        // From here on the revocation is taken: a client that hangs up does not cancel it.
        var result = await registry.RevokeAsync(new Revocation(Guid.NewGuid().ToString("N"), batchId, caller.Name, reason), CancellationToken.None);
        switch (result.Outcome)
        {
            case RevocationOutcome.Revoked or RevocationOutcome.Replayed:
                var record = result.Record!;
                logger.LogInformation("Batch {BatchId} revoked by {RevokedBy}: {Unenrolled} unenrolled", batchId, caller.Name, record.Unenrolled);
                try
                {
                    await client.EnsureRevocationFollowUpAsync(batchId, CancellationToken.None);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    logger.LogWarning(e, "Batch {BatchId} revoked but its follow-up not started yet; upkeep starts it", batchId);
                }
                return Results.Json(new RevocationAccepted(batchId, record.RevocationId, record.Unenrolled, $"/api/batches/{batchId}"),
                    ApiJsonContext.Default.RevocationAccepted, statusCode: StatusCodes.Status202Accepted);
            case RevocationOutcome.AlreadyRevoked:
                return ApiErrors.Json(409,
                    $"Persetujuan batch ini sudah dicabut oleh {result.Record!.RevokedBy} pada {IndonesianFormat.DateTime(result.Record.RevokedAt)}.",
                    "already_revoked");
            case RevocationOutcome.ExportSent:
                return ApiErrors.Json(409,
                    "Ekspor BPJS batch ini sudah ditandai terkirim ke BPJS Ketenagakerjaan, sehingga persetujuannya tidak dapat dicabut lagi.",
                    "export_sent");
            case RevocationOutcome.NotApproved:
                return NotApproved(result.BatchStatus);
            default:
                return ApiErrors.BatchNotFound(batchId);
        }
    }

    /// <summary>
    /// POST api/batches/{batchId}/export-sent → 202 <see cref="ExportSentView"/>: the batch's BPJS export was sent; from now on
    /// the approval cannot be revoked. 404; 409 <c>export_already_sent</c>, <c>not_approved</c> (revoked, or never approved) or
    /// <c>still_committing</c>.
    /// </summary>
    public async Task<IResult> MarkExportSentAsync(HttpRequest request, string batchId, DurableTaskClient client, CancellationToken ct)
    {
        var who = await access.CoordinatorAsync(request, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return ApiErrors.BatchNotFound(batchId);
        if (!caller.CoordinatesVillage(batch.VillageCode)) return ApiErrors.Forbidden();
        if (await StillCommittingAsync(batch, client, ct) is { } busy) return busy;

        var result = await registry.MarkExportSentAsync(batchId, caller.Name, CancellationToken.None);
        switch (result.Outcome)
        {
            case ExportMarkOutcome.Marked:
                logger.LogInformation("BPJS export of batch {BatchId} marked sent by {MarkedBy}", batchId, caller.Name);
                return Results.Json(new ExportSentView(batchId, result.Mark!.MarkedBy, result.Mark.MarkedAt), ApiJsonContext.Default.ExportSentView,
                    statusCode: StatusCodes.Status202Accepted);
            case ExportMarkOutcome.AlreadyMarked:
                return ApiErrors.Json(409,
                    $"Ekspor BPJS batch ini sudah ditandai terkirim oleh {result.Mark!.MarkedBy} pada {IndonesianFormat.DateTime(result.Mark.MarkedAt)}.",
                    "export_already_sent");
            case ExportMarkOutcome.NotApproved:
                return NotApproved(result.BatchStatus);
            default:
                return ApiErrors.BatchNotFound(batchId);
        }
    }

    /// <summary>GET api/audit?batch=: the audit trail of the campaign, or of one batch, oldest first (coordinators only).</summary>
    public async Task<IResult> AuditAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.CoordinatorAsync(request, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (campaign, noCampaign) = await scope.ForAsync(request, caller, ct);
        if (campaign is null) return noCampaign;
        var batch = request.Query["batch"].ToString();
        var entries = await registry.ListAuditAsync(campaign.Id, string.IsNullOrWhiteSpace(batch) ? null : batch.Trim(), ct);
        // A coordinator scoped to one kecamatan sees its villages' entries only.
        var villages = caller.DistrictCode is null ? null
            : (await registry.ListBatchesAsync(campaign.Id, ct: ct)).ToDictionary(b => b.BatchId, b => b.VillageCode, StringComparer.Ordinal);
        return Results.Json(new AuditList(entries.Where(e => villages is null
            || (villages.GetValueOrDefault(e.BatchId) is { } village && caller.CoordinatesVillage(village))).Select(e => new AuditView(e.Seq, e.BatchId, e.Action, e.Actor, e.At, e.Reason)).ToList()),
            ApiJsonContext.Default.AuditList);
    }

    // An approval is committed by its intake, which then writes the BPJS export and tells the village: revoking or marking
    // meanwhile would let that export and mail follow the revocation.
    static async Task<IResult?> StillCommittingAsync(Batch batch, DurableTaskClient client, CancellationToken ct) =>
        batch.Status == BatchStatus.Approved
        && await client.GetInstanceAsync(batch.BatchId, ct) is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending }
            ? ApiErrors.Json(409, "Persetujuan batch ini masih diproses (ekspor BPJS dan pemberitahuan desa). Coba lagi sebentar lagi.", "still_committing")
            : null;

    static IResult NotApproved(BatchStatus? status) => ApiErrors.Json(409,
        $"Hanya batch yang sudah disetujui yang dapat dicabut atau ditandai ekspornya terkirim (status batch ini {status}).", "not_approved");
}
