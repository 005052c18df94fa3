using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using UcjFlow.App.Api;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// Issue 9.2 and 9.6 through the whole local app and a real SMTP server (maildev): the village reads its validation result
/// in a mail as soon as validation ends and on its batch page (the same lines: row, name, column, what to do; no rule
/// code, no doubled "Baris N, kolom X:"); a village without a PIC address has its result sent to the coordinators to forward.
/// </summary>
public sealed class AnswerTests
{
    const string VillageToken = "token-desa-tambak-ratu";
    static readonly Regex RuleCode = new(@"\b[A-Z]{2,}_[A-Z_]{2,}\b");
    static readonly Regex DoubledPrefix = new(@"Baris \d+[^\n]*Baris \d+, kolom");

    [Fact]
    public async Task The_village_reads_its_result_in_its_mail_and_on_its_batch_page_before_any_decision()
    {
        var maildev = Maildev.FromEnvironment();
        using var folder = new TempFolder();
        var campaign = TestCampaign.Write(folder.Path);
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), configure: s => s with
        {
            CampaignFile = campaign.Path,
            Mail = maildev.Settings,
            VillageTokens = new Dictionary<string, string> { ["15.03.01.2001"] = VillageToken },
        });
        var tambak = app.Campaign.Village("15.03.01.2001")!;
        var (name, content) = RosterGenerator.Csv(tambak, 60, 20, RosterFlavor.Errors);
        var up = await app.UploadAsync(tambak.Code, name, content);
        var batch = await app.WaitForBatchAsync(up.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        Assert.Equal(BatchStatus.AwaitingApproval, batch.Status);
        Assert.True(batch.Counts.Rejected > 0);

        var mail = await maildev.WaitForAsync(campaign.Run, m => m.To.Contains(campaign.Pic(tambak.Code)) && m.Subject.Contains("Hasil pemeriksaan"), "the result mail");
        Assert.Contains($"{batch.Counts.Valid} baris valid, {batch.Counts.Rejected} baris perlu diperbaiki", mail.Subject);
        Assert.Contains("selesai diperiksa secara otomatis", mail.Text);

        // The batch page's answer, for the village's own token: the same lines the mail lists.
        using var village = new HttpClient { BaseAddress = app.BaseAddress };
        village.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VillageToken);
        var answer = (await village.GetFromJsonAsync($"api/batches/{up.BatchId}/result", ApiJsonContext.Default.BatchResultView))!;
        Assert.Equal((BatchStatus.AwaitingApproval, batch.Counts), (answer.Status, answer.Counts));
        Assert.Equal(batch.Counts.Rejected, answer.ProblemCount); // one error per rejected row in this roster
        Assert.Contains(answer.Problems, l => Regex.IsMatch(l, @"^Baris \d+ \([^)]+\), kolom NIK: NIK harus 16 digit angka, tertulis 15 digit"));
        Assert.All(answer.Problems.Take(20), line => Assert.Contains(line, mail.Text));
        foreach (var text in answer.Problems.Append(mail.Text).Append(mail.Html))
        {
            Assert.DoesNotMatch(RuleCode, text);
            Assert.DoesNotMatch(DoubledPrefix, text);
        }
        Assert.DoesNotContain(await maildev.MailsAsync(campaign.Run), m => m.Subject.Contains("Berkas ditolak") || m.Subject.Contains("Berkas disetujui"));

        // A village without a PIC address: the coordinators get its result to pass on.
        var noAddress = app.Campaign.Villages.First(v => v.PicEmail is null);
        var (n2, c2) = RosterGenerator.Csv(noAddress, 61, 5);
        var other = await app.UploadAsync(noAddress.Code, n2, c2);
        await app.WaitForBatchAsync(other.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));
        var forwarded = await maildev.WaitForAsync(campaign.Run, m => m.To.Contains(campaign.Coordinator) && m.Subject.Contains("Untuk diteruskan"), "the forwarded result");
        Assert.Contains($"{noAddress.Name}: Hasil pemeriksaan", forwarded.Subject);
        Assert.Contains("tidak memiliki alamat email PIC", forwarded.Text);
    }
}
