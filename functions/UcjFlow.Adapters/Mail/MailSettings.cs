using System.Text;

namespace UcjFlow.Adapters.Mail;

/// <summary>
/// The settings <c>UcjFlow:Mail:*</c>. With a <see cref="Host"/>: SMTP (STARTTLS required when <see cref="StartTls"/>,
/// else used when offered; login when <see cref="User"/> is set, only over TLS; <see cref="CaCertificate"/> for a server
/// whose certificate the system does not trust). Without one the local host writes .eml files to its outbox folder; the Azure host requires one.
/// <see cref="From"/> may carry a display name ("UcjFlow Sarolangun &lt;ucjflow@sarolangunkab.go.id&gt;").
/// </summary>
public sealed record MailSettings
{
    public string? Host { get; init; }
    public int Port { get; init; } = 587;
    public bool StartTls { get; init; } = true;
    public string? User { get; init; }
    public string? Password { get; init; }
    /// <summary>A PEM file with the CA (or the self-signed server certificate) to trust besides the system's; null: the system's only.</summary>
    public string? CaCertificate { get; init; }
    public string From { get; init; } = "UcjFlow <ucjflow@localhost>";
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Host);

    // Records print every property; settings end up in logs, the password must not.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Host = {Host}, Port = {Port}, StartTls = {StartTls}, User = {User}, Password = {(Password is null ? "" : "***")}, CaCertificate = {CaCertificate}, ");
        builder.Append($"From = {From}, Timeout = {Timeout}");
        return true;
    }
}
