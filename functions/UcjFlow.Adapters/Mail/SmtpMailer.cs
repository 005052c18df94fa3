using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using UcjFlow.Core.Mail;

namespace UcjFlow.Adapters.Mail;

/// <summary>
/// Sends through an SMTP server with MailKit: STARTTLS required when <see cref="MailSettings.StartTls"/> (else used
/// when offered), a login when <see cref="MailSettings.User"/> is set, and only over an encrypted connection;
/// multipart/alternative plain text + HTML in UTF-8. The server certificate must be trusted by the system or chain to
/// <see cref="MailSettings.CaCertificate"/> (a private CA or a self-signed server certificate), and name the host.
/// A delivery failure throws <see cref="MailDeliveryException"/> (what it was: login, recipient, TLS, connection);
/// no answer within <see cref="MailSettings.Timeout"/> throws <see cref="TimeoutException"/>.
/// At least once, not exactly once: if an attempt fails after the server took the message (a timeout on the final reply),
/// a retry sends it again. The Message-ID is derived from the key, so the copies carry the same Message-ID.
/// </summary>
public sealed class SmtpMailer : IMailer
{
    private readonly MailSettings _settings;
    private readonly MailboxAddress _from;
    private readonly X509Certificate2Collection? _trusted;
    private readonly ILogger _logger;

    /// <exception cref="ArgumentException">no host, or a sender that is no address.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">the CA certificate file is unreadable or holds no PEM certificate.</exception>
    public SmtpMailer(MailSettings settings, ILogger? logger = null)
    {
        if (!settings.UsesSmtp) throw new ArgumentException("SMTP needs MailSettings.Host.", nameof(settings));
        _settings = settings;
        _from = MailboxAddress.Parse(settings.From);
        if (settings.CaCertificate is { } path)
        {
            _trusted = [];
            _trusted.ImportFromPemFile(path);
            if (_trusted.Count == 0) throw new System.Security.Cryptography.CryptographicException($"No PEM certificate in {path}.");
        }
        _logger = logger ?? NullLogger.Instance;
    }

    public async Task<MailOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        if (mail.To.Count + mail.Cc.Count == 0) throw new ArgumentException($"Mail '{mail.Key}' has no recipient.", nameof(mail));
        using var message = ToMime(mail);

        // One client per send: an SmtpClient is one connection and not safe for concurrent sends.
        using var client = new SmtpClient
        {
            // A backstop only: the token below gives the timeout, so it ends one way (TimeoutException) whichever fires.
            Timeout = (int)Math.Min(int.MaxValue, (_settings.Timeout + TimeSpan.FromSeconds(5)).TotalMilliseconds),
            ServerCertificateValidationCallback = ValidateCertificate,
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            var tls = _settings.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.StartTlsWhenAvailable;
            await client.ConnectAsync(_settings.Host!, _settings.Port, tls, timeout.Token).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(_settings.User))
            {
                // MailKit would log in over a clear-text connection if the server offered AUTH there; the password never goes out unencrypted.
                if (!client.IsEncrypted)
                    throw new MailDeliveryException(new MailFailure(MailFailureKind.LoginNeedsTls,
                        $"{_settings.Host}:{_settings.Port} is not encrypted; the login was not sent."));
                await client.AuthenticateAsync(_settings.User, _settings.Password ?? "", timeout.Token).ConfigureAwait(false);
            }
            await client.SendAsync(message, timeout.Token).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not MailDeliveryException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"SMTP send of mail '{mail.Key}' to {_settings.Host}:{_settings.Port} took longer than {_settings.Timeout}.", e);
        }
        catch (Exception e) when (Classify(e) is { } failure)
        {
            throw new MailDeliveryException(failure, e);
        }
        _logger.LogInformation("Mail {Key} to {Recipients} recipient(s) sent through {Host}:{Port}", mail.Key, mail.To.Count + mail.Cc.Count, _settings.Host, _settings.Port);
        return MailOutcome.Sent;
    }

    private MimeMessage ToMime(OutgoingMail mail)
    {
        var message = new MimeMessage { Subject = mail.Subject };
        var from = mail.From is null ? _from : MailboxAddress.Parse(mail.From);
        message.From.Add(from);
        message.To.AddRange(mail.To.Select(MailboxAddress.Parse));
        message.Cc.AddRange(mail.Cc.Select(MailboxAddress.Parse));
        message.MessageId = MailKey.MessageId(mail.Key, new System.Net.Mail.MailAddress(from.Address)).Trim('<', '>');
        message.Headers.Add("X-UcjFlow-Key", mail.Key.All(c => c is > ' ' and <= '~') ? mail.Key : MailKey.Slug(mail.Key, 200));
        // Text and HTML bodies become multipart/alternative; MailKit picks a transfer encoding the server accepts.
        message.Body = new BodyBuilder { TextBody = mail.PlainText, HtmlBody = mail.Html }.ToMessageBody();
        return message;
    }

    /// <summary>The system's trust, or else a chain to the configured CA; a certificate for another host is refused either way.</summary>
    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (_trusted is null || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trusted);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }

    private MailFailure? Classify(Exception e) => e switch
    {
        AuthenticationException => new(MailFailureKind.LoginRefused, e.Message),
        SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } c =>
            new(MailFailureKind.RecipientRefused, $"{(int)c.StatusCode} {c.Message}", c.Mailbox?.Address),
        SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } c => new(MailFailureKind.SenderRefused, $"{(int)c.StatusCode} {c.Message}"),
        SmtpCommandException c => new(MailFailureKind.MessageRefused, $"{(int)c.StatusCode} {c.Message}"),
        SslHandshakeException => new(MailFailureKind.CertificateUntrusted, e.Message),
        // ConnectAsync with StartTls on a server without the extension; AuthenticateAsync on one without AUTH.
        NotSupportedException when e.Message.Contains("STARTTLS", StringComparison.Ordinal) => new(MailFailureKind.StartTlsNotOffered, e.Message),
        NotSupportedException => new(MailFailureKind.LoginRefused, e.Message),
        SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException =>
            new(MailFailureKind.Unreachable, $"{_settings.Host}:{_settings.Port}: {e.Message}"),
        _ => null,
    };
}
