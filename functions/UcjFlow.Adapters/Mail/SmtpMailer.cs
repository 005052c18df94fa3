using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UcjFlow.Core.Mail;

namespace UcjFlow.Adapters.Mail;

/// <summary>
/// Sends through an SMTP server with System.Net.Mail: STARTTLS when <see cref="MailSettings.StartTls"/>, a login when
/// <see cref="MailSettings.User"/> is set, multipart/alternative plain text + HTML in UTF-8.
/// At least once, not exactly once: if an attempt fails after the server took the message (a timeout on the final reply),
/// the retried activity sends it again. The Message-ID is derived from the key, so the copies carry the same Message-ID.
/// </summary>
public sealed class SmtpMailer : IMailer
{
    private readonly MailSettings _settings;
    private readonly MailAddress _from;
    private readonly ILogger _logger;

    public SmtpMailer(MailSettings settings, ILogger? logger = null)
    {
        if (!settings.UsesSmtp) throw new ArgumentException("SMTP needs MailSettings.Host.", nameof(settings));
        _settings = settings;
        _from = new MailAddress(settings.From);
        _logger = logger ?? NullLogger.Instance;
    }

    public async Task<MailOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        if (mail.To.Count + mail.Cc.Count == 0) throw new ArgumentException($"Mail '{mail.Key}' has no recipient.", nameof(mail));
        var from = mail.From is null ? _from : new MailAddress(mail.From);

        using var message = new MailMessage
        {
            From = from,
            Subject = mail.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            Body = ToCrlf(mail.PlainText),
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
            IsBodyHtml = false,
        };
        foreach (var to in mail.To) message.To.Add(new MailAddress(to));
        foreach (var cc in mail.Cc) message.CC.Add(new MailAddress(cc));
        message.Headers.Add("Message-ID", MailKey.MessageId(mail.Key, from));
        message.Headers.Add("X-UcjFlow-Key", mail.Key.All(c => c is > ' ' and <= '~') ? mail.Key : MailKey.Slug(mail.Key, 200));
        // A plain body plus an HTML alternate view is what System.Net.Mail sends as multipart/alternative.
        var html = AlternateView.CreateAlternateViewFromString(ToCrlf(mail.Html), new ContentType("text/html; charset=utf-8"));
        html.TransferEncoding = TransferEncoding.QuotedPrintable;
        message.AlternateViews.Add(html);

        // One client per send: SmtpClient does not allow concurrent sends on one instance.
        using var client = new SmtpClient(_settings.Host, _settings.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = _settings.StartTls,
            // A backstop only: the token below gives the timeout, so it ends one way (TimeoutException) whichever fires.
            Timeout = (int)Math.Min(int.MaxValue, (_settings.Timeout + TimeSpan.FromSeconds(5)).TotalMilliseconds),
            UseDefaultCredentials = false,
            Credentials = string.IsNullOrEmpty(_settings.User) ? null : new NetworkCredential(_settings.User, _settings.Password),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            await client.SendMailAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SmtpException
                                  && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"SMTP send of mail '{mail.Key}' to {_settings.Host}:{_settings.Port} took longer than {_settings.Timeout}.", e);
        }
        _logger.LogInformation("Mail {Key} to {Recipients} recipient(s) sent through {Host}:{Port}", mail.Key, mail.To.Count + mail.Cc.Count, _settings.Host, _settings.Port);
        return MailOutcome.Sent;
    }

    private static string ToCrlf(string text) => text.Replace("\r\n", "\n").Replace("\n", "\r\n");
}
