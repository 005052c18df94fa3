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
using UcjFlow.Core.Roster.Values;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.App.Api;

/// <summary>
/// Batches: the list, one batch, its validation reports, and the coordinators' decision (decided once: the registry's
/// claim, <see cref="IEnrollmentRegistry.ClaimDecisionAsync"/>, lets exactly one of racing decisions through).
/// </summary>
public sealed class BatchApi(Access access, CampaignScope scope, IEnrollmentRegistry registry, IBlobStore blobs, Notifier mail, TimeProvider time, ILogger<BatchApi> logger)
{

    /// <summary>
    /// GET api/batches?status=&amp;village=&amp;q=&amp;sort=&amp;dir=&amp;page=&amp;size=: one page of the campaign's batches
    /// (<see cref="BatchQuery"/>: search by village or kecamatan name or code, sort, page; default newest first, 50 a page)
    /// with the total matching; a village PIC sees its own village only. 400 (bad_status, bad_village, bad_query) for a bad parameter.
    /// </summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (campaign, noCampaign) = await scope.ForAsync(request, caller, ct);
        if (campaign is null) return noCampaign;
        var (query, queryError) = BatchQuery.From(request);
        if (query is null) return ApiErrors.Json(400, queryError!.Error, queryError.Code);
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
        var catalog = await scope.CatalogAsync(ct);
        var (page, total) = query.Apply(batches, b => b, BatchQuery.VillagesByCode(campaign));
        var decisions = (await registry.ListDecisionsAsync(campaign.Id, ct)).ToDictionary(d => d.BatchId, StringComparer.Ordinal);
        var pending = (await registry.ListPendingDecisionClaimsAsync(campaign.Id, ct)).Select(c => c.BatchId).ToHashSet(StringComparer.Ordinal);
        var views = page.Select(b => View(catalog, b, decisions.GetValueOrDefault(b.BatchId), pending.Contains(b.BatchId))).ToList();
        // Undelivered mail is for the deployment's coordinators to fix (a setting, an address): the queue holds every
        // regency's PIC addresses and phones, so a coordinator scoped to a regency or a kecamatan sees none of it.
        var problems = caller is { IsCoordinator: true, RegencyCode: null, DistrictCode: null }
            ? (await mail.ListAsync(ct)).Select(ProblemView).ToList()
            : [];
        return Results.Json(new BatchList(views, problems, total, query.Page, query.Size), ApiJsonContext.Default.BatchList);
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
        return Results.Json(View(await scope.CatalogAsync(ct), batch, decision, await registry.GetDecisionClaimAsync(batchId, ct) is not null), ApiJsonContext.Default.BatchView);
    }

    /// <summary>Problems listed on the batch page; the full report has them all.</summary>
    public const int MaxProblemsShown = 200;

    /// <summary>
    /// GET api/batches/{batchId}/result: what the village was told when validation ended (<see cref="BatchResultView"/>),
    /// for whoever may read the batch.
    /// </summary>
    public async Task<IResult> ResultAsync(HttpRequest request, string batchId, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, batchId, ct);
        if (who.Caller is not { } caller) return who.Refusal;
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
        return Results.Json(new BatchResultView(batch.BatchId, batch.Status, batch.Counts, problems, count, VillageAnswer.Notes(report), report?.FileMessage),
            ApiJsonContext.Default.BatchResultView);
    }

    /// <summary>
    /// GET api/batches/{batchId}/people?page=&amp;size=: one page (from 1; size 1–<see cref="BatchQuery.MaxSize"/>, default
    /// <see cref="BatchQuery.DefaultSize"/>) of the people the batch would enrol — its staged valid rows in row order — with
    /// NIK masked (<see cref="NikMask"/>), segment name, sex and age in years on the campaign's coverage start (<see cref="Ages"/>).
    /// Same access as the batch; 400 bad_query for a bad page or size. The rows are streamed and only the page is kept.
    /// </summary>
    public async Task<IResult> PeopleAsync(HttpRequest request, string batchId, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, batchId, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return caller.IsCoordinator ? ApiErrors.BatchNotFound(batchId) : ApiErrors.Forbidden();
        if (!caller.MayReadBatch(batchId, batch.VillageCode)) return ApiErrors.Forbidden();
        var (query, error) = BatchQuery.From(request);
        if (query is null) return ApiErrors.Json(400, error!.Error, error.Code);

        if (await scope.OfBatchAsync(batch, ct) is not { } campaign) return ApiErrors.BatchNotFound(batchId);
        var segments = campaign.Segments.ToDictionary(s => s.Code, s => s.Name, StringComparer.Ordinal);
        var skip = (long)(query.Page - 1) * query.Size;
        var people = new List<BatchPersonView>(Math.Min(query.Size, batch.Counts.Valid));
        long seen = 0;
        await foreach (var row in registry.ReadStagedRowsAsync(batchId, ct))
        {
            if (seen++ < skip) continue;
            people.Add(new BatchPersonView(row.Row, NikMask.Mask(row.Nik), row.Name, row.SegmentCode,
                segments.GetValueOrDefault(row.SegmentCode, row.SegmentCode), row.Sex, Ages.On(row.BirthDate, campaign.CoverageStart)));
            if (people.Count == query.Size) break;
        }
        return Results.Json(new BatchPeoplePage(batchId, batch.Counts.Valid, query.Page, query.Size, people), ApiJsonContext.Default.BatchPeoplePage);
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

        var decided = await DecideOnceAsync(caller, batchId, approve, reason, client, ct);
        if (decided.Refused is { } refused) return ApiErrors.Json(refused.Status, refused.Error.Error, refused.Error.Code);
        return Results.Json(new DecisionAccepted(batchId, decided.DecisionId!, $"/api/batches/{batchId}"), ApiJsonContext.Default.DecisionAccepted,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// POST api/decisions <c>{"batchIds": [...], "approve": true}</c> (coordinators; at most <see cref="MaxBulkDecisions"/> ids)
    /// → 202 <see cref="BulkDecisionResult"/>: one outcome per distinct id, in the order given. Each batch goes through the same
    /// decide-once claim and decision event as <see cref="DecideAsync"/>; a batch decided, claimed, expired, not clean
    /// (<see cref="IsClean"/>) or unknown is reported with its code and does not stop the others. 400 for a malformed body
    /// or a rejection (bulk is for approving clean batches; a rejection needs its own reason).
    /// </summary>
    public async Task<IResult> DecideManyAsync(HttpRequest request, DurableTaskClient client, CancellationToken ct)
    {
        var who = await access.CoordinatorAsync(request, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        BulkDecisionRequest? body;
        try { body = await request.ReadFromJsonAsync(ApiJsonContext.Default.BulkDecisionRequest, ct); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            body = null;
        }
        if (body is not { BatchIds: { Count: > 0 } ids, Approve: true } || ids.Any(string.IsNullOrWhiteSpace))
            return ApiErrors.Json(400, "Kirim JSON {\"batchIds\": [\"...\"], \"approve\": true}. Penolakan dilakukan satu per satu dengan alasannya.", "bad_bulk_decision");
        var distinct = ids.Select(i => i.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > MaxBulkDecisions)
            return ApiErrors.Json(400, $"Paling banyak {MaxBulkDecisions} batch sekaligus.", "too_many_batches");

        var outcomes = new List<BulkDecisionOutcome>(distinct.Count);
        foreach (var batchId in distinct)
        {
            var decided = await DecideOnceAsync(caller, batchId, approve: true, reason: null, client, ct, requireClean: true);
            outcomes.Add(decided.Refused is { } refused
                ? new(batchId, refused.Error.Code, refused.Error.Error, null)
                : new(batchId, "decided", "Persetujuan dikirim.", decided.DecisionId));
        }
        return Results.Json(new BulkDecisionResult(outcomes), ApiJsonContext.Default.BulkDecisionResult, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Most batch ids one bulk decision takes: every village of a large regency.</summary>
    public const int MaxBulkDecisions = 500;

    /// <summary>
    /// A batch bulk approval may take: every row valid and none with a warning (a warning, such as a village name that does
    /// not match, is for a coordinator to read on the batch page first).
    /// </summary>
    public static bool IsClean(BatchCounts counts) => counts is { Rejected: 0, ValidWithWarnings: 0, Valid: > 0 };

    /// <summary>What <see cref="DecideOnceAsync"/> did: the decision id of the claim taken, or why none was (status and error).</summary>
    readonly record struct DecideOnce(string? DecisionId, (int Status, ApiError Error)? Refused);

    /// <summary>
    /// The one decision path: checks the batch can be decided, takes the decide-once claim, raises the decision event on
    /// <paramref name="client"/> (left to <see cref="WorkflowUpkeep"/> when delivery fails) and logs it (batch id only).
    /// </summary>
    async Task<DecideOnce> DecideOnceAsync(Caller caller, string batchId, bool approve, string? reason, DurableTaskClient client, CancellationToken ct,
        bool requireClean = false)
    {
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return new(null, (404, new ApiError($"Batch {batchId} tidak ditemukan.", "batch_not_found")));
        // Scope first: a caller outside it learns nothing of the batch's state.
        if (!caller.MayDecide(batchId, batch.VillageCode)) return new(null, (403, new ApiError("Token ini tidak berhak memutuskan batch ini.", "forbidden")));
        if (await NotDecidableAsync(batch, ct) is { } refused) return new(null, (409, refused));
        if (requireClean && !IsClean(batch.Counts))
            return new(null, (409, new ApiError("Batch ini memiliki baris ditolak atau peringatan: periksa dan putuskan di halaman batch.", "not_clean")));

        var claim = new DecisionClaim(batchId, Guid.NewGuid().ToString("N"), approve, reason, caller.Name, time.GetUtcNow());
        // From here on the decision is taken: a client that hangs up does not cancel it, and a failure to deliver it keeps
        // the claim (never released: the event may have been stored) for WorkflowUpkeep to deliver.
        if (!await registry.ClaimDecisionAsync(claim, CancellationToken.None))
        {
            // Another decision, or the expiry, got there between the check above and the claim: say which.
            var now = await registry.GetBatchAsync(batchId, CancellationToken.None) ?? batch;
            return new(null, (409, await NotDecidableAsync(now, CancellationToken.None) ?? AlreadyDecided));
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
        return new(claim.DecisionId, null);
    }

    static readonly ApiError AlreadyDecided = new("Batch ini sudah diputuskan.", "already_decided");

    /// <summary>Why a batch cannot be decided (the body of a 409: decided, expired, or not awaiting approval); null when it can.</summary>
    async Task<ApiError?> NotDecidableAsync(Batch batch, CancellationToken ct)
    {
        if (batch.Status is BatchStatus.Approved or BatchStatus.Rejected && await registry.GetDecisionAsync(batch.BatchId, ct) is not null)
            return AlreadyDecided;
        if (batch.Status == BatchStatus.Expired)
            return new ApiError(
                "Batch ini sudah kedaluwarsa: tidak diputuskan sebelum batas waktu persetujuan berakhir, sehingga tidak dapat lagi disetujui atau ditolak. Desa/kelurahan dapat mengunggah berkas baru.",
                "expired");
        if (batch.Status != BatchStatus.AwaitingApproval)
            return new ApiError($"Batch ini tidak menunggu persetujuan (status {batch.Status}).", "not_awaiting_approval");
        return null;
    }

    /// <summary>Where the Intake orchestration writes a batch's reports: the folder of its report blob, else reports/batches/{id}.</summary>
    static string ReportFolder(Batch batch) =>
        batch.ReportBlob is { } blob && blob.LastIndexOf('/') is > 0 and var slash ? blob[..slash] : BatchBlobs.Folder(batch.BatchId);

    static MailProblemView ProblemView(PendingMessage m) => new(m.Pending.Mail.Key, m.Pending.Mail.Subject, [.. m.Pending.Mail.To, .. m.Pending.Mail.Cc],
        m.Pending.Failure.Indonesian, m.Pending.Attempts, m.Pending.FirstFailedAt, m.Pending.NextAttemptAt, m.IsText ? "text" : "email");

    static BatchView View(CampaignCatalog catalog, Batch b, DecisionRecord? decision, bool claimed)
    {
        var campaign = catalog.Find(b.CampaignId);
        var reports = b.Status is BatchStatus.Validating ? null : new ReportLinks(
            $"/api/batches/{b.BatchId}/report.html", $"/api/batches/{b.BatchId}/report.json", $"/api/batches/{b.BatchId}/report.csv");
        return new BatchView(b.BatchId, b.VillageCode, b.VillageName, b.DistrictCode, b.FileName, b.Status, b.Counts, b.FileCode, b.SupersededBy,
            b.CreatedAt, b.UpdatedAt, reports,
            decision is null ? null : new DecisionView(decision.Kind, decision.DecidedBy, decision.DecidedAt, decision.Reason, decision.Enrolled, decision.Skipped),
            DecisionPending: claimed && b.Status == BatchStatus.AwaitingApproval,
            ApprovalCost: b.Status is BatchStatus.Validating || campaign is null ? null
                : new ApprovalCost(b.Counts.Valid, campaign.MonthsFunded, campaign.CostPerWorker, campaign.CostOf(b.Counts.Valid)),
            DistrictName: campaign?.Village(b.VillageCode)?.DistrictName, Clean: IsClean(b.Counts));
    }
}
