using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using UcjFlow.App.Security;
using UcjFlow.App.Settings;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.App.Api;

/// <summary>
/// POST api/uploads/{villageCode}: a roster as multipart field <c>file</c>, or as the raw body with header
/// <c>X-File-Name</c> → 202 <c>{"batchId","statusUrl","duplicate"}</c>; the same bytes again → the same batch. Bodies over
/// <see cref="UcjFlowSettings.MaxUploadBytes"/> are refused with 413 as soon as the limit is passed.
/// </summary>
public sealed class UploadApi(Access access, CampaignScope scope, IEnrollmentRegistry registry, IBlobStore blobs, IntakeStarter starter, UcjFlowSettings settings)
{
    /// <summary>Stores the upload and starts its intake on <paramref name="client"/> (the host's durable client).</summary>
    public async Task<IResult> UploadAsync(HttpRequest request, string villageCode, DurableTaskClient client, CancellationToken ct)
    {
        var who = await access.IdentifyAsync(request, ct: ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (code, catalog, refusal) = await scope.VillageAsync(villageCode, caller, ct);
        if (code is null) return refusal;
        Campaign campaign;
        try
        {
            campaign = catalog.ForUpload(code, request.Query["campaign"].ToString().Trim() is { Length: > 0 } named ? named : null);
        }
        catch (CampaignChoiceException e)
        {
            return e.Problem is CampaignChoiceProblem.SeveralOpen or CampaignChoiceProblem.Closed
                ? ApiErrors.Json(409, e.Message, e.Problem == CampaignChoiceProblem.Closed ? "campaign_closed" : "campaign_ambiguous")
                : ApiErrors.Json(404, e.Message, "campaign_not_found");
        }
        var village = campaign.Village(code)!;

        var (fileName, content, problem) = await ReadFileAsync(request, settings.MaxUploadBytes, ct);
        if (problem is not null) return problem;

        UploadPath path;
        try { path = UploadPath.For(village.Code, fileName!); }
        catch (ArgumentException)
        {
            return ApiErrors.Json(400, $"Nama berkas '{fileName}' tidak dapat dipakai. Gunakan nama biasa seperti daftar-pekerja.xlsx.", "bad_file_name");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(content!));
        var existing = await registry.FindBatchByContentHashAsync(campaign.Id, village.Code, hash, ct);
        IntakeStart? start;
        if (existing is not null && UploadPath.TryParse(existing.UploadBlob, out var earlier))
        {
            // Same bytes again: no new blob and no new batch (the starter only makes sure its intake runs).
            start = await starter.StartAsync(client, earlier, ct, campaign.Id) ?? new IntakeStart(existing.BatchId, false, existing.Status);
        }
        else
        {
            // The stored name starts with the content hash, so a corrected file with the same name never replaces the first.
            var stored = UploadPath.For(village.Code, $"{hash[..12]}_{path.FileName}", campaign.Id);
            await blobs.WriteAsync(BlobContainers.Uploads, stored.BlobName, new MemoryStream(content!, writable: false), ct);
            start = await starter.StartAsync(client, stored, ct)
                ?? throw new InvalidOperationException($"Upload blob {stored.BlobName} vanished right after it was written.");
        }
        var statusUrl = $"/api/batches/{start.BatchId}";
        // "duplicate" means these bytes were here before this request: on Azure the blob trigger may register a new
        // upload's batch before this call does, so the starter's NewBatch cannot tell.
        return Results.Json(new UploadAccepted(start.BatchId, statusUrl, existing is not null), ApiJsonContext.Default.UploadAccepted,
            statusCode: StatusCodes.Status202Accepted);
    }

    static async Task<(string? FileName, byte[]? Content, IResult? Problem)> ReadFileAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        var tooLarge = ApiErrors.Json(413, $"Berkas terlalu besar: paling besar {limit / (1024 * 1024)} MB.", "too_large");
        var empty = ApiErrors.Json(400, "Berkas kosong. Pilih berkas daftar pekerja (xlsx, xls atau csv) lalu unggah lagi.", "empty_file");
        if (request.ContentLength > limit + 1024 * 1024) return (null, null, tooLarge);

        // Only multipart is a form here: curl --data-binary sends raw bytes as application/x-www-form-urlencoded.
        if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.GetFile("file");
            if (file is null) return (null, null, ApiErrors.Json(400, "Tidak ada berkas pada kolom 'file'.", "no_file"));
            if (file.Length == 0) return (null, null, empty);
            if (file.Length > limit) return (null, null, tooLarge);
            var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            return (file.FileName, buffer.ToArray(), null);
        }

        var name = request.Headers["X-File-Name"].ToString();
        if (string.IsNullOrWhiteSpace(name))
            return (null, null, ApiErrors.Json(400, "Nama berkas tidak ada: kirim sebagai multipart 'file' atau dengan header X-File-Name.", "no_file_name"));
        var body = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (body.Length + read > limit) return (null, null, tooLarge);
            body.Write(chunk, 0, read);
        }
        if (body.Length == 0) return (null, null, empty);
        return (Uri.UnescapeDataString(name.Trim()), body.ToArray(), null);
    }
}
