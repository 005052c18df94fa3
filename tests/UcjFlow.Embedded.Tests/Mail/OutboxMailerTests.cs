using System.Text.RegularExpressions;
using UcjFlow.Core.Mail;
using UcjFlow.Adapters.Mail;
using UcjFlow.Embedded.Mail;

namespace UcjFlow.Embedded.Tests.Mail;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class MailTestClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
}

public sealed class OutboxMailerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ucj-outbox-" + Guid.NewGuid().ToString("N"));
    // 00:30 UTC = 07:30 WIB on 22 October 2024.
    private readonly MailTestClock _clock = new(new DateTimeOffset(2024, 10, 22, 0, 30, 15, 123, TimeSpan.Zero));

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("KEEP_OUTBOX") is null && Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private OutboxMailer Mailer() => new(_folder, "Tim Koordinator Sarolangun – Disnakertrans <ucjflow@sarolangunkab.go.id>", _clock);

    private static OutgoingMail ApprovalMail(string key = "b-7f3a:approval")
    {
        var composer = new MailComposer(new MailContext("Sarolangun 2024 P-APBD", "Kabupaten Sarolangun", "Tim Koordinator Kabupaten Sarolangun"));
        var batch = new PendingBatch(new VillageRef("15.03.01.2001", "Tambak Ratu – Ujung Tanjung", "Batang Asai"), "b-7f3a", "data peserta (revisi).xlsx",
            700, 650, 50, 12, 650 * 201_600m, new DateTimeOffset(2024, 10, 21, 3, 0, 0, TimeSpan.Zero));
        return composer.Compose(new ApprovalNeededMail(batch, "https://ucj.example/batches/b-7f3a?token=abc&exp=1"))
            .ToMail(key, ["koordinator1@sarolangunkab.go.id", "Kepala Dinas <kadis@sarolangunkab.go.id>"], ["arsip@sarolangunkab.go.id"]);
    }

    private string[] EmlFiles() => Directory.GetFiles(_folder, "*.eml").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Writes_a_multipart_alternative_eml_that_parses_back_to_the_same_mail()
    {
        var mail = ApprovalMail();
        Assert.Equal(MailOutcome.Sent, await Mailer().SendAsync(mail, CancellationToken.None));

        var file = Assert.Single(EmlFiles());
        Assert.Matches(@"^20241022T003015123Z_b-7f3a-approval_[0-9a-f]{16}\.eml$", Path.GetFileName(file));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));

        var eml = EmlReader.Parse(await File.ReadAllBytesAsync(file));
        Assert.Equal(mail.Subject, eml["Subject"]);
        Assert.Contains("Persetujuan diperlukan: Desa Tambak Ratu – Ujung Tanjung", eml["Subject"]);
        Assert.Equal("Tim Koordinator Sarolangun – Disnakertrans <ucjflow@sarolangunkab.go.id>", eml["From"]);
        Assert.Equal("koordinator1@sarolangunkab.go.id, Kepala Dinas <kadis@sarolangunkab.go.id>", eml["To"]);
        Assert.Equal("arsip@sarolangunkab.go.id", eml["Cc"]);
        Assert.Equal("Tue, 22 Oct 2024 07:30:15 +0700", eml["Date"]);
        Assert.Equal("1.0", eml["MIME-Version"]);
        Assert.Matches(@"^<b-7f3a-approval\.[0-9a-f]{16}@sarolangunkab\.go\.id>$", eml["Message-ID"]);
        Assert.Equal("b-7f3a:approval", eml["X-UcjFlow-Key"]);

        Assert.Collection(eml.Parts,
            plain =>
            {
                Assert.Equal("text/plain", plain.MediaType);
                Assert.Equal(mail.PlainText, plain.Text.Replace("\r\n", "\n"));
            },
            html =>
            {
                Assert.Equal("text/html", html.MediaType);
                Assert.Equal(mail.Html, html.Text.Replace("\r\n", "\n"));
                Assert.Contains("href=\"https://ucj.example/batches/b-7f3a?token=abc&amp;exp=1\"", html.Text);
            });
    }

    [Theory]
    [InlineData("ucjflow@localhost")]
    [InlineData("ucjflow@disnakertrans.sarolangunkab.go.id")]
    public async Task Every_header_line_fits_78_characters_whatever_the_key_and_sender_host(string from)
    {
        var mailer = new OutboxMailer(_folder, from, _clock);
        await mailer.SendAsync(ApprovalMail("1503012001-0123456789ab:reminder:3:a-rather-long-idempotency-key"), CancellationToken.None);

        var text = await File.ReadAllTextAsync(Assert.Single(EmlFiles()));
        var header = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.All(header.Split("\r\n"), line => Assert.True(line.Length <= 78, $"{line.Length} characters: {line}"));
        Assert.Contains("Message-ID: <", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_key_is_written_once_even_after_a_restart()
    {
        var first = Mailer();
        Assert.Equal(MailOutcome.Sent, await first.SendAsync(ApprovalMail("b-1:approved"), CancellationToken.None));
        _clock.Now += TimeSpan.FromMinutes(5);
        Assert.Equal(MailOutcome.AlreadySent, await first.SendAsync(ApprovalMail("b-1:approved"), CancellationToken.None));
        // A new process on the same folder (the retried activity after a crash) sees the file too.
        Assert.Equal(MailOutcome.AlreadySent, await Mailer().SendAsync(ApprovalMail("b-1:approved"), CancellationToken.None));
        // Keys that slug alike are still different keys.
        Assert.Equal(MailOutcome.Sent, await first.SendAsync(ApprovalMail("b-1/approved"), CancellationToken.None));

        Assert.Equal(2, EmlFiles().Length);
        Assert.NotNull(first.FindFile("b-1:approved"));
        Assert.NotEqual(first.FindFile("b-1:approved"), first.FindFile("b-1/approved"));
        Assert.Null(first.FindFile("b-1:rejected"));
    }

    [Fact]
    public async Task A_mailer_started_on_an_outbox_that_holds_mails_does_not_write_them_again()
    {
        Assert.Equal(MailOutcome.Sent, await Mailer().SendAsync(ApprovalMail("b-1:approved"), CancellationToken.None));
        // The outbox as a new process finds it after a restart: a folder this process never wrote to.
        var restarted = _folder + "-restarted";
        Directory.CreateDirectory(restarted);
        try
        {
            foreach (var file in EmlFiles()) File.Copy(file, Path.Combine(restarted, Path.GetFileName(file)));
            var mailer = new OutboxMailer(restarted, "ucjflow@sarolangunkab.go.id", _clock);
            Assert.Equal(MailOutcome.AlreadySent, await mailer.SendAsync(ApprovalMail("b-1:approved"), CancellationToken.None));
            Assert.Equal(MailOutcome.Sent, await mailer.SendAsync(ApprovalMail("b-1:rejected"), CancellationToken.None));
            Assert.Equal(2, Directory.GetFiles(restarted, "*.eml").Length);
        }
        finally
        {
            Directory.Delete(restarted, recursive: true);
        }
    }

    [Fact]
    public async Task A_mail_moved_out_of_the_outbox_no_longer_counts_as_sent()
    {
        var mailer = Mailer();
        Assert.Equal(MailOutcome.Sent, await mailer.SendAsync(ApprovalMail("b-1:approved"), CancellationToken.None));
        var sent = Assert.Single(EmlFiles());
        File.Delete(sent);
        _clock.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(MailOutcome.Sent, await mailer.SendAsync(ApprovalMail("b-1:approved"), CancellationToken.None));
        Assert.NotEqual(Path.GetFileName(sent), Path.GetFileName(Assert.Single(EmlFiles())));
    }

    [Fact]
    public async Task Concurrent_sends_of_one_key_write_one_file()
    {
        var mailer = Mailer();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => mailer.SendAsync(ApprovalMail("b-2:approval"), CancellationToken.None))));
        Assert.Equal(1, outcomes.Count(o => o == MailOutcome.Sent));
        Assert.Single(EmlFiles());
    }

    [Fact]
    public async Task File_names_sort_in_the_order_mails_were_written()
    {
        var mailer = Mailer();
        var keys = new[] { "z-last-alphabetically", "m-middle", "a-first-alphabetically" };
        foreach (var key in keys)
        {
            await mailer.SendAsync(ApprovalMail(key), CancellationToken.None);
            _clock.Now += TimeSpan.FromMilliseconds(1);
        }
        Assert.Equal(keys, EmlFiles().Select(f => Regex.Match(Path.GetFileName(f), "^[^_]+_(.+)_[0-9a-f]{16}\\.eml$").Groups[1].Value));
    }

    [Fact]
    public async Task Awkward_text_survives_quoted_printable_exactly()
    {
        var plain = string.Join("\n",
            "Baris dengan spasi di akhir   ",
            ".titik di awal baris",
            "sama dengan = dan =3D dan ==",
            new string('x', 200),
            string.Concat(Enumerable.Repeat("Rp 1.000 – ñ ü 中文 ", 12)),
            "\ttab di awal dan di akhir\t",
            "");
        var mail = new OutgoingMail("qp-edge", ["a@example.org"], [], "Ringkasan: 57,45% — ñ " + new string('é', 90), plain, "<p>" + plain + "</p>");
        await Mailer().SendAsync(mail, CancellationToken.None);

        var eml = EmlReader.Parse(await File.ReadAllBytesAsync(Assert.Single(EmlFiles())));
        Assert.Equal(mail.Subject, eml["Subject"]);
        Assert.Equal(plain, eml.Parts[0].Text.Replace("\r\n", "\n"));
        Assert.Equal(mail.Html, eml.Parts[1].Text.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task A_mail_without_recipients_is_refused()
    {
        var mail = ApprovalMail() with { To = [], Cc = [] };
        await Assert.ThrowsAsync<ArgumentException>(() => Mailer().SendAsync(mail, CancellationToken.None));
        Assert.False(Directory.Exists(_folder) && EmlFiles().Length > 0);
    }

    [Fact]
    public void Mail_settings_never_print_the_password()
    {
        var smtp = new MailSettings { Host = "smtp.example.org", User = "ucj", Password = "s3cret-pass" };
        Assert.DoesNotContain("s3cret-pass", smtp.ToString());
        Assert.Contains("smtp.example.org", smtp.ToString());
    }
}
