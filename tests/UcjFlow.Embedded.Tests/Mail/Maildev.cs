using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace UcjFlow.Embedded.Tests.Mail;

/// <summary>
/// The maildev server that .ci/run starts: UCJ_TEST_SMTP (host:port) receives, UCJ_TEST_MAILDEV (http base) lists what
/// arrived at GET /email. Other tests share the server, so callers find their mail by a unique subject, never by count.
/// </summary>
internal sealed class Maildev
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string SmtpHost { get; }
    public int SmtpPort { get; }
    public Uri Web { get; }

    private Maildev(string host, int port, Uri web) => (SmtpHost, SmtpPort, Web) = (host, port, web);

    public static Maildev FromEnvironment()
    {
        var smtp = Environment.GetEnvironmentVariable("UCJ_TEST_SMTP");
        var web = Environment.GetEnvironmentVariable("UCJ_TEST_MAILDEV");
        if (string.IsNullOrWhiteSpace(smtp) || string.IsNullOrWhiteSpace(web))
            throw new InvalidOperationException(
                "UCJ_TEST_SMTP (host:port) and UCJ_TEST_MAILDEV (http base URL) must point at a running maildev: run the tests through .ci/run, which starts one.");
        var colon = smtp.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(smtp[(colon + 1)..], out var port))
            throw new InvalidOperationException($"UCJ_TEST_SMTP must be host:port, not '{smtp}'.");
        return new Maildev(smtp[..colon], port, new Uri(web.TrimEnd('/') + "/"));
    }

    /// <summary>Polls GET /email until a mail whose subject contains <paramref name="subjectToken"/> arrives, or fails after the deadline.</summary>
    public async Task<JsonElement> WaitForAsync(string subjectToken, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var json = await Http.GetStringAsync(new Uri(Web, "email"));
            using var doc = JsonDocument.Parse(json);
            foreach (var mail in doc.RootElement.EnumerateArray())
                if (mail.TryGetProperty("subject", out var s) && s.GetString()?.Contains(subjectToken, StringComparison.Ordinal) == true)
                    return mail.Clone();
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"maildev at {Web} received no mail with '{subjectToken}' in its subject.");
            await Task.Delay(100);
        }
    }

    /// <summary>Relays raw message bytes over plain SMTP, as a mail server would pass on an .eml file.</summary>
    public async Task RelayAsync(byte[] message, string from, IEnumerable<string> recipients)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(SmtpHost, SmtpPort);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task Expect(string code)
        {
            string? line;
            do { line = await reader.ReadLineAsync(); } while (line is { Length: > 3 } && line[3] == '-');
            if (line is null || !line.StartsWith(code, StringComparison.Ordinal))
                throw new InvalidOperationException($"SMTP: expected {code}, got '{line}'");
        }
        async Task Send(string command, string code)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            await Expect(code);
        }
        await Expect("220");
        await Send("EHLO ucjflow-tests", "250");
        await Send($"MAIL FROM:<{from}>", "250");
        foreach (var r in recipients) await Send($"RCPT TO:<{r}>", "250");
        await Send("DATA", "354");
        // Dot-stuffing: a line starting with '.' gets another.
        var text = Encoding.ASCII.GetString(message).Replace("\r\n.", "\r\n..");
        if (!text.EndsWith("\r\n", StringComparison.Ordinal)) text += "\r\n";
        await Send(text + ".", "250");
        await Send("QUIT", "221");
    }
}
