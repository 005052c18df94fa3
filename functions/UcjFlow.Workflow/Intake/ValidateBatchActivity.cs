using UcjFlow.Workflow.Campaigns;
using System.Text;
using Microsoft.Extensions.Logging;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Workflow.Intake;

/// <summary>
/// Reads and validates the uploaded file against the campaign and the registry (ALREADY_ENROLLED,
/// DUPLICATE_IN_CAMPAIGN through the registry's conflict look-up), writes the report (JSON, HTML, CSV) and the
/// aggregate of the valid rows to <c>reports/batches/{batchId}/</c>, then ends validation in the registry, which
/// stages the valid rows and settles supersedes. Idempotent: once the batch has left Validating, a repeated run
/// only reads back the registry's completion.
/// </summary>
public sealed class ValidateBatchActivity(
    CampaignStore campaigns, IEnrollmentRegistry registry, IBlobStore blobs, ILoggerFactory loggers)
    : TaskActivity<string, ValidationResult>
{
    public const string Name = "ValidateBatch";

    readonly ILogger _log = loggers.CreateLogger<ValidateBatchActivity>();

    public override async Task<ValidationResult> RunAsync(TaskActivityContext context, string batchId)
    {
        var batch = await registry.GetBatchAsync(batchId) ?? throw new InvalidOperationException($"Unknown batch {batchId}.");
        if (batch.Status != BatchStatus.Validating)
        {
            // A repeated run (the first one's result was lost): the registry hands back the same completion.
            var stored = new ValidationOutcome(
                batch.Status is BatchStatus.Unreadable or BatchStatus.Rejected ? batch.Status : BatchStatus.AwaitingApproval,
                batch.Counts, batch.ReportBlob, batch.FileCode);
            return ToResult(await registry.CompleteValidationAsync(batchId, stored, Empty()));
        }

        var campaign = await campaigns.GetAsync(batch.CampaignId);
        var catalog = await campaigns.CurrentAsync();
        var settings = new ValidationSettings
        {
            VillageCode = batch.VillageCode,
            RegencyCode = campaign.RegencyCode,
            CoverageStart = campaign.CoverageStart,
            MinAge = campaign.MinAge,
            MaxAge = campaign.MaxAge,
            Segments = campaign.Segments,
            Reference = await ReadReferenceAsync(campaign),
            ConflictLookup = async (niks, ct) => Named(await registry.FindConflictsAsync(campaign.Id, batch.VillageCode, niks, campaign.CoverageStart, campaign.CoverageEnd, ct), catalog),
        };

        var valid = new List<Enrollee>();
        var aggregate = new BatchAggregator(campaign);
        RosterReport report;
        await using (var content = await blobs.OpenReadAsync(BlobContainers.Uploads, batch.UploadBlob))
        {
            report = await RosterValidator.ValidateAsync(content, batch.FileName, settings, row =>
            {
                valid.Add(row);
                aggregate.Add(row);
                return ValueTask.CompletedTask;
            });
        }

        // The report's three forms and the aggregate are independent blobs: written at once, each flushed to disk, so one
        // validation waits for one flush instead of four in a row.
        var writes = new List<Task>
        {
            WriteAsync(BatchBlobs.ReportJson(batchId), Encoding.UTF8.GetBytes(RosterReportJson.Serialize(report))),
            WriteAsync(BatchBlobs.ReportHtml(batchId), Encoding.UTF8.GetBytes(RosterReportHtml.Render(report))),
            WriteAsync(BatchBlobs.ReportCsv(batchId), RosterReportCsv.RenderBytes(report)),
        };

        ValidationOutcome outcome;
        if (report.Status == RosterStatus.Unreadable)
        {
            valid.Clear(); // rows read before the file broke off do not count
            outcome = new ValidationOutcome(BatchStatus.Unreadable, BatchCounts.Zero, BatchBlobs.ReportJson(batchId), report.FileCode);
        }
        else
        {
            writes.Add(WriteAsync(BatchBlobs.Summary(batchId), aggregate.Build(batchId, batch.VillageCode).ToJsonBytes()));
            outcome = new ValidationOutcome(
                report.Valid > 0 ? BatchStatus.AwaitingApproval : BatchStatus.Rejected,
                new BatchCounts(report.Rows, report.Valid, report.Rejected, report.ValidWithWarnings),
                BatchBlobs.ReportJson(batchId));
        }
        await Task.WhenAll(writes);

        var completion = await registry.CompleteValidationAsync(batchId, outcome, valid.ToAsyncEnumerable());
        _log.LogInformation("Batch {BatchId} of village {Village} validated: {Status}, {Valid} valid of {Rows} rows",
            batchId, batch.VillageCode, completion.Batch.Status, outcome.Counts.Valid, outcome.Counts.Rows);
        return ToResult(completion);
    }

    // A DTKS/P3KE list can hold hundreds of thousands of NIKs: read it once per file version, not once per batch.
    static readonly Lock ReferenceGate = new();
    static (string Path, DateTime Written, Task<ReferenceList> List)? s_reference;

    static async Task<IReadOnlySet<string>?> ReadReferenceAsync(Campaign campaign)
    {
        if (campaign.ReferenceListPath is not { } path) return null;
        var written = File.GetLastWriteTimeUtc(path);
        Task<ReferenceList> list;
        lock (ReferenceGate)
        {
            if (s_reference is not { } cached || cached.Path != path || cached.Written != written || cached.List.IsFaulted)
                s_reference = (path, written, ReadAsync(path));
            list = s_reference.Value.List;
        }
        return (await list).Niks;

        static async Task<ReferenceList> ReadAsync(string path)
        {
            await using var file = File.OpenRead(path);
            return await ReferenceList.ReadAsync(file, Path.GetFileName(path));
        }
    }

    Task WriteAsync(string name, byte[] bytes) => blobs.WriteAsync(BlobContainers.Reports, name, new MemoryStream(bytes, writable: false));

    /// <summary>The conflicts with the campaign's name the village reads ("ALREADY_ENROLLED … dalam kegiatan Sarolangun 2024 P-APBD").</summary>
    static IReadOnlyList<NikConflict> Named(IReadOnlyList<NikConflict> conflicts, CampaignCatalog catalog) =>
        conflicts.Select(c => c.CampaignId is { } id && catalog.Find(id) is { } named ? c with { CampaignName = named.Name } : c).ToList();

    static ValidationResult ToResult(ValidationCompletion c) => new(
        c.Batch.BatchId, c.Batch.Status, c.Batch.Counts.Rows, c.Batch.Counts.Valid, c.Batch.Counts.Rejected,
        c.Batch.FileCode, c.Batch.SupersededBy, c.SupersededBatchIds);

    static async IAsyncEnumerable<Enrollee> Empty()
    {
        await Task.CompletedTask;
        yield break;
    }
}
