using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;
using UcjFlow.Adapters.Mail;
using UcjFlow.App.Api;
using UcjFlow.App.Hosting;
using UcjFlow.App.Settings;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// Against the STARTTLS + AUTH test server of .ci/run (UCJ_TEST_SMTP_TLS, see tests/smtp-tls-server): a refused login
/// holds up no batch, the coordinators see it in Indonesian on the batch list, and once the password is fixed the
/// upkeep delivers each kept mail once.
/// </summary>
public sealed class MailProblemsTests
{
    [Fact]
    public async Task A_refused_login_is_shown_to_coordinators_and_the_mail_goes_out_once_when_fixed()
    {
        var server = (Environment.GetEnvironmentVariable("UCJ_TEST_SMTP_TLS") ?? throw new InvalidOperationException(
                "UCJ_TEST_SMTP_TLS must describe the STARTTLS test server: run the tests through .ci/run."))
            .Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        MailSettings Mail(string password) => new()
        {
            Host = server["host"], Port = int.Parse(server["port"]), StartTls = true, User = server["user"], Password = password,
            CaCertificate = server["ca"], From = "UcjFlow Test <ucjflow@test.example.id>",
        };
        int Delivered(string key) => Directory.Exists(server["inbox"])
            ? Directory.GetFiles(server["inbox"], "*.eml").Count(f => MimeMessage.Load(f).Headers["X-UcjFlow-Key"] == key) : 0;

        using var folder = new TempFolder();
        var clock = new ManualClock(DemoCommand.Start);
        const string villageToken = "village-token-mail-problems-0001";
        UcjFlowSettings With(UcjFlowSettings s, string password) => s with
        {
            Mail = Mail(password),
            VillageTokens = new Dictionary<string, string> { ["15.03.01.2001"] = villageToken },
        };

        IReadOnlyList<MailProblemView> problems;
        Dictionary<string, int> before;
        await using (var app = await InProcessApp.StartAsync(folder.Path, clock, s => With(s, "wrong-password")))
        {
            var village = app.Campaign.Village("15.03.01.2001")!;
            var (name, content) = RosterGenerator.Csv(village, 21, 12);
            var batchId = (await app.UploadAsync(village.Code, name, content)).BatchId;

            // Received (to the PIC) and approval needed (to the coordinators): both kept, the batch waits as usual.
            problems = (await Poll.UntilAsync(async () =>
                await app.Http.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList) is { MailProblems.Count: 2 } list ? list : null,
                "two undelivered mails on the batch list")).MailProblems;
            Assert.Equal(BatchStatus.AwaitingApproval, (await app.GetBatchAsync(batchId)).Status);
            Assert.All(problems, p => Assert.StartsWith(batchId + ":", p.Key));
            Assert.All(problems, p => Assert.Equal("Server email menolak nama pengguna atau kata sandi (periksa UcjFlow:Mail:User dan Password).", p.Reason));
            Assert.All(problems, p => Assert.Equal(1, p.Attempts));

            // A village PIC sees its batches, not the coordinators' mail problems.
            using var asVillage = new HttpClient { BaseAddress = app.BaseAddress };
            asVillage.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", villageToken);
            var villageList = await asVillage.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList);
            Assert.Single(villageList!.Batches);
            Assert.Empty(villageList.MailProblems);
            before = problems.ToDictionary(p => p.Key, p => Delivered(p.Key));

            // The page: a coordinator sees both with the reason; the village PIC does not see the box.
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await BrowserTests.LaunchAsync(playwright);
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await BrowserTests.SignInAsync(page, app.BaseAddress, app.CoordinatorToken);
            var box = page.GetByTestId("mail-problems");
            await Assertions.Expect(box.Locator("li")).ToHaveCountAsync(2);
            await Assertions.Expect(box).ToBeVisibleAsync();
            await Assertions.Expect(box.Locator("li").First).ToContainTextAsync("Server email menolak nama pengguna atau kata sandi");
            await page.GetByTestId("token").FillAsync(villageToken);
            await page.GetByTestId("save-token").ClickAsync();
            await Assertions.Expect(page.GetByTestId("who")).ToContainTextAsync("operator");
            await Assertions.Expect(page.GetByTestId("batches").Locator("tbody tr")).ToHaveCountAsync(1);
            await Assertions.Expect(box).ToBeHiddenAsync();
        }

        // The operator fixes the password and restarts; the upkeep sends what is due, once.
        await using (var app = await InProcessApp.StartAsync(folder.Path, clock, s => With(s, server["password"])))
        {
            clock.Advance(PendingMailer.FirstBackoff);
            await app.App.Services.GetRequiredService<WorkflowUpkeep>().RunAsync(app.Durable, CancellationToken.None);
            await app.App.Services.GetRequiredService<WorkflowUpkeep>().RunAsync(app.Durable, CancellationToken.None);

            Assert.Empty((await app.Http.GetFromJsonAsync("api/batches", ApiJsonContext.Default.BatchList))!.MailProblems);
            Assert.All(problems, p => Assert.Equal(before[p.Key] + 1, Delivered(p.Key)));
        }
    }
}
