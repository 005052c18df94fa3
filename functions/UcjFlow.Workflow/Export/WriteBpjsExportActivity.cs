using UcjFlow.Workflow.Campaigns;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Export;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Workflow.Export;

/// <summary>
/// Writes the BPJS registration export of an approved batch, the rows it actually enrolled, as
/// <c>exports/{regency}/{batchId}.xlsx</c> and <c>.csv</c> (regency code without dots), both from one read of the
/// batch's rows (<see cref="BpjsExport.WriteXlsxAndCsvAsync"/>). Idempotent: the same rows rewrite the same blobs, each
/// atomically; the csv is published after the xlsx, which is closed and stored while the csv is still open.
/// </summary>
public sealed class WriteBpjsExportActivity(CampaignStore campaigns, IEnrollmentRegistry registry, IBlobStore blobs)
    : TaskActivity<string, ExportOutput>
{
    public const string Name = "WriteBpjsExport";

    public static string XlsxBlob(Campaign campaign, string batchId) => $"{Regency(campaign)}/{batchId}.xlsx";
    public static string CsvBlob(Campaign campaign, string batchId) => $"{Regency(campaign)}/{batchId}.csv";

    static string Regency(Campaign campaign) => campaign.RegencyCode.Replace(".", "", StringComparison.Ordinal);

    public override async Task<ExportOutput> RunAsync(TaskActivityContext context, string batchId)
    {
        var campaign = await campaigns.OfBatchAsync(registry, batchId);
        var export = BpjsExportContext.For(campaign);
        var rows = 0;
        // The csv's write encloses the xlsx's: one pass over the rows feeds both open files, and the xlsx is stored
        // (when its inner write returns) before the csv.
        await blobs.WriteAsync(BlobContainers.Exports, CsvBlob(campaign, batchId), (csv, ct) =>
            blobs.WriteAsync(BlobContainers.Exports, XlsxBlob(campaign, batchId), async (xlsx, ct2) =>
                rows = await BpjsExport.WriteXlsxAndCsvAsync(xlsx, csv, registry.ReadEnrolledRowsAsync(batchId, ct2), export, ct2), ct));
        return new ExportOutput(batchId, rows, [XlsxBlob(campaign, batchId), CsvBlob(campaign, batchId)]);
    }
}
