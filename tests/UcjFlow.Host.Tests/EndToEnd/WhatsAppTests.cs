using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UcjFlow.Adapters.Mail;
using UcjFlow.Adapters.Notify;
using UcjFlow.App.Api;
using UcjFlow.App.Hosting;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// Issue 9.3: village messages reach the PIC's phone. Against a gateway the test starts on 127.0.0.1 (<see cref="GatewayStub"/>):
/// retried with the same key until it goes through, one delivery per message; a gateway that keeps failing is shown to
/// the coordinators and sent once when it is back. In Chromium at 390×844: the WhatsApp buttons open wa.me with the text.
/// </summary>
public sealed class WhatsAppTests
{
    const string Village = "15.03.01.2001"; // picPhone 0812-7400-2001 in the sample campaign
    const string Phone = "+6281274002001";
    const string GatewayToken = "gateway-token-test-0001";
    const string RegencyCoordinatorToken = "token-koordinator-kabupaten";

    [Fact]
    public async Task Each_village_message_reaches_the_gateway_once_with_its_key_after_a_failed_first_attempt()
    {
        using var gateway = new GatewayStub(n => n == 1 ? 503 : 200);
        using var folder = new TempFolder();
        await using var app = await InProcessApp.StartAsync(folder.Path, configure: s => s with
        {
            Gateway = new GatewaySettings { Url = gateway.Url, Token = GatewayToken, FirstRetryDelay = TimeSpan.FromMilliseconds(20) },
        });
        var (name, content) = RosterGenerator.Csv(app.Campaign.Village(Village)!, 31, 8);
        var batchId = (await app.UploadAsync(Village, name, content)).BatchId;
        await app.WaitForBatchAsync(batchId, b => b.Status == BatchStatus.AwaitingApproval, TimeSpan.FromSeconds(30));
        await Delivered(gateway, $"{batchId}:Received");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await app.DecideAsync(batchId, approve: true)).StatusCode);
        await app.WaitForBatchAsync(batchId, InProcessApp.Decided, TimeSpan.FromSeconds(30));
        await Delivered(gateway, $"{batchId}:Approved");
        await app.SettleAsync(TimeSpan.FromSeconds(30));

        var requests = gateway.Requests;
        // Only the village's messages go to its phone: not the coordinators' "approval needed".
        Assert.Equal([$"{batchId}:Received", $"{batchId}:Approved"], requests.Select(r => r.Key).Distinct());
        // The first attempt got 503; Polly retried with the same key; each message went through exactly once.
        Assert.Equal([503, 200], requests.Where(r => r.Key == $"{batchId}:Received").Select(r => r.Status));
        Assert.Equal([200], requests.Where(r => r.Key == $"{batchId}:Approved").Select(r => r.Status));
        Assert.All(requests, r => Assert.Equal((Phone, $"Bearer {GatewayToken}"), (r.Phone, r.Authorization)));

        // The text is the one the coordinators' page offers by WhatsApp: the same words as the mail, with its link.
        var messages = await app.Http.GetFromJsonAsync($"api/batches/{batchId}/messages", ApiJsonContext.Default.IReadOnlyListVillageMessageView) ?? [];
        Assert.Equal(["Received", "Approved"], messages.Select(m => m.Kind));
        foreach (var m in messages)
            Assert.Equal(WithoutTokens(m.Text), WithoutTokens(requests.Last(r => r.Key == m.Key).Text));
        Assert.Contains($"Lihat status berkas: {app.BaseAddress}batches/{batchId}", messages[0].Text);
        Assert.Contains($"Laporan pemeriksaan: {app.BaseAddress}reports/batches/{batchId}/", messages[1].Text);
        Assert.Empty((await app.Http.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!.MailProblems);
    }

    [Fact]
    public async Task A_gateway_that_keeps_failing_is_shown_to_coordinators_and_the_text_goes_once_when_it_is_back_and_the_buttons_open_WhatsApp_at_390px()
    {
        using var gateway = new GatewayStub(_ => 500);
        using var folder = new TempFolder();
        var clock = new ManualClock(DemoCommand.Start);
        await using var app = await InProcessApp.StartAsync(folder.Path, clock, s => s with
        {
            Gateway = new GatewaySettings { Url = gateway.Url, Token = GatewayToken, MaxRetries = 2, FirstRetryDelay = TimeSpan.FromMilliseconds(20) },
            CoordinatorTokens = new Dictionary<string, string>(s.CoordinatorTokens) { ["regency"] = RegencyCoordinatorToken },
            CoordinatorRegencies = new Dictionary<string, string> { ["regency"] = "15.03" },
        });
        var (name, content) = RosterGenerator.Csv(app.Campaign.Village(Village)!, 32, 8);
        var batchId = (await app.UploadAsync(Village, name, content)).BatchId;
        var key = $"{batchId}:Received";

        var problem = (await Poll.UntilAsync(async () =>
            (await app.Http.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!.MailProblems.FirstOrDefault(p => p.Channel == "text"),
            "the undelivered text on the batch list"));
        Assert.Equal((key, 1), (problem.Key, problem.Attempts));
        Assert.Equal([Phone], problem.Recipients);
        // The queue holds every regency's PIC phones: a coordinator scoped to a regency sees the batches, not the queue.
        using (var scoped = new HttpClient { BaseAddress = app.BaseAddress })
        {
            scoped.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", RegencyCoordinatorToken);
            var seen = (await scoped.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!;
            Assert.Equal([batchId], seen.Batches.Select(b => b.BatchId));
            Assert.Empty(seen.MailProblems);
        }
        Assert.Equal("Gateway WhatsApp/SMS tidak dapat dihubungi atau sedang gangguan (HTTP 500 Internal Server Error; periksa UcjFlow:Notify:Gateway:Url).", problem.Reason);
        // One send: the first attempt and MaxRetries retries, all with the message's key.
        Assert.Equal(Enumerable.Repeat((key, 500), 3), gateway.Requests.Select(r => (r.Key, r.Status)));
        // The workflow went on: the batch waits for its decision as usual.
        Assert.Equal(BatchStatus.AwaitingApproval, (await app.GetBatchAsync(batchId)).Status);

        using (var playwright = await Playwright.CreateAsync())
        await using (var browser = await BrowserTests.LaunchAsync(playwright))
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
            page.SetDefaultTimeout(30_000);
            await BrowserTests.SignInAsync(page, app.BaseAddress, app.CoordinatorToken);

            // The kept text, for the coordinators, in Indonesian.
            var problems = page.GetByTestId("mail-problems");
            await Assertions.Expect(problems).ToContainTextAsync("Pesan WhatsApp/SMS");
            await Assertions.Expect(problems).ToContainTextAsync("Gateway WhatsApp/SMS tidak dapat dihubungi");

            // The late villages: one WhatsApp button per village, its reminder, to the PIC's phone when known.
            var withPhone = page.GetByTestId("wa-late-15.03.01.2002");
            var href = await withPhone.GetAttributeAsync("href");
            Assert.StartsWith("https://wa.me/6281366002002?text=", href);
            var reminder = Uri.UnescapeDataString(href!["https://wa.me/6281366002002?text=".Length..]);
            Assert.StartsWith("*Pengingat: batas pengumpulan data 22 Oktober 2024", reminder);
            Assert.Contains("Yth. Operator Desa Sungai Keradak,", reminder);
            Assert.Contains($"Unggah data peserta: {app.BaseAddress}upload/15.03.01.2002", reminder);
            Assert.StartsWith("https://wa.me/?text=", await page.GetByTestId("wa-late-15.03.01.2003").GetAttributeAsync("href"));
            await Assertions.Expect(page.Locator($"tr[data-village='{Village}']")).ToContainTextAsync("Menunggu persetujuan");

            // The batch page: the village's result message, by WhatsApp to its PIC.
            await page.GotoAsync($"{app.BaseAddress}batches/{batchId}");
            var result = page.GetByTestId("wa-Received");
            await Assertions.Expect(result).ToBeVisibleAsync();
            var expected = (await app.Http.GetFromJsonAsync($"api/batches/{batchId}/messages", ApiJsonContext.Default.IReadOnlyListVillageMessageView))!
                .Single(m => m.Kind == "Received").Text;
            Assert.Equal($"https://wa.me/6281274002001?text={Uri.EscapeDataString(expected)}", await result.GetAttributeAsync("href"));
            Assert.StartsWith("*Hasil pemeriksaan: Desa Tambak Ratu", expected);
            Assert.Contains($"Lihat status berkas: {app.BaseAddress}batches/{batchId}", expected);
            Assert.Equal(WithoutTokens(gateway.Requests[0].Text), WithoutTokens(expected)); // what the gateway was asked to send
        }

        // The gateway is back: the upkeep sends the kept text once, and the problem is gone.
        gateway.Answer = _ => 200;
        clock.Advance(PendingMailer.FirstBackoff);
        await app.App.Services.GetRequiredService<WorkflowUpkeep>().RunAsync(app.Durable, CancellationToken.None);
        await app.App.Services.GetRequiredService<WorkflowUpkeep>().RunAsync(app.Durable, CancellationToken.None);
        Assert.Single(gateway.Requests, r => r.Key == key && r.Status == 200);
        Assert.DoesNotContain((await app.Http.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!.MailProblems, p => p.Channel == "text");
    }

    static Task<GatewayStub.Received> Delivered(GatewayStub gateway, string key) =>
        Poll.UntilAsync(() => Task.FromResult(gateway.Requests.FirstOrDefault(r => r.Key == key && r.Status == 200)), $"text {key} delivered");

    /// <summary>The text with each link's signed token blanked: a link signed later carries a later expiry, the words are the same.</summary>
    static string WithoutTokens(string text) => System.Text.RegularExpressions.Regex.Replace(text, "token=[A-Za-z0-9_%.-]+", "token=…");
}
