using UcjFlow.Adapters.Mail;
using UcjFlow.Core.Mail;

namespace UcjFlow.Adapters.Notify;

/// <summary>A message kept because it did not go out, and by which channel (mail, or a text through the gateway).</summary>
public sealed record PendingMessage(PendingMail Pending, bool IsText);

/// <summary>
/// The mailer the workflow sends through, on both hosts: each message goes by mail to its addresses (through the pending
/// mail queue), and, when <c>Notify:Gateway</c> is set and the message carries a PIC phone, its short text to that
/// phone through the gateway under the same key (through the pending text queue). A channel that fails keeps its
/// message for the coordinators' page and the upkeep's resend without holding up the other.
/// </summary>
public sealed class Notifier(PendingMailer mail, PendingMailer? texts) : IMailer
{
    /// <summary>The mail queue.</summary>
    public PendingMailer Mail => mail;

    /// <summary>The text queue; null when no gateway is set.</summary>
    public PendingMailer? Texts => texts;

    /// <summary>
    /// Sends by each channel the message has: the mail's outcome when it has addresses, else the text's;
    /// <see cref="MailOutcome.NoRecipient"/> when it has neither an address nor (with a gateway) a phone.
    /// </summary>
    public async Task<MailOutcome> SendAsync(OutgoingMail message, CancellationToken cancellationToken)
    {
        MailOutcome? byMail = null, byText = null;
        if (message.To.Count + message.Cc.Count > 0) byMail = await mail.SendAsync(message, cancellationToken);
        if (texts is not null && message.Phone is { } phone && !string.IsNullOrEmpty(message.ShortText))
            byText = await texts.SendAsync(new OutgoingMail(message.Key, [phone], [], message.Subject, message.ShortText, ""), cancellationToken);
        return byMail ?? byText ?? MailOutcome.NoRecipient;
    }

    /// <summary>Every message kept by either channel: mail first, then texts.</summary>
    public async Task<IReadOnlyList<PendingMessage>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = (await mail.ListAsync(cancellationToken)).Select(p => new PendingMessage(p, false)).ToList();
        if (texts is not null) list.AddRange((await texts.ListAsync(cancellationToken)).Select(p => new PendingMessage(p, true)));
        return list;
    }

    /// <summary>Resends what is due on both channels (<see cref="PendingMailer.ResendDueAsync"/>).</summary>
    public async Task<(int Sent, int StillPending)> ResendDueAsync(CancellationToken cancellationToken = default)
    {
        var (sent, still) = await mail.ResendDueAsync(cancellationToken);
        if (texts is null) return (sent, still);
        var (textsSent, textsStill) = await texts.ResendDueAsync(cancellationToken);
        return (sent + textsSent, still + textsStill);
    }
}
