using Microsoft.Extensions.Logging;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Core.Security;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Shared;

namespace UcjFlow.Workflow.Intake;

/// <summary>
/// Writes and sends one mail about a batch, reading what it says from the registry and the report blob (the
/// orchestration passes only ids). The idempotency key <see cref="BatchMail.Key"/> keeps a repeated run from sending
/// twice. Returns false when there was nobody to send to (a village without a PIC address).
/// </summary>
public sealed class BatchMailActivity(
    Campaign campaign, IEnrollmentRegistry registry, IBlobStore blobs, IMailer mailer,
    ApprovalLinkSigner signer, WorkflowOptions options, TimeProvider time, ILoggerFactory loggers)
    : TaskActivity<BatchMail, bool>
{
    public const string Name = "SendBatchMail";

    readonly CampaignMail _mail = new(campaign, options);
    readonly WorkflowLinks _links = options.Links;

    public override async Task<bool> RunAsync(TaskActivityContext context, BatchMail m)
    {
        var batch = await registry.GetBatchAsync(m.BatchId) ?? throw new InvalidOperationException($"Unknown batch {m.BatchId}.");
        var composer = _mail.Composer;
        var village = _mail.Village(batch);
        var pic = _mail.Pic(batch.VillageCode);
        var askedAt = m.AskedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : batch.UpdatedAt;

        (MailContent Content, IReadOnlyList<string> To, IReadOnlyList<string>? Cc) mail = m.Kind switch
        {
            BatchMailKind.Received => (composer.Compose(new BatchReceivedMail(
                village, batch.BatchId, batch.FileName, batch.CreatedAt, _links.BatchPage(batch.BatchId))), pic, null),
            BatchMailKind.ApprovalNeeded => (composer.Compose(new ApprovalNeededMail(_mail.Pending(batch), ApprovalLink(batch))),
                _mail.Coordinators, null),
            BatchMailKind.ApprovalReminder => (composer.Compose(new ApprovalReminderMail(
                _mail.Pending(batch), ApprovalLink(batch), m.Number, askedAt)), _mail.Coordinators, null),
            BatchMailKind.ApprovalEscalation => (composer.Compose(new ApprovalEscalationMail(
                _mail.Pending(batch), m.Number, askedAt, _links.BatchPage(batch.BatchId))), _mail.Leadership, _mail.Coordinators),
            BatchMailKind.Approved => (await ApprovedAsync(batch, village), pic, null),
            BatchMailKind.Rejected => (await RejectedAsync(batch, village, m.Reason ?? "-"), pic, null),
            BatchMailKind.RejectedByValidation => (await RejectedAsync(batch, village,
                "tidak ada satu pun baris data yang memenuhi syarat, sehingga berkas ini tidak dapat diajukan untuk persetujuan."), pic, null),
            BatchMailKind.Unreadable => (composer.Compose(new BatchUnreadableMail(
                village, batch.BatchId, batch.FileName, batch.FileCode ?? "", await FileMessageAsync(batch),
                batch.ReportBlob is null ? null : _links.Report(batch.BatchId))), pic, null),
            BatchMailKind.Superseded => (await SupersededAsync(batch, village, m.OtherBatchId), pic, null),
            BatchMailKind.Expired => (composer.Compose(new BatchExpiredMail(
                village, batch.BatchId, batch.FileName, askedAt, ExpiredAt(batch, askedAt), ExpiryCoverageStart(askedAt),
                _links.BatchPage(batch.BatchId))), pic, null),
            BatchMailKind.ApprovalExpired => (composer.Compose(new ApprovalExpiredMail(
                _mail.Pending(batch), askedAt, ExpiredAt(batch, askedAt), ExpiryCoverageStart(askedAt),
                _links.BatchPage(batch.BatchId))), _mail.Coordinators, null),
            BatchMailKind.Revoked => (await RevokedAsync(batch, village), pic, null),
            _ => throw new ArgumentOutOfRangeException(nameof(m), m.Kind, "Unknown batch mail."),
        };

        var log = loggers.CreateLogger<BatchMailActivity>();
        if (mail.To.Count == 0)
        {
            log.LogWarning("No recipient for the {Kind} mail of batch {BatchId} (village {Village} has no PIC email)", m.Kind, m.BatchId, batch.VillageCode);
            return false;
        }
        var outcome = await mailer.SendAsync(mail.Content.ToMail(m.Key, mail.To, mail.Cc), CancellationToken.None);
        log.LogInformation("Mail {Key}: {Outcome}", m.Key, outcome);
        return true;
    }

    /// <summary>When the wait ended: the plan's moment, or (a campaign changed since) when the registry marked the batch.</summary>
    DateTimeOffset ExpiredAt(Batch batch, DateTimeOffset askedAt) =>
        ApprovalPlan.For(campaign).ExpiresAt(askedAt.UtcDateTime) is { } end ? new DateTimeOffset(end, TimeSpan.Zero) : batch.UpdatedAt;

    DateOnly? ExpiryCoverageStart(DateTimeOffset askedAt) =>
        ApprovalPlan.For(campaign).EndsAtCoverageStart(askedAt.UtcDateTime) ? campaign.CoverageStart : null;

    string ApprovalLink(Batch batch) => _links.BatchPage(batch.BatchId, signer.CreateToken(batch.BatchId, options.ApprovalLinkLifetime));

    async Task<MailContent> ApprovedAsync(Batch batch, VillageRef village)
    {
        var decision = await registry.GetDecisionAsync(batch.BatchId);
        var enrolled = decision?.Enrolled ?? 0;
        return _mail.Composer.Compose(new BatchApprovedMail(
            village, batch.BatchId, batch.FileName, enrolled, Math.Max(0, batch.Counts.Rows - enrolled),
            campaign.CoverageStart, campaign.CoverageEnd, _links.Report(batch.BatchId)));
    }

    async Task<MailContent> RevokedAsync(Batch batch, VillageRef village)
    {
        var revocation = await registry.GetRevocationAsync(batch.BatchId)
            ?? throw new InvalidOperationException($"Batch {batch.BatchId} has no revocation.");
        return _mail.Composer.Compose(new BatchRevokedMail(
            village, batch.BatchId, batch.FileName, revocation.Reason, revocation.Unenrolled, revocation.RevokedAt, _links.BatchPage(batch.BatchId)));
    }

    async Task<MailContent> RejectedAsync(Batch batch, VillageRef village, string reason)
    {
        var (issues, count) = await ErrorLinesAsync(batch);
        return _mail.Composer.Compose(new BatchRejectedMail(
            village, batch.BatchId, batch.FileName, reason, batch.Counts.Valid, batch.Counts.Rejected, issues, count, _links.Report(batch.BatchId)));
    }

    async Task<MailContent> SupersededAsync(Batch batch, VillageRef village, string? newBatchId)
    {
        var newer = newBatchId is null ? null : await registry.GetBatchAsync(newBatchId);
        return _mail.Composer.Compose(new BatchSupersededMail(
            village, batch.BatchId, batch.FileName, newer?.BatchId ?? newBatchId ?? "-", newer?.FileName ?? "-", newer?.CreatedAt ?? time.GetUtcNow()));
    }

    /// <summary>The report's file-level explanation (FILE_OTHER_VILLAGE names the village the file seems to belong to); null without a report.</summary>
    async Task<string?> FileMessageAsync(Batch batch) => (await ReadReportAsync(batch))?.FileMessage;

    async Task<RosterReport?> ReadReportAsync(Batch batch)
    {
        if (batch.ReportBlob is null || !await blobs.ExistsAsync(BlobContainers.Reports, batch.ReportBlob)) return null;
        await using var stream = await blobs.OpenReadAsync(BlobContainers.Reports, batch.ReportBlob);
        return await RosterReportJson.ReadAsync(stream);
    }

    /// <summary>The first error lines of the report, as the village reads them (messages mask NIKs), and how many there are.</summary>
    async Task<(IReadOnlyList<string> Lines, int Count)> ErrorLinesAsync(Batch batch)
    {
        if (await ReadReportAsync(batch) is not { } report) return ([], 0);
        var errors = report.Issues.Where(i => i.IsError).ToList();
        return (errors.Take(MailComposer.MaxIssuesListed).Select(i => $"Baris {i.Row}, kolom {i.Column}: {i.Message}").ToList(), errors.Count);
    }
}
