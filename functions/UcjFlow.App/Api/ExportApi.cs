using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using UcjFlow.App.Security;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Export;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Export;

namespace UcjFlow.App.Api;

/// <summary>
/// Downloads of the BPJS registration export (whole NIKs: coordinators only), per batch as written by
/// <see cref="WriteBpjsExportActivity"/>, and consolidated over the approval dates (Asia/Jakarta) from those per-batch exports.
/// </summary>
public sealed class ExportApi(Access access, CampaignScope scope, IEnrollmentRegistry registry, IBlobStore blobs)
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvType = "text/csv; charset=utf-8";

    /// <summary>Longest range one consolidated download covers.</summary>
    public const int MaxRangeDays = 366;

    /// <summary>
    /// GET api/batches/{batchId}/export.{xlsx|csv}: the batch's BPJS export as a download (bpjs-{batchId}.xlsx). 401/403 for
    /// anyone but a coordinator; 404 unknown batch or format; 409 export_unavailable when the batch is not Approved; 404
    /// export_not_ready while its export is still being written.
    /// </summary>
    public async Task<IResult> BatchAsync(HttpRequest request, string batchId, string format, CancellationToken ct)
    {
        var who = await access.CoordinatorAsync(request, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        if (format is not ("xlsx" or "csv")) return ApiErrors.Json(404, "Format ekspor tidak dikenal (xlsx atau csv).", "export_not_found");
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return ApiErrors.BatchNotFound(batchId);
        if (!caller.CoordinatesVillage(batch.VillageCode)) return ApiErrors.Forbidden();
        if (batch.Status != BatchStatus.Approved)
            return ApiErrors.Json(409, "Ekspor BPJS hanya ada untuk batch yang disetujui.", "export_unavailable");
        try
        {
            if (await scope.OfBatchAsync(batch, ct) is not { } campaign) return ApiErrors.BatchNotFound(batchId);
            var stream = await blobs.OpenReadAsync(BlobContainers.Exports, Blob(campaign, batchId, format), ct);
            return Results.Stream(stream, format == "xlsx" ? XlsxType : CsvType, $"bpjs-{batchId}.{format}");
        }
        catch (BlobNotFoundException)
        {
            return NotReady([batch]);
        }
    }

    /// <summary>
    /// GET api/exports/bpjs.{xlsx|csv}?from=YYYY-MM-DD&amp;to=YYYY-MM-DD: one file of every batch approved (and still Approved)
    /// on those Jakarta dates (inclusive, at most <see cref="MaxRangeDays"/> days), oldest approval first, built from the
    /// per-batch exports (<see cref="BpjsExport.WriteConsolidatedXlsxAsync"/>). Coordinators only; 400 bad_range; 404
    /// nothing_approved when no batch was approved then; 404 export_not_ready naming the villages whose export is still being written.
    /// </summary>
    public async Task<IResult> ConsolidatedAsync(HttpRequest request, string format, CancellationToken ct)
    {
        var who = await access.CoordinatorAsync(request, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (campaign, noCampaign) = await scope.ForAsync(request, caller, ct);
        if (campaign is null) return noCampaign;
        if (format is not ("xlsx" or "csv")) return ApiErrors.Json(404, "Format ekspor tidak dikenal (xlsx atau csv).", "export_not_found");
        if (!TryDate(request.Query["from"], out var from) || !TryDate(request.Query["to"], out var to) || to < from || to.DayNumber - from.DayNumber >= MaxRangeDays)
            return ApiErrors.Json(400, $"Isi tanggal persetujuan from dan to (YYYY-MM-DD, from ≤ to, paling lama {MaxRangeDays} hari).", "bad_range");

        // A coordinator scoped to one kecamatan gets its villages' batches only (the file holds whole NIKs).
        var approved = (await registry.ListBatchesAsync(campaign.Id, BatchStatus.Approved, ct: ct))
            .Where(b => caller.CoordinatesVillage(b.VillageCode)).ToDictionary(b => b.BatchId, StringComparer.Ordinal);
        var batches = (await registry.ListDecisionsAsync(campaign.Id, ct))
            .Where(d => d.Kind == DecisionKind.Approve && approved.ContainsKey(d.BatchId))
            .Where(d => IndonesianFormat.JakartaDate(d.DecidedAt) is var day && day >= from && day <= to)
            .OrderBy(d => d.DecidedAt).ThenBy(d => d.BatchId, StringComparer.Ordinal)
            .Select(d => approved[d.BatchId]).ToList();
        if (batches.Count == 0)
            return ApiErrors.Json(404, $"Tidak ada batch yang disetujui pada {IndonesianFormat.Date(from)} sampai {IndonesianFormat.Date(to)}.", "nothing_approved");
        var missing = new List<Batch>();
        foreach (var b in batches)
            if (!await blobs.ExistsAsync(BlobContainers.Exports, Blob(campaign, b.BatchId, format), ct)) missing.Add(b);
        if (missing.Count > 0) return NotReady(missing);

        var name = $"bpjs-{campaign.RegencyCode.Replace(".", "", StringComparison.Ordinal)}-{from:yyyyMMdd}-{to:yyyyMMdd}.{format}";
        return Results.Stream(output => format == "xlsx"
                ? BpjsExport.WriteConsolidatedXlsxAsync(output, Open(campaign, batches, format, ct), ct)
                : BpjsExport.WriteConsolidatedCsvAsync(output, Open(campaign, batches, format, ct), ct),
            format == "xlsx" ? XlsxType : CsvType, name);
    }

    static string Blob(Campaign campaign, string batchId, string format) =>
        format == "xlsx" ? WriteBpjsExportActivity.XlsxBlob(campaign, batchId) : WriteBpjsExportActivity.CsvBlob(campaign, batchId);

    async IAsyncEnumerable<Stream> Open(Campaign campaign, IReadOnlyList<Batch> batches, string format, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var b in batches) yield return await blobs.OpenReadAsync(BlobContainers.Exports, Blob(campaign, b.BatchId, format), ct);
    }

    static IResult NotReady(IReadOnlyList<Batch> batches) => ApiErrors.Json(404,
        $"Ekspor BPJS belum selesai dibuat untuk {string.Join(", ", batches.Select(b => b.VillageName ?? b.VillageCode))}. Coba lagi sebentar.",
        "export_not_ready");

    static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
