namespace UcjFlow.Core.Mail;

/// <summary>
/// One email ready to send. <see cref="Key"/> is the idempotency key chosen by the caller, stable across retries
/// (activities run at least once), e.g. "{batchId}:approved" or "{campaignId}:reminder:2024-10-15:1503012001".
/// It also becomes the Message-ID, so a mail client can collapse a resent copy.
/// <see cref="From"/> null means the mailer's configured sender. A village message also carries the PIC's
/// <see cref="Phone"/> (E.164) and its <see cref="ShortText"/>: with <c>Notify:Gateway</c> set, that text goes to the
/// phone through the gateway under the same key.
/// </summary>
public sealed record OutgoingMail(
    string Key,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string PlainText,
    string Html,
    string? From = null,
    string? Phone = null,
    string? ShortText = null);

/// <summary>What a send did.</summary>
public enum MailOutcome
{
    /// <summary>Handed to the SMTP server or written to the outbox.</summary>
    Sent,
    /// <summary>A mail with the same key was already written; nothing was written again (outbox only).</summary>
    AlreadySent,
    /// <summary>
    /// Not delivered yet: the server refused it or could not be reached. It is kept as pending mail, shown to the
    /// coordinators and sent again with backoff until it goes through.
    /// </summary>
    Pending,
    /// <summary>Nobody to send it to: no address, and no phone or no gateway for the text.</summary>
    NoRecipient,
}

/// <summary>
/// Sends one email. Implementations: SMTP, and an outbox folder of .eml files (the embedded default).
/// The outbox never writes the same <see cref="OutgoingMail.Key"/> twice; SMTP cannot know whether an earlier,
/// interrupted attempt reached the server, so a retried activity may resend (with the same Message-ID).
/// </summary>
public interface IMailer
{
    Task<MailOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
