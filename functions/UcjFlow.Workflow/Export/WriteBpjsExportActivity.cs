using UcjFlow.Workflow.Campaigns;
using System.Runtime.CompilerServices;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Export;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Workflow.Export;

/// <summary>
/// Writes the BPJS registration export of an approved batch, the rows it actually enrolled, as
/// <c>exports/{regency}/{batchId}.xlsx</c> and <c>.csv</c> (regency code without dots). Idempotent: the same rows
/// rewrite the same blobs, each atomically.
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
        await blobs.WriteAsync(BlobContainers.Exports, XlsxBlob(campaign, batchId),
            (stream, ct) => BpjsExport.WriteXlsxAsync(stream, Counted(registry.ReadEnrolledRowsAsync(batchId, ct), n => rows = n), export, ct));
        await blobs.WriteAsync(BlobContainers.Exports, CsvBlob(campaign, batchId),
            (stream, ct) => BpjsExport.WriteCsvAsync(stream, registry.ReadEnrolledRowsAsync(batchId, ct), export, ct));
        return new ExportOutput(batchId, rows, [XlsxBlob(campaign, batchId), CsvBlob(campaign, batchId)]);
    }

    static async IAsyncEnumerable<Enrollee> Counted(IAsyncEnumerable<Enrollee> rows, Action<int> total, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var n = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            n++;
            yield return row;
        }
        total(n);
    }
}
