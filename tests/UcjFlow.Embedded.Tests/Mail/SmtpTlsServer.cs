using MimeKit;

namespace UcjFlow.Embedded.Tests.Mail;

/// <summary>
/// The STARTTLS + AUTH server that .ci/run starts (tests/smtp-tls-server/server.js), described by UCJ_TEST_SMTP_TLS
/// ("host=…;port=…;plainPort=…;user=…;password=…;ca=…;inbox=…"): <c>port</c> requires STARTTLS before AUTH and takes
/// one login, <c>plainPort</c> offers AUTH without TLS; both refuse recipients "refused@…" with 550. Messages land in
/// <c>inbox</c> as .eml files, login attempts as lines of inbox/auth.log ("listener user ok|refused tls|plain").
/// </summary>
internal sealed record SmtpTlsServer(string Host, int Port, int PlainPort, string User, string Password, string CaFile, string Inbox)
{
    public static SmtpTlsServer FromEnvironment()
    {
        var spec = Environment.GetEnvironmentVariable("UCJ_TEST_SMTP_TLS");
        if (string.IsNullOrWhiteSpace(spec))
            throw new InvalidOperationException("UCJ_TEST_SMTP_TLS must describe the running STARTTLS test server: run the tests through .ci/run, which starts one.");
        var parts = spec.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return new SmtpTlsServer(parts["host"], int.Parse(parts["port"]), int.Parse(parts["plainPort"]), parts["user"], parts["password"], parts["ca"], parts["inbox"]);
    }

    /// <summary>Every message in the inbox whose subject contains <paramref name="token"/>.</summary>
    public IReadOnlyList<MimeMessage> Received(string token) =>
        [.. Directory.Exists(Inbox)
            ? Directory.GetFiles(Inbox, "*.eml").Select(f => MimeMessage.Load(f)).Where(m => m.Subject?.Contains(token, StringComparison.Ordinal) == true)
            : []];

    /// <summary>The login attempts recorded so far, one line each.</summary>
    public IReadOnlyList<string> LoginAttempts()
    {
        var log = Path.Combine(Inbox, "auth.log");
        return File.Exists(log) ? File.ReadAllLines(log) : [];
    }
}
