using System.Text;
using Microsoft.Extensions.Logging;
using UcjFlow.Core.Mail;

namespace UcjFlow.Embedded.Mail;

/// <summary>
/// Where mail goes. With a <see cref="Host"/>: SMTP (STARTTLS when <see cref="StartTls"/>, login when <see cref="User"/> is set).
/// Without one: .eml files in <see cref="OutboxFolder"/>, the embedded default. <see cref="From"/> may carry a display name
/// ("UcjFlow Sarolangun &lt;ucjflow@sarolangunkab.go.id&gt;").
/// </summary>
public sealed record MailSettings
{
    public string? Host { get; init; }
    public int Port { get; init; } = 587;
    public bool StartTls { get; init; } = true;
    public string? User { get; init; }
    public string? Password { get; init; }
    public string From { get; init; } = "UcjFlow <ucjflow@localhost>";
    public string OutboxFolder { get; init; } = "outbox";
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The SMTP mailer when a host is set, otherwise the outbox mailer.</summary>
    public IMailer CreateMailer(TimeProvider time, ILogger? logger = null) =>
        UsesSmtp ? new SmtpMailer(this, logger) : new OutboxMailer(OutboxFolder, From, time, logger);

    // Records print every property; settings end up in logs, the password must not.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Host = {Host}, Port = {Port}, StartTls = {StartTls}, User = {User}, Password = {(Password is null ? "" : "***")}, ");
        builder.Append($"From = {From}, OutboxFolder = {OutboxFolder}, Timeout = {Timeout}");
        return true;
    }
}
