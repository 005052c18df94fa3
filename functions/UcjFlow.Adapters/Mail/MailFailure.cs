namespace UcjFlow.Adapters.Mail;

/// <summary>Why a mail (or its text through the gateway) did not go out, in the terms of SMTP (RFC 5321), TLS and HTTP.</summary>
public enum MailFailureKind
{
    /// <summary>No connection, a dropped one, or no answer in time.</summary>
    Unreachable,
    /// <summary><c>Mail:StartTls</c> is on but the server offers no STARTTLS; nothing was sent in clear text.</summary>
    StartTlsNotOffered,
    /// <summary>A login is configured but the connection is not encrypted: the password is never sent in clear text.</summary>
    LoginNeedsTls,
    /// <summary>The server's certificate is not trusted (nor signed by <c>Mail:CaCertificate</c>) or names another host.</summary>
    CertificateUntrusted,
    /// <summary>The server refused the login (535 and the like).</summary>
    LoginRefused,
    /// <summary>The server refused one recipient (RCPT TO, e.g. 550); the mail went to nobody.</summary>
    RecipientRefused,
    /// <summary>The server refused the sender (MAIL FROM).</summary>
    SenderRefused,
    /// <summary>The server refused the message itself (DATA), or another SMTP error.</summary>
    MessageRefused,
    /// <summary>The WhatsApp/SMS gateway (<c>Notify:Gateway</c>) gave no answer, or 408, 429 or 5xx, through every retry.</summary>
    GatewayUnreachable,
    /// <summary>The WhatsApp/SMS gateway refused the text (4xx: token, phone, body).</summary>
    GatewayRefused,
}

/// <summary>
/// One failed delivery: <see cref="Kind"/>, the server's or the library's words in <see cref="Detail"/> (English, for the
/// log), and the refused address for <see cref="MailFailureKind.RecipientRefused"/>. <see cref="Indonesian"/> is what the
/// coordinator page shows.
/// </summary>
public sealed record MailFailure(MailFailureKind Kind, string Detail, string? Recipient = null)
{
    /// <summary>One sentence for the coordinators: what went wrong and which setting or address to fix.</summary>
    public string Indonesian => Kind switch
    {
        MailFailureKind.Unreachable => "Server email tidak dapat dihubungi atau tidak menjawab (periksa UcjFlow:Mail:Host dan Port).",
        MailFailureKind.StartTlsNotOffered => "Server email tidak menawarkan STARTTLS, jadi email tidak dikirim tanpa enkripsi (periksa UcjFlow:Mail:Host, Port dan StartTls).",
        MailFailureKind.LoginNeedsTls => "Sambungan ke server email tidak terenkripsi, jadi kata sandi tidak dikirim (aktifkan UcjFlow:Mail:StartTls).",
        MailFailureKind.CertificateUntrusted => "Sertifikat server email tidak dipercaya (periksa UcjFlow:Mail:CaCertificate dan nama server).",
        MailFailureKind.LoginRefused => "Server email menolak nama pengguna atau kata sandi (periksa UcjFlow:Mail:User dan Password).",
        MailFailureKind.RecipientRefused => $"Server email menolak alamat penerima {Recipient}: perbaiki alamat tersebut di berkas kampanye.",
        MailFailureKind.SenderRefused => "Server email menolak alamat pengirim (periksa UcjFlow:Mail:From).",
        MailFailureKind.GatewayUnreachable => $"Gateway WhatsApp/SMS tidak dapat dihubungi atau sedang gangguan ({Detail}; periksa UcjFlow:Notify:Gateway:Url).",
        MailFailureKind.GatewayRefused => $"Gateway WhatsApp/SMS menolak pesan ini ({Detail}): periksa UcjFlow:Notify:Gateway:Token dan nomor HP PIC di berkas kampanye.",
        _ => "Server email menolak email ini.",
    };
}

/// <summary>A mail was not delivered for the reason in <see cref="Failure"/>; the server did not take it, so sending it again is no double.</summary>
public sealed class MailDeliveryException(MailFailure failure, Exception? inner = null)
    : Exception($"Mail not delivered ({failure.Kind}): {failure.Detail}", inner)
{
    public MailFailure Failure { get; } = failure;
}
