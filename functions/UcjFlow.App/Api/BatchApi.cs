using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using UcjFlow.Adapters.Notify;
using UcjFlow.App.Hosting;
using UcjFlow.App.Security;
using UcjFlow.App.Web;
using UcjFlow.Workflow;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.App.Api;

/// <summary>
/// Batches: the list, one batch, its validation reports, and the coordinators' decision (decided once: the registry's
/// claim, <see cref="IEnrollmentRegistry.ClaimDecisionAsync"/>, lets exactly one of racing decisions through).
/// </summary>
public sealed class BatchApi(Access access, Campaign campaign, IEnrollmentRegistry registry, IBlobStore blobs, Notifier mail, TimeProvider time, ILogger<BatchApi> logger)
{
    /// <summary>GET api/batches?status=&amp;village=: newest first; a village PIC sees its own village only.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var status = request.Query["status"].ToString();
        var village = request.Query["village"].ToString();
        BatchStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<BatchStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return ApiErrors.Json(400, $"Status '{status}' tidak dikenal. Pilihan: {string.Join(", ", Enum.GetNames<BatchStatus>())}.", "bad_status");
            wanted = parsed;
        }
        string? villageCode = null;
        if (!string.IsNullOrWhiteSpace(village))
        {
            villageCode = UploadPath.NormaliseVillageCode(village);
            if (villageCode is null) return ApiErrors.Json(400, $"'{village}' bukan kode desa/kelurahan.", "bad_village");
        }
        if (!caller.IsCoordinator)
        {
            if (villageCode is not null && villageCode != caller.VillageCode) return ApiErrors.Forbidden();
            villageCode = caller.VillageCode ?? "-"; // a mailed batch link lists nothing
        }
        else if (villageCode is not null && !caller.CoordinatesVillage(villageCode)) return ApiErrors.Forbidden();
        // A coordinator scoped to one kecamatan sees its villages only.
        var batches = (await registry.ListBatchesAsync(campaign.Id, wanted, villageCode, ct)).Where(b => caller.MayActForVillage(b.VillageCode)).ToList();
        var decisions = (await registry.ListDecisionsAsync(campaign.Id, ct)).ToDictionary(d => d.BatchId, StringComparer.Ordinal);
        var pending = (await registry.ListPendingDecisionClaimsAsync(campaign.Id, ct)).Select(c => c.BatchId).ToHashSet(StringComparer.Ordinal);
        // Newest first: what a coordinator wants to see on top.
        var views = Enumerable.Reverse(batches).Select(b => View(b, decisions.GetValueOrDefault(b.BatchId), pending.Contains(b.BatchId))).ToList();
        // Undelivered mail is for the coordinators to fix (a setting, an address); PIC addresses are theirs only.
        var problems = caller.IsCoordinator
            ? (await mail.ListAsync(ct)).Select(ProblemView).ToList()
            : [];
        return Results.Json(new BatchList(views, problems), ApiJsonContext.Default.BatchList);
    }

    /// <summary>GET api/batches/{batchId}: for a coordinator, the batch's village, or the batch's signed link (?token=).</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string batchId, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, batchId, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return caller.IsCoordinator ? ApiErrors.BatchNotFound(batchId) : ApiErrors.Forbidden();
        if (!caller.MayReadBatch(batchId, batch.VillageCode)) return ApiErrors.Forbidden();
        var decision = await registry.GetDecisionAsync(batchId, ct);
        return Results.Json(View(batch, decision, await registry.GetDecisionClaimAsync(batchId, ct) is not null), ApiJsonContext.Default.BatchView);
    }

    /// <summary>Problems listed on the batch page; the full report has them all.</summary>
    public const int MaxProblemsShown = 200;

    /// <summary>
    /// GET api/batches/{batchId}/result: what the village was told when validation ended (<see cref="BatchResultView"/>),
    /// for whoever may read the batch.
    /// </summary>
    public async Task<IResult> ResultAsync(HttpRequest request, string batchId, CancellationToken ct)
    {
        if (access.ForBatch(request, batchId) is not { } caller) return ApiErrors.Unauthorized();
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return caller.IsCoordinator ? ApiErrors.BatchNotFound(batchId) : ApiErrors.Forbidden();
        if (!caller.MayReadBatch(batchId, batch.VillageCode)) return ApiErrors.Forbidden();
        RosterReport? report = null;
        if (batch.Status != BatchStatus.Validating && batch.ReportBlob is { } blob && await blobs.ExistsAsync(BlobContainers.Reports, blob, ct))
        {
            await using var stream = await blobs.OpenReadAsync(BlobContainers.Reports, blob, ct);
            report = await RosterReportJson.ReadAsync(stream, ct);
        }
        var (problems, count) = VillageAnswer.Problems(report, MaxProblemsShown);
        return Results.Json(new BatchResultView(batch.BatchId, batch.Status, batch.Counts, problems, count, report?.Notes ?? [], report?.FileMessage),
            ApiJsonContext.Default.BatchResultView);
    }

    /// <summary>GET api/batches/{batchId}/report.{format}: the validation report as html, json or csv (NIK masked).</summary>
    public async Task<IResult> ReportAsync(HttpRequest request, string batchId, string format, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, batchId, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        if (format is not ("html" or "json" or "csv")) return ApiErrors.Json(404, "Format laporan tidak dikenal (html, json atau csv).", "report_not_found");
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return caller.IsCoordinator ? ApiErrors.BatchNotFound(batchId) : ApiErrors.Forbidden();
        if (!caller.MayReadBatch(batchId, batch.VillageCode)) return ApiErrors.Forbidden();
        return await ReportFiles.StreamAsync(blobs, $"{ReportFolder(batch)}/report.{format}",
            ApiErrors.Json(404, "Laporan batch ini belum tersedia.", "report_not_found"), format == "csv" ? $"laporan-{batchId}.csv" : null, ct);
    }

    /// <summary>
    /// POST api/batches/{batchId}/decision <c>{"approve": bool, "reason": "…"}</c> → 202; 400 without a reason to reject,
    /// 409 when the batch is decided (or claimed) already, Expired (code "expired"), or not awaiting approval. Raises the decision event on
    /// <paramref name="client"/> (the host's durable client).
    /// </summary>
    public async Task<IResult> DecideAsync(HttpRequest request, string batchId, DurableTaskClient client, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, batchId, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        if (caller.Role is not (CallerRole.Coordinator or CallerRole.ApprovalLink)) return ApiErrors.Forbidden();

        DecisionRequest? body;
        try { body = await request.ReadFromJsonAsync(ApiJsonContext.Default.DecisionRequest, ct); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            body = null;
        }
        if (body?.Approve is not { } approve)
            return ApiErrors.Json(400, "Kirim JSON {\"approve\": true} untuk menyetujui atau {\"approve\": false, \"reason\": \"...\"} untuk menolak.", "bad_decision");
        var reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
        if (!approve && reason is null)
            return ApiErrors.Json(400, "Alasan penolakan wajib diisi.", "reason_required");
        if (reason is { Length: > 2000 })
            return ApiErrors.Json(400, "Alasan terlalu panjang (paling banyak 2000 karakter).", "reason_too_long");

        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return caller.IsCoordinator ? ApiErrors.BatchNotFound(batchId) : ApiErrors.Forbidden();
        if (!caller.MayDecide(batchId, batch.VillageCode)) return ApiErrors.Forbidden();
        if (await NotDecidableAsync(batch, ct) is { } refused) return refused;

        var claim = new DecisionClaim(batchId, Guid.NewGuid().ToString("N"), approve, reason, caller.Name, time.GetUtcNow());
        // From here on the decision is taken: a client that hangs up does not cancel it, and a failure to deliver it keeps
        // the claim (never released: the event may have been stored) for WorkflowUpkeep to deliver.
        if (!await registry.ClaimDecisionAsync(claim, CancellationToken.None))
        {
            // Another decision, or the expiry, got there between the check above and the claim: say which.
            var now = await registry.GetBatchAsync(batchId, CancellationToken.None) ?? batch;
            return await NotDecidableAsync(now, CancellationToken.None) ?? ApiErrors.Json(409, "Batch ini sudah diputuskan.", "already_decided");
        }
        try
        {
            await client.RaiseEventAsync(batchId, IntakeNames.DecisionEvent, WorkflowUpkeep.ToEvent(claim), CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "Decision on batch {BatchId} claimed but not delivered yet; upkeep delivers it", batchId);
        }
        logger.LogInformation(
            "Batch {BatchId} {Decision} by {DecidedBy}", batchId, approve ? "approved" : "rejected", caller.Name);
        return Results.Json(new DecisionAccepted(batchId, claim.DecisionId, $"/api/batches/{batchId}"), ApiJsonContext.Default.DecisionAccepted,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The 409 for a batch that cannot be decided (decided, expired, or not awaiting approval); null when it can.</summary>
    async Task<IResult?> NotDecidableAsync(Batch batch, CancellationToken ct)
    {
        if (batch.Status is BatchStatus.Approved or BatchStatus.Rejected && await registry.GetDecisionAsync(batch.BatchId, ct) is not null)
            return ApiErrors.Json(409, "Batch ini sudah diputuskan.", "already_decided");
        if (batch.Status == BatchStatus.Expired)
            return ApiErrors.Json(409,
                "Batch ini sudah kedaluwarsa: tidak diputuskan sebelum batas waktu persetujuan berakhir, sehingga tidak dapat lagi disetujui atau ditolak. Desa/kelurahan dapat mengunggah berkas baru.",
                "expired");
        if (batch.Status != BatchStatus.AwaitingApproval)
            return ApiErrors.Json(409, $"Batch ini tidak menunggu persetujuan (status {batch.Status}).", "not_awaiting_approval");
        return null;
    }

    /// <summary>Where the Intake orchestration writes a batch's reports: the folder of its report blob, else reports/batches/{id}.</summary>
    static string ReportFolder(Batch batch) =>
        batch.ReportBlob is { } blob && blob.LastIndexOf('/') is > 0 and var slash ? blob[..slash] : BatchBlobs.Folder(batch.BatchId);

    static MailProblemView ProblemView(PendingMessage m) => new(m.Pending.Mail.Key, m.Pending.Mail.Subject, [.. m.Pending.Mail.To, .. m.Pending.Mail.Cc],
        m.Pending.Failure.Indonesian, m.Pending.Attempts, m.Pending.FirstFailedAt, m.Pending.NextAttemptAt, m.IsText ? "text" : "email");

    BatchView View(Batch b, DecisionRecord? decision, bool claimed)
    {
        var reports = b.Status is BatchStatus.Validating ? null : new ReportLinks(
            $"/api/batches/{b.BatchId}/report.html", $"/api/batches/{b.BatchId}/report.json", $"/api/batches/{b.BatchId}/report.csv");
        return new BatchView(b.BatchId, b.VillageCode, b.VillageName, b.DistrictCode, b.FileName, b.Status, b.Counts, b.FileCode, b.SupersededBy,
            b.CreatedAt, b.UpdatedAt, reports,
            decision is null ? null : new DecisionView(decision.Kind, decision.DecidedBy, decision.DecidedAt, decision.Reason, decision.Enrolled, decision.Skipped),
            DecisionPending: claimed && b.Status == BatchStatus.AwaitingApproval,
            ApprovalCost: b.Status is BatchStatus.Validating ? null
                : new ApprovalCost(b.Counts.Valid, campaign.MonthsFunded, campaign.CostPerWorker, campaign.CostOf(b.Counts.Valid)));
    }
}
