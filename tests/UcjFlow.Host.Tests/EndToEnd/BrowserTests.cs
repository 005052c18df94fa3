using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// The web page in Debian's Chromium: a village uploads its roster, a coordinator sees what approving costs, confirms, and
/// can revoke the approval with a reason; the batch's audit trail is on the page.
/// </summary>
public sealed class BrowserTests
{
    [Fact]
    public async Task Village_uploads_and_coordinator_approves_through_the_web_page()
    {
        using var folder = new TempFolder();
        const string villageToken = "token-desa-browser";
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), configure: s => s with
        {
            VillageTokens = new Dictionary<string, string> { ["15.03.01.2002"] = villageToken },
        });
        var village = app.Campaign.Village("15.03.01.2002")!;
        var (name, content) = RosterGenerator.Csv(village, 70, 15);
        var file = Path.Combine(folder.Path, name);
        await File.WriteAllBytesAsync(file, content);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        // The village PIC: token, upload, lands on the batch page.
        await SignInAsync(page, app.BaseAddress, villageToken);
        await Assertions.Expect(page.GetByTestId("who")).ToContainTextAsync("Sungai Keradak");
        await Assertions.Expect(page.GetByTestId("village")).ToHaveValueAsync(village.Code);
        await page.GetByTestId("file").SetInputFilesAsync(file);
        await page.GetByTestId("upload").ClickAsync();
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveTextAsync("Menunggu persetujuan");
        await Assertions.Expect(page.GetByTestId("approve")).Not.ToBeVisibleAsync(); // a village cannot decide
        var batchId = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath.Split('/')[2]);

        // The coordinator: same page, coordinator token, approve.
        await page.GetByTestId("token").FillAsync(app.CoordinatorToken);
        await page.GetByTestId("save-token").ClickAsync();
        await Assertions.Expect(page.GetByTestId("approve")).ToBeVisibleAsync();
        // Approving asks first, with people × rupiah for the funded months (the sample: Rp 16.800 a month, 12 months).
        await page.GetByTestId("approve").ClickAsync();
        await Assertions.Expect(page.GetByTestId("approve-cost")).ToHaveTextAsync(
            "Menyetujui batch ini mendaftarkan 15 orang × Rp 201.600 (iuran 12 bulan) = Rp 3.024.000. Lanjutkan?");
        await page.GetByTestId("cancel-approve").ClickAsync();
        await Assertions.Expect(page.GetByTestId("approve-box")).Not.ToBeVisibleAsync();
        Assert.Equal(BatchStatus.AwaitingApproval, (await app.GetBatchAsync(batchId)).Status); // nothing was decided
        await page.GetByTestId("approve").ClickAsync();
        await page.GetByTestId("confirm-approve").ClickAsync();
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveTextAsync("Disetujui");

        var batch = await app.GetBatchAsync(batchId);
        Assert.Equal(BatchStatus.Approved, batch.Status);
        Assert.Equal(15, batch.Decision!.Enrolled);
        Assert.Equal(InProcessApp.CoordinatorName, batch.Decision.DecidedBy);

        // Revoke with a reason once the approval's intake is done: the page says Dicabut and lists both acts.
        await app.Durable.WaitForInstanceCompletionAsync(batchId, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await page.ReloadAsync();
        await page.GetByTestId("revoke").ClickAsync();
        await page.GetByTestId("confirm-revoke").ClickAsync();
        await Assertions.Expect(page.GetByTestId("message")).ToHaveTextAsync("Alasan pencabutan wajib diisi.");
        await page.GetByTestId("revoke-reason").FillAsync("Salah desa");
        await page.GetByTestId("confirm-revoke").ClickAsync();
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveTextAsync("Dicabut");
        await Assertions.Expect(page.GetByTestId("revoke")).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("audit").Locator("li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("audit").Locator("li[data-action=Revoke]")).ToContainTextAsync(
            "Persetujuan dicabut oleh " + InProcessApp.CoordinatorName);
        Assert.Equal(BatchStatus.Revoked, (await app.GetBatchAsync(batchId)).Status);
    }

    [Fact]
    public async Task A_mailed_approval_link_opens_the_batch_without_a_token_paste_and_keeps_its_token_out_of_the_address_bar()
    {
        using var folder = new TempFolder();
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"));
        var village = app.Campaign.Village("15.03.01.2002")!;
        var (name, content) = RosterGenerator.Csv(village, 90, 6);
        var batchId = (await app.UploadAsync(village.Code, name, content)).BatchId;
        await app.WaitForBatchAsync(batchId, b => b.Status == BatchStatus.AwaitingApproval, TimeSpan.FromSeconds(30));
        var signer = app.App.Services.GetRequiredService<UcjFlow.Core.Security.ApprovalLinkSigner>();
        var link = new UcjFlow.Workflow.WorkflowLinks(app.BaseAddress.ToString()).BatchPage(batchId, signer.CreateToken(batchId, DateTimeOffset.UtcNow.AddDays(1)));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        await page.GotoAsync(link);

        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveTextAsync("Menunggu persetujuan");
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        await page.GetByTestId("approve").ClickAsync();
        await page.GetByTestId("confirm-approve").ClickAsync();
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveTextAsync("Disetujui");

        Assert.Equal(UcjFlow.App.Security.Access.ApprovalLinkName, (await app.GetBatchAsync(batchId)).Decision!.DecidedBy);
        // Only the mailed URL itself carried the token; the page's own calls sent it as a header.
        Assert.Equal([link], requests.Where(u => u.Contains("token=", StringComparison.Ordinal)));
    }

    /// <summary>Opens the page at <paramref name="baseAddress"/> and saves <paramref name="token"/> as its token.</summary>
    internal static async Task SignInAsync(IPage page, Uri baseAddress, string token)
    {
        await page.GotoAsync(baseAddress.ToString());
        await page.GetByTestId("token").FillAsync(token);
        await page.GetByTestId("save-token").ClickAsync();
    }

    /// <summary>Debian's Chromium (UCJ_TEST_CHROMIUM), never a downloaded one.</summary>
    internal static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var chromium = Environment.GetEnvironmentVariable("UCJ_TEST_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium not found at {chromium}: set UCJ_TEST_CHROMIUM (run the tests through .ci/run).");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
