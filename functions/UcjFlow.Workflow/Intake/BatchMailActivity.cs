using UcjFlow.Workflow.Campaigns;
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
/// twice. A village mail for a village without a PIC address goes to the coordinators to forward. Returns false when the
/// mail did not reach whom it is for (the village without an address, or nobody to send to).
/// </summary>
public sealed class BatchMailActivity(
    CampaignStore campaigns, IEnrollmentRegistry registry, IBlobStore blobs, IMailer mailer,
    ApprovalLinkSigner signer, WorkflowOptions options, TimeProvider time, ILoggerFactory loggers)
    : TaskActivity<BatchMail, bool>
{
    public const string Name = "SendBatchMail";

    /// <summary>The batch's campaign and its view of mail, resolved once per message.</summary>
    sealed record Of(Campaign Campaign, CampaignMail Mail);

    async Task<Of> OfAsync(Batch batch)
    {
        var campaign = await campaigns.GetAsync(batch.CampaignId);
        return new Of(campaign, new CampaignMail(campaign, options));
    }
    readonly WorkflowLinks _links = options.Links;

    public override async Task<bool> RunAsync(TaskActivityContext context, BatchMail m)
    {
        if (m.Kind is BatchMailKind.ApprovalNeeded or BatchMailKind.ApprovalReminder)
        {
            var pending = await registry.GetBatchAsync(m.BatchId) ?? throw new InvalidOperationException($"Unknown batch {m.BatchId}.");
            return await SendApprovalRequestsAsync(await OfAsync(pending), m, pending, AskedAt(m, pending));
        }
        var (batch, mail) = await ComposeAsync(m);
        var c = await OfAsync(batch);
        var log = loggers.CreateLogger<BatchMailActivity>();
        var reached = true;
        if (mail.To.Count == 0 && m.Kind.IsToVillage())
        {
            // Nobody at the village to mail: the coordinators get the same message to pass on (issue 9.6); a text to the
            // PIC's phone still goes through the gateway when one is set.
            log.LogWarning("Village {Village} has no PIC email: the {Kind} mail of batch {BatchId} goes to the coordinators to forward",
                batch.VillageCode, m.Kind, m.BatchId);
            mail = mail with { Content = c.Mail.Composer.ForCoordinators(mail.Content, c.Mail.Village(batch)), To = c.Mail.Coordinators };
            reached = false;
        }
        var outcome = await mailer.SendAsync(mail.Content.ToMail(m.Key, mail.To, mail.Cc, mail.Phone), CancellationToken.None);
        if (outcome == MailOutcome.NoRecipient)
        {
            log.LogWarning("No recipient for the {Kind} mail of batch {BatchId}", m.Kind, m.BatchId);
            return false;
        }
        log.LogInformation("Mail {Key}: {Outcome}", m.Key, outcome);
        return reached;
    }

    static DateTimeOffset AskedAt(BatchMail m, Batch batch) =>
        m.AskedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : batch.UpdatedAt;

    /// <summary>
    /// The message about a batch as it is sent: content, addresses, and the PIC's phone (E.164) for a message to the
    /// village (<see cref="BatchMailKinds.IsToVillage"/>), else null. The page's WhatsApp buttons show the same. Links to
    /// the village carry a read token for this batch naming its PIC; to the coordinators, one for this batch only.
    /// </summary>
    /// <exception cref="InvalidOperationException">unknown batch.</exception>
    /// <exception cref="ArgumentOutOfRangeException">an approval request: those go one per coordinator, each with its own link.</exception>
    public async Task<(Batch Batch, ComposedBatchMail Mail)> ComposeAsync(BatchMail m)
    {
        var batch = await registry.GetBatchAsync(m.BatchId) ?? throw new InvalidOperationException($"Unknown batch {m.BatchId}.");
        var c = await OfAsync(batch);
        var composer = c.Mail.Composer;
        var village = c.Mail.Village(batch);
        var pic = c.Mail.Pic(batch.VillageCode);
        var askedAt = AskedAt(m, batch);
        var toPic = ReadToken(batch, pic.FirstOrDefault());
        var toCoordinators = ReadToken(batch, null);

        (MailContent Content, IReadOnlyList<string> To, IReadOnlyList<string>? Cc) mail = m.Kind switch
        {
            BatchMailKind.Received or BatchMailKind.RejectedByValidation => (await ResultAsync(c, batch, village, toPic), pic, null),
            BatchMailKind.ApprovalEscalation => (composer.Compose(new ApprovalEscalationMail(
                // No token: the leadership are not users of the app, and a mail to them is forwarded.
                c.Mail.Pending(batch), m.Number, askedAt, _links.BatchPage(batch.BatchId))), c.Mail.Leadership, c.Mail.Coordinators),
            BatchMailKind.Approved => (await ApprovedAsync(c, batch, village, toPic), pic, null),
            BatchMailKind.Rejected => (await RejectedAsync(c, batch, village, m.Reason ?? "-", toPic), pic, null),
            BatchMailKind.Unreadable => (composer.Compose(new BatchUnreadableMail(
                village, batch.BatchId, batch.FileName, batch.FileCode ?? "", await FileMessageAsync(batch),
                batch.ReportBlob is null ? null : _links.Report(batch.BatchId, toPic))), pic, null),
            BatchMailKind.Superseded => (await SupersededAsync(c, batch, village, m.OtherBatchId), pic, null),
            BatchMailKind.Expired => (composer.Compose(new BatchExpiredMail(
                village, batch.BatchId, batch.FileName, askedAt, ExpiredAt(c, batch, askedAt), ExpiryCoverageStart(c, askedAt),
                _links.BatchPage(batch.BatchId, toPic))), pic, null),
            BatchMailKind.ApprovalExpired => (composer.Compose(new ApprovalExpiredMail(
                c.Mail.Pending(batch), askedAt, ExpiredAt(c, batch, askedAt), ExpiryCoverageStart(c, askedAt),
                _links.BatchPage(batch.BatchId, toCoordinators))), c.Mail.Coordinators, null),
            BatchMailKind.Revoked => (await RevokedAsync(c, batch, village, toPic), pic, null),
            _ => throw new ArgumentOutOfRangeException(nameof(m), m.Kind, "Unknown batch mail."),
        };

        return (batch, new ComposedBatchMail(mail.Content, mail.To, mail.Cc, m.Kind.IsToVillage() ? c.Mail.PicPhone(batch.VillageCode) : null));
    }

    /// <summary>The village's answer when validation ends: counts, the problems as the village reads them, the report's notes and a renewal roster's removals.</summary>
    async Task<MailContent> ResultAsync(Of c, Batch batch, VillageRef village, string token)
    {
        var report = await ReadReportAsync(batch);
        var (issues, count) = ErrorLines(report);
        return c.Mail.Composer.Compose(new BatchResultMail(
            village, batch.BatchId, batch.FileName, batch.CreatedAt,
            batch.Counts.Rows, batch.Counts.Valid, batch.Counts.Rejected, batch.Counts.ValidWithWarnings,
            issues, count, VillageAnswer.Notes(report), _links.Report(batch.BatchId, token), _links.BatchPage(batch.BatchId, token)));
    }

    /// <summary>
    /// The village's messages about a batch so far, as the orchestration sent them (same kinds and keys): the result once
    /// validated, then the decision, expiry or supersede. Unreadable: that one message.
    /// </summary>
    public static IReadOnlyList<BatchMail> VillageMailsOf(Batch batch, DecisionRecord? decision) => batch.Status switch
    {
        BatchStatus.Validating => [],
        BatchStatus.Unreadable => [new(batch.BatchId, BatchMailKind.Unreadable)],
        BatchStatus.Rejected when decision is null => [new(batch.BatchId, BatchMailKind.RejectedByValidation)],
        BatchStatus.Rejected => [new(batch.BatchId, BatchMailKind.Received), new(batch.BatchId, BatchMailKind.Rejected, Reason: decision.Reason)],
        BatchStatus.Approved => [new(batch.BatchId, BatchMailKind.Received), new(batch.BatchId, BatchMailKind.Approved)],
        BatchStatus.Revoked => [new(batch.BatchId, BatchMailKind.Received), new(batch.BatchId, BatchMailKind.Approved), new(batch.BatchId, BatchMailKind.Revoked)],
        BatchStatus.Expired => [new(batch.BatchId, BatchMailKind.Received), new(batch.BatchId, BatchMailKind.Expired)],
        BatchStatus.Superseded => [new(batch.BatchId, BatchMailKind.Superseded, OtherBatchId: batch.SupersededBy)],
        _ => [new(batch.BatchId, BatchMailKind.Received)],
    };

    /// <summary>When the wait ended: the plan's moment, or (a campaign changed since) when the registry marked the batch.</summary>
    DateTimeOffset ExpiredAt(Of c, Batch batch, DateTimeOffset askedAt) =>
        ApprovalPlan.For(c.Campaign).ExpiresAt(askedAt.UtcDateTime) is { } end ? new DateTimeOffset(end, TimeSpan.Zero) : batch.UpdatedAt;

    DateOnly? ExpiryCoverageStart(Of c, DateTimeOffset askedAt) =>
        ApprovalPlan.For(c.Campaign).EndsAtCoverageStart(askedAt.UtcDateTime) ? c.Campaign.CoverageStart : null;

    /// <summary>A read-only link token for the batch's page and reports, naming who it was mailed to (null: several people).</summary>
    string ReadToken(Batch batch, string? recipient) =>
        signer.CreateToken(batch.BatchId, options.ApprovalLinkLifetime, ApprovalLinkSigner.BatchPurpose, recipient);

    /// <summary>
    /// The approval request and its reminders: one mail per coordinator address, each with its own approval link naming
    /// that address, so a decision through it records who decided (issue 10.2). With one address the key stays the
    /// batch mail's own (a mail sent before links named their recipient is not sent again).
    /// </summary>
    async Task<bool> SendApprovalRequestsAsync(Of c, BatchMail m, Batch batch, DateTimeOffset askedAt)
    {
        var log = loggers.CreateLogger<BatchMailActivity>();
        var coordinators = c.Mail.Coordinators;
        foreach (var address in coordinators)
        {
            var link = _links.BatchPage(batch.BatchId, signer.CreateToken(batch.BatchId, options.ApprovalLinkLifetime, ApprovalLinkSigner.ApprovePurpose, address));
            var content = m.Kind == BatchMailKind.ApprovalNeeded
                ? c.Mail.Composer.Compose(new ApprovalNeededMail(c.Mail.Pending(batch), link))
                : c.Mail.Composer.Compose(new ApprovalReminderMail(c.Mail.Pending(batch), link, m.Number, askedAt));
            var key = coordinators.Count == 1 ? m.Key : $"{m.Key}:{address}";
            var outcome = await mailer.SendAsync(content.ToMail(key, [address]), CancellationToken.None);
            log.LogInformation("Mail {Key}: {Outcome}", key, outcome);
        }
        return coordinators.Count > 0;
    }

    async Task<MailContent> ApprovedAsync(Of c, Batch batch, VillageRef village, string token)
    {
        var decision = await registry.GetDecisionAsync(batch.BatchId);
        var enrolled = decision?.Enrolled ?? 0;
        return c.Mail.Composer.Compose(new BatchApprovedMail(
            village, batch.BatchId, batch.FileName, enrolled, Math.Max(0, batch.Counts.Rows - enrolled),
            c.Campaign.CoverageStart, c.Campaign.CoverageEnd, _links.Report(batch.BatchId, token)));
    }

    async Task<MailContent> RevokedAsync(Of c, Batch batch, VillageRef village, string token)
    {
        var revocation = await registry.GetRevocationAsync(batch.BatchId)
            ?? throw new InvalidOperationException($"Batch {batch.BatchId} has no revocation.");
        return c.Mail.Composer.Compose(new BatchRevokedMail(
            village, batch.BatchId, batch.FileName, revocation.Reason, revocation.Unenrolled, revocation.RevokedAt, _links.BatchPage(batch.BatchId, token)));
    }

    async Task<MailContent> RejectedAsync(Of c, Batch batch, VillageRef village, string reason, string token)
    {
        var (issues, count) = ErrorLines(await ReadReportAsync(batch));
        return c.Mail.Composer.Compose(new BatchRejectedMail(
            village, batch.BatchId, batch.FileName, reason, batch.Counts.Valid, batch.Counts.Rejected, issues, count, _links.Report(batch.BatchId, token)));
    }

    async Task<MailContent> SupersededAsync(Of c, Batch batch, VillageRef village, string? newBatchId)
    {
        var newer = newBatchId is null ? null : await registry.GetBatchAsync(newBatchId);
        return c.Mail.Composer.Compose(new BatchSupersededMail(
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

    /// <summary>The first error lines of the report as the village reads them (the message already starts with its row and column).</summary>
    static (IReadOnlyList<string> Lines, int Count) ErrorLines(RosterReport? report) => VillageAnswer.Problems(report, MailComposer.MaxIssuesListed);
}

/// <summary>A composed batch message: content, addresses, and the PIC's phone (E.164) when it goes to the village.</summary>
public sealed record ComposedBatchMail(MailContent Content, IReadOnlyList<string> To, IReadOnlyList<string>? Cc, string? Phone);
