using Microsoft.AspNetCore.Http;
using UcjFlow.App.Api;
using UcjFlow.App.Security;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Campaigns;

namespace UcjFlow.App.Web;

/// <summary>
/// The reports container as the links in emails name it (<see cref="UcjFlow.Workflow.WorkflowLinks"/>):
/// /reports/coverage/{regency}/latest.* is public (regency figures, no personal data, sent to the leadership);
/// /reports/batches/{id}/* needs the village's or a coordinator's token, or the batch's approval link token. A browser
/// arriving without one is sent to the batch page, which asks for a token.
/// </summary>
public sealed class ReportFiles(Access access, IEnrollmentRegistry registry, IBlobStore blobs, CampaignStore campaigns)
{
    /// <summary>
    /// GET reports/coverage/{regency}/{file} (regency code without dots, "1503"): latest.json, latest.html, latest.csv or
    /// latest.svg (the ranked kecamatan); 404 until first published.
    /// </summary>
    public Task<IResult> CoverageAsync(string regency, string file, CancellationToken ct)
    {
        var code = regency.Length == 4 && regency.All(char.IsAsciiDigit) ? $"{regency[..2]}.{regency[2..]}" : null;
        var name = code is null ? null : file switch
        {
            "latest.json" => CoverageBlobs.Json(code),
            "latest.html" => CoverageBlobs.Html(code),
            "latest.csv" => CoverageBlobs.Csv(code),
            "latest.svg" => CoverageBlobs.Svg(code),
            _ => null,
        };
        var notPublished = ApiErrors.Json(404, "Ringkasan cakupan belum diterbitkan.", "not_found");
        return name is null ? Task.FromResult(notPublished) : StreamAsync(blobs, name, notPublished, null, ct);
    }

    /// <summary>
    /// GET reports/coverage/{file}: the address mails of the single-campaign version link to. With one regency in the
    /// catalog, a redirect (302) to <c>reports/coverage/{regency}/{file}</c>; with several, 404 naming each regency's address
    /// (which one an old link meant is not known); an unknown file name is 404.
    /// </summary>
    public async Task<IResult> CoverageBeforeRegenciesAsync(string file, CancellationToken ct)
    {
        if (file is not ("latest.json" or "latest.html" or "latest.csv" or "latest.svg"))
            return ApiErrors.Json(404, "Berkas tidak ada.", "not_found");
        var addresses = (await campaigns.CurrentAsync(ct)).RegencyCodes.Select(r => $"/reports/{CoverageBlobs.Folder(r)}/{file}").ToList();
        return addresses.Count == 1
            ? Results.Redirect(addresses[0])
            : ApiErrors.Json(404, $"Ringkasan cakupan kini diterbitkan per kabupaten: {string.Join(", ", addresses)}.", "not_found");
    }

    /// <summary>GET reports/batches/{batchId}/{file}: report.html|json|csv or summary.json of one batch.</summary>
    public async Task<IResult> BatchAsync(HttpRequest request, string batchId, string file, CancellationToken ct)
    {
        if (file is not ("report.html" or "report.json" or "report.csv" or "summary.json"))
            return ApiErrors.Json(404, "Berkas tidak ada.", "not_found");
        var who = await access.IdentifyAsync(request, batchId, ct);
        var caller = who.Caller;
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (caller is null || batch is null || !caller.MayReadBatch(batchId, batch.VillageCode))
        {
            if (request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
                return Results.Redirect($"/batches/{Uri.EscapeDataString(batchId)}");
            return caller is null ? who.Refusal : ApiErrors.Forbidden();
        }
        return await StreamAsync(blobs, $"{BatchBlobs.Folder(batchId)}/{file}", ApiErrors.Json(404, "Laporan belum tersedia.", "not_found"), null, ct);
    }

    /// <summary>A blob of the reports container as the answer, or <paramref name="notFound"/> when it is not (or no longer) there.</summary>
    internal static async Task<IResult> StreamAsync(IBlobStore blobs, string name, IResult notFound, string? downloadName, CancellationToken ct)
    {
        try
        {
            return Results.Stream(await blobs.OpenReadAsync(BlobContainers.Reports, name, ct), ContentType(name), downloadName);
        }
        catch (BlobNotFoundException)
        {
            return notFound;
        }
    }

    static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".csv" => "text/csv; charset=utf-8",
        ".svg" => "image/svg+xml; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };
}
