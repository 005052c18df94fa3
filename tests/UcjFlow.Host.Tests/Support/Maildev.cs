using System.Text.Json;
using UcjFlow.Adapters.Mail;

namespace UcjFlow.Host.Tests.Support;

/// <summary>One mail as maildev's GET /email lists it.</summary>
public sealed record ReceivedMail(string Subject, IReadOnlyList<string> To, IReadOnlyList<string> Cc, string Text, string Html);

/// <summary>
/// The maildev server .ci/run starts: UCJ_TEST_SMTP (host:port) receives, UCJ_TEST_MAILDEV (http base) lists. The server
/// is shared, so tests look only at mails to their own run's addresses.
/// </summary>
public sealed class Maildev
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public required string Host { get; init; }
    public required int Port { get; init; }
    public required Uri Web { get; init; }

    public static Maildev FromEnvironment()
    {
        var smtp = Environment.GetEnvironmentVariable("UCJ_TEST_SMTP");
        var web = Environment.GetEnvironmentVariable("UCJ_TEST_MAILDEV");
        if (string.IsNullOrWhiteSpace(smtp) || string.IsNullOrWhiteSpace(web))
            Assert.Fail("UCJ_TEST_SMTP (host:port) and UCJ_TEST_MAILDEV (http base URL) must point at a running maildev: run the tests through .ci/run, which starts one.");
        var colon = smtp!.LastIndexOf(':');
        return new Maildev { Host = smtp[..colon], Port = int.Parse(smtp[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), Web = new Uri(web!.TrimEnd('/') + "/") };
    }

    public MailSettings Settings => new() { Host = Host, Port = Port, StartTls = false, From = "UcjFlow Test <ucjflow@test.example.id>" };

    /// <summary>Mails with at least one recipient containing <paramref name="run"/>.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MailsAsync(string run)
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Web, "email")));
        var list = new List<ReceivedMail>();
        foreach (var m in doc.RootElement.EnumerateArray())
        {
            var to = Addresses(m, "to");
            var cc = Addresses(m, "cc");
            if (!to.Concat(cc).Any(a => a.Contains(run, StringComparison.Ordinal))) continue;
            list.Add(new ReceivedMail(m.GetProperty("subject").GetString() ?? "", to, cc,
                m.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "", m.TryGetProperty("html", out var h) ? h.GetString() ?? "" : ""));
        }
        return list;
    }

    /// <summary>Polls until a mail of this run matches, or fails after the deadline.</summary>
    public async Task<ReceivedMail> WaitForAsync(string run, Func<ReceivedMail, bool> match, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = (await MailsAsync(run)).FirstOrDefault(match);
            if (found is not null) return found;
            if (DateTime.UtcNow > until) Assert.Fail($"maildev received no mail: {what}");
            await Task.Delay(100);
        }
    }

    static List<string> Addresses(JsonElement mail, string field) =>
        mail.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(a => a.GetProperty("address").GetString() ?? "").ToList()
            : [];
}
