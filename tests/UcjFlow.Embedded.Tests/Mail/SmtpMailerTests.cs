using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using UcjFlow.Core.Mail;
using UcjFlow.Adapters.Mail;
using UcjFlow.Embedded.Mail;

namespace UcjFlow.Embedded.Tests.Mail;

/// <summary>Against the real maildev SMTP server that .ci/run starts (see <see cref="Maildev"/>).</summary>
public sealed class SmtpMailerTests
{
    private const string Nik = "1503014101800001";
    private static readonly Regex SixteenDigits = new("[0-9]{16}");

    // A unique campaign name puts a unique token in every subject, so the test finds its own mail on a shared server.
    private static (MailComposer Composer, string Token) UniqueComposer()
    {
        var token = "T" + Guid.NewGuid().ToString("N")[..10];
        return (new MailComposer(new MailContext($"Sarolangun 2024 {token}", "Kabupaten Sarolangun", "Tim Koordinator Kabupaten Sarolangun")), token);
    }

    private static IReadOnlyList<string> Addresses(JsonElement mail, string field) =>
        mail.TryGetProperty(field, out var list) ? [.. list.EnumerateArray().Select(a => a.GetProperty("address").GetString()!)] : [];

    [Fact]
    public async Task Sends_a_rejection_with_Indonesian_subject_both_parts_and_no_NIK()
    {
        var maildev = Maildev.FromEnvironment();
        var (composer, token) = UniqueComposer();
        var village = new VillageRef("15.03.01.2001", "Tambak Ratu – Hulu", "Batang Asai");
        var content = composer.Compose(new BatchRejectedMail(village, "b-9", "data.xlsx", $"NIK {Nik} tercatat dua kali",
            2, 3, ["Baris 4: NIK 150301******0001 sudah terdaftar di Desa Bernai", "Baris 7: format NIK salah"], 2,
            "https://ucj.example/reports/b-9.html"));
        var mail = content.ToMail("b-9:rejected", [$"pic-{token}@desa.example"], [$"koord-{token}@kab.example"]);
        var mailer = new SmtpMailer(new MailSettings { Host = maildev.SmtpHost, Port = maildev.SmtpPort, StartTls = false, From = "UcjFlow Sarolangun <ucjflow@sarolangunkab.go.id>" });

        Assert.Equal(MailOutcome.Sent, await mailer.SendAsync(mail, CancellationToken.None));

        var received = await maildev.WaitForAsync(token);
        Assert.Equal(mail.Subject, received.GetProperty("subject").GetString());
        Assert.Contains("Berkas ditolak: Desa Tambak Ratu – Hulu", received.GetProperty("subject").GetString());
        Assert.Equal([$"pic-{token}@desa.example"], Addresses(received, "to"));
        Assert.Equal([$"koord-{token}@kab.example"], Addresses(received, "cc"));
        Assert.Equal(["ucjflow@sarolangunkab.go.id"], Addresses(received, "from"));

        var text = received.GetProperty("text").GetString()!;
        var html = received.GetProperty("html").GetString()!;
        Assert.Contains("Yth. Operator Desa Tambak Ratu – Hulu,", text);
        Assert.Contains("Alasan: NIK 150301******0001 tercatat dua kali", text);
        Assert.Contains("href=\"https://ucj.example/reports/b-9.html\"", html);
        Assert.Contains("<li>Baris 4: NIK 150301******0001 sudah terdaftar di Desa Bernai</li>", html);
        Assert.DoesNotMatch(SixteenDigits, text);
        Assert.DoesNotMatch(SixteenDigits, html);
        Assert.DoesNotMatch(SixteenDigits, received.GetProperty("subject").GetString()!);
        Assert.Matches(@"^<?b-9-rejected\.[0-9a-f]{16}@sarolangunkab\.go\.id>?$", received.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task An_outbox_eml_relayed_as_is_reads_the_same_in_another_mail_parser()
    {
        var maildev = Maildev.FromEnvironment();
        var (composer, token) = UniqueComposer();
        var summary = composer.Compose(new DailySummaryMail(new DateTimeOffset(2024, 10, 23, 0, 0, 0, TimeSpan.Zero),
            112_644, 64_709, 0, 1_500, 57.4456m, 65m, 8_510, 8_510 * 201_600m, 13_045_334_400m, 158, 150, "https://ucj.example/coverage"));
        var mail = summary.ToMail("c-1:summary:2024-10-23", [$"bupati-{token}@kab.example"], [$"koord-{token}@kab.example"]);
        var folder = Path.Combine(Path.GetTempPath(), "ucj-outbox-relay-" + Guid.NewGuid().ToString("N"));
        try
        {
            var outbox = new OutboxMailer(folder, "ucjflow@sarolangunkab.go.id", new MailTestClock(new DateTimeOffset(2024, 10, 23, 0, 0, 0, TimeSpan.Zero)));
            await outbox.SendAsync(mail, CancellationToken.None);
            var bytes = await File.ReadAllBytesAsync(outbox.FindFile(mail.Key)!);

            await maildev.RelayAsync(bytes, "ucjflow@sarolangunkab.go.id", [.. mail.To, .. mail.Cc]);

            var received = await maildev.WaitForAsync(token);
            Assert.Equal(mail.Subject, received.GetProperty("subject").GetString());
            Assert.Contains("Ringkasan cakupan 23 Oktober 2024: 57,45% (target 65,00%)", mail.Subject);
            Assert.Equal([$"bupati-{token}@kab.example"], Addresses(received, "to"));
            Assert.Equal([$"koord-{token}@kab.example"], Addresses(received, "cc"));
            Assert.Equal(mail.PlainText.TrimEnd(), received.GetProperty("text").GetString()!.Replace("\r\n", "\n").TrimEnd());
            // maildev rewrites HTML markup (<meta/>), so the HTML part is checked by content.
            var html = received.GetProperty("html").GetString()!;
            Assert.Contains("<td>57,45% (target 65,00%)</td>", html);
            Assert.Contains("href=\"https://ucj.example/coverage\"", html);
            Assert.Contains("Rp 13.045.334.400", received.GetProperty("text").GetString());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task With_StartTls_a_server_without_TLS_is_refused_rather_than_used_in_clear_text()
    {
        var maildev = Maildev.FromEnvironment(); // maildev offers no STARTTLS
        var (composer, token) = UniqueComposer();
        var mail = composer.Compose(new BatchResultMail(new VillageRef("15.03.01.2001", "Tambak Ratu"), "b-10", "a.xlsx", DateTimeOffset.UnixEpoch, 1, 1, 0, 0, [], 0, []))
            .ToMail("b-10:received", [$"pic-{token}@desa.example"]);
        var mailer = new SmtpMailer(new MailSettings { Host = maildev.SmtpHost, Port = maildev.SmtpPort, StartTls = true, User = "ucj", Password = "secret" });

        Assert.Equal(MailFailureKind.StartTlsNotOffered, (await Assert.ThrowsAsync<MailDeliveryException>(() => mailer.SendAsync(mail, CancellationToken.None))).Failure.Kind);
    }

    [Fact]
    public async Task A_server_that_never_answers_ends_in_a_timeout_not_a_hang()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var mailer = new SmtpMailer(new MailSettings { Host = "127.0.0.1", Port = port, StartTls = false, Timeout = TimeSpan.FromMilliseconds(500) });
        var mail = new OutgoingMail("t:1", ["a@example.org"], [], "Uji", "isi", "<p>isi</p>");

        // The hang guard cancels (OperationCanceledException), so only the mailer's own timeout is a TimeoutException.
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var e = await Assert.ThrowsAsync<TimeoutException>(() => mailer.SendAsync(mail, CancellationToken.None).WaitAsync(hang.Token));
        Assert.Contains("t:1", e.Message);
    }
}
