using UcjFlow.Adapters.Mail;
using UcjFlow.Core.Mail;
using UcjFlow.Embedded.Storage;

namespace UcjFlow.Embedded.Tests.Mail;

/// <summary>Against the real STARTTLS + AUTH server that .ci/run starts (see <see cref="SmtpTlsServer"/>), with its throwaway CA.</summary>
public sealed class SmtpTlsMailerTests : IDisposable
{
    readonly SmtpTlsServer _server = SmtpTlsServer.FromEnvironment();
    readonly string _token = "T" + Guid.NewGuid().ToString("N")[..10];
    readonly string _blobs = Path.Combine(Path.GetTempPath(), "ucj-pending-mail-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_blobs)) Directory.Delete(_blobs, recursive: true);
    }

    MailSettings Settings(string? password = null) => new()
    {
        Host = _server.Host, Port = _server.Port, StartTls = true, User = _server.User, Password = password ?? _server.Password,
        CaCertificate = _server.CaFile, From = "UcjFlow Sarolangun <ucjflow@sarolangunkab.go.id>", Timeout = TimeSpan.FromSeconds(10),
    };

    OutgoingMail Mail(string key, params string[] to) =>
        new(key, to.Length > 0 ? to : ["pic@desa.example"], ["koord@kab.example"], $"Berkas diterima {_token}", "Isi surat.\nBaris dua.", "<p>Isi surat.</p>");

    [Fact]
    public async Task Sends_over_STARTTLS_after_logging_in_and_the_message_arrives_whole()
    {
        var mailer = new SmtpMailer(Settings());

        Assert.Equal(MailOutcome.Sent, await mailer.SendAsync(Mail("b-1:received"), CancellationToken.None));

        // The server writes the message before it answers 250, so it is there once SendAsync returns.
        var message = Assert.Single(_server.Received(_token));
        Assert.Equal($"Berkas diterima {_token}", message.Subject);
        Assert.Equal(["pic@desa.example"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["koord@kab.example"], message.Cc.Mailboxes.Select(m => m.Address));
        Assert.Matches(@"^b-1-received\.[0-9a-f]{16}@sarolangunkab\.go\.id$", message.MessageId);
        Assert.Equal("b-1:received", message.Headers["X-UcjFlow-Key"]);
        Assert.Equal("Isi surat.\nBaris dua.", message.TextBody!.Replace("\r\n", "\n").TrimEnd());
        Assert.Contains("<p>Isi surat.</p>", message.HtmlBody);
        Assert.Contains($"tls {_server.User} ok tls", _server.LoginAttempts());
    }

    [Fact]
    public async Task The_test_CA_is_trusted_only_when_configured()
    {
        var mailer = new SmtpMailer(Settings() with { CaCertificate = null });

        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => mailer.SendAsync(Mail("b-2:received"), CancellationToken.None));

        Assert.Equal(MailFailureKind.CertificateUntrusted, e.Failure.Kind);
        Assert.Contains("Sertifikat server email tidak dipercaya", e.Failure.Indonesian);
    }

    [Fact]
    public async Task A_refused_recipient_is_reported_with_its_address_and_kept_pending()
    {
        var smtp = new SmtpMailer(Settings());
        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => smtp.SendAsync(Mail("b-3:approved", "refused@desa.example"), CancellationToken.None));
        Assert.Equal(MailFailureKind.RecipientRefused, e.Failure.Kind);
        Assert.Equal("refused@desa.example", e.Failure.Recipient);
        Assert.StartsWith("550 ", e.Failure.Detail);

        var clock = new MailTestClock(new DateTimeOffset(2024, 10, 1, 1, 0, 0, TimeSpan.Zero));
        var pending = new PendingMailer(smtp, new FolderBlobStore(_blobs), clock);
        Assert.Equal(MailOutcome.Pending, await pending.SendAsync(Mail("b-3:approved", "refused@desa.example"), CancellationToken.None));
        var kept = Assert.Single(await pending.ListAsync());
        Assert.Equal("Server email menolak alamat penerima refused@desa.example: perbaiki alamat tersebut di berkas kampanye.", kept.Failure.Indonesian);
        Assert.Empty(_server.Received(_token));
    }

    [Fact]
    public async Task A_wrong_password_is_reported_retried_with_backoff_and_sent_once_when_fixed()
    {
        var clock = new MailTestClock(new DateTimeOffset(2024, 10, 1, 1, 0, 0, TimeSpan.Zero));
        var blobs = new FolderBlobStore(_blobs);
        var broken = new PendingMailer(new SmtpMailer(Settings(password: "wrong-" + _token)), blobs, clock);
        var mail = Mail("b-4:approval-needed");
        var refused = $"tls {_server.User} refused tls";
        var refusedBefore = _server.LoginAttempts().Count(l => l == refused);

        int Refusals() => _server.LoginAttempts().Count(l => l == refused);

        Assert.Equal(MailOutcome.Pending, await broken.SendAsync(mail, CancellationToken.None));
        var afterFirst = Refusals();
        Assert.True(afterFirst > refusedBefore, "the first attempt logged in and was refused");
        var first = Assert.Single(await broken.ListAsync());
        Assert.Equal(MailFailureKind.LoginRefused, first.Failure.Kind);
        Assert.Contains("menolak nama pengguna atau kata sandi", first.Failure.Indonesian);
        Assert.Equal(clock.Now + TimeSpan.FromMinutes(1), first.NextAttemptAt);

        Assert.Equal((0, 1), await broken.ResendDueAsync()); // not due yet
        Assert.Equal(afterFirst, Refusals());
        clock.Now += TimeSpan.FromMinutes(1);
        Assert.Equal((0, 1), await broken.ResendDueAsync()); // due, fails again: the wait doubles
        var second = Assert.Single(await broken.ListAsync());
        Assert.Equal(2, second.Attempts);
        Assert.Equal(clock.Now + TimeSpan.FromMinutes(2), second.NextAttemptAt);
        Assert.True(Refusals() > afterFirst, "the due resend logged in again");

        // The password is fixed (a new host start reads the same blob store): the replayed activity leaves the mail to
        // the queue, the next due resend delivers it once and forgets it.
        var fixedMailer = new PendingMailer(new SmtpMailer(Settings()), blobs, clock);
        Assert.Equal(MailOutcome.Pending, await fixedMailer.SendAsync(mail, CancellationToken.None));
        Assert.Empty(_server.Received(_token));
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal((1, 0), await fixedMailer.ResendDueAsync());
        Assert.Single(_server.Received(_token));
        Assert.Empty(await fixedMailer.ListAsync());
        Assert.Equal((0, 0), await fixedMailer.ResendDueAsync());
        Assert.Single(_server.Received(_token));
    }

    [Fact]
    public async Task No_login_goes_over_a_connection_without_TLS()
    {
        var probe = "probe-" + _token;
        var mailer = new SmtpMailer(Settings() with { Port = _server.PlainPort, StartTls = false, User = probe });

        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => mailer.SendAsync(Mail("b-5:received"), CancellationToken.None));

        Assert.Equal(MailFailureKind.LoginNeedsTls, e.Failure.Kind);
        // The send is over (the connection closed), and the server logs a login before it answers one.
        Assert.DoesNotContain(_server.LoginAttempts(), l => l.Contains(probe, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_StartTls_a_server_that_does_not_offer_it_is_not_used()
    {
        var probe = "probe-" + _token;
        var mailer = new SmtpMailer(Settings() with { Port = _server.PlainPort, User = probe });

        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => mailer.SendAsync(Mail("b-6:received"), CancellationToken.None));

        Assert.Equal(MailFailureKind.StartTlsNotOffered, e.Failure.Kind);
        Assert.DoesNotContain(_server.LoginAttempts(), l => l.Contains(probe, StringComparison.Ordinal));
        Assert.Empty(_server.Received(_token));
    }
}
