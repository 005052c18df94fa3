using Microsoft.Playwright;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// The coordinators' workbench in Debian's Chromium: bulk approval at desktop size, the batch page on a phone (issue 10.3).
/// Set UCJ_SCREENSHOTS to a folder to also write the coordinator pages' screenshots there (docs/screenshots/ in README).
/// </summary>
public sealed class WorkbenchBrowserTests
{
    [Fact]
    public async Task A_coordinator_searches_the_list_and_approves_the_selected_clean_batches_at_desktop_size()
    {
        using var folder = new TempFolder();
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"));
        var ids = new Dictionary<string, string>();
        foreach (var (code, index, flavor) in new[] { ("15.03.01.2001", 60, RosterFlavor.Clean), ("15.03.01.2002", 61, RosterFlavor.Clean), ("15.03.02.2005", 62, RosterFlavor.Warnings) })
        {
            var (name, content) = RosterGenerator.Csv(app.Campaign.Village(code)!, index, 5, flavor);
            ids[code] = (await app.UploadAsync(code, name, content)).BatchId;
        }
        foreach (var id in ids.Values) await app.WaitForBatchAsync(id, InProcessApp.Validated, TimeSpan.FromSeconds(60));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        page.SetDefaultTimeout(30_000);
        string? asked = null;
        page.Dialog += async (_, dialog) => { asked = dialog.Message; await dialog.AcceptAsync(); };
        await BrowserTests.SignInAsync(page, app.BaseAddress, app.CoordinatorToken);

        var rows = page.GetByTestId("batches").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        // Only the clean batches can be picked; the one with warnings is decided on its own page.
        await Assertions.Expect(page.GetByTestId("select-batch")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator($"tr[data-batch='{ids["15.03.02.2005"]}'] [data-testid=select-batch]")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "coordinator-list-desktop.png", page.GetByTestId("batch-search"));

        // The search goes to the server: one kecamatan's villages.
        await page.GetByTestId("batch-search").FillAsync("Limun");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("batch-page")).ToContainTextAsync("(1 batch)");
        await page.GetByTestId("batch-search").FillAsync("");
        await Assertions.Expect(rows).ToHaveCountAsync(3);

        foreach (var box in await page.GetByTestId("select-batch").AllAsync()) await box.CheckAsync();
        await Assertions.Expect(page.GetByTestId("approve-selected")).ToHaveTextAsync("Setujui yang dipilih (2)");
        await page.GetByTestId("approve-selected").ClickAsync();
        await Assertions.Expect(page.GetByTestId("bulk-outcomes").Locator("li[data-outcome=decided]")).ToHaveCountAsync(2);
        Assert.Equal("Setujui 2 batch yang dipilih?", asked);

        foreach (var code in new[] { "15.03.01.2001", "15.03.01.2002" })
        {
            var batch = await app.WaitForBatchAsync(ids[code], InProcessApp.Decided, TimeSpan.FromSeconds(60));
            Assert.Equal(BatchStatus.Approved, batch.Status);
            Assert.Equal(InProcessApp.CoordinatorName, batch.Decision!.DecidedBy);
        }
        Assert.Equal(BatchStatus.AwaitingApproval, (await app.GetBatchAsync(ids["15.03.02.2005"])).Status);
    }

    [Fact]
    public async Task The_batch_page_on_a_phone_shows_problems_cost_breakdown_and_the_people_with_NIK_masked()
    {
        using var folder = new TempFolder();
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"));
        var village = app.Campaign.Village("15.03.03.2002")!;
        var (name, content) = RosterGenerator.Csv(village, 70, 90, RosterFlavor.Errors);
        var batchId = (await app.UploadAsync(village.Code, name, content)).BatchId;
        var batch = await app.WaitForBatchAsync(batchId, InProcessApp.Validated, TimeSpan.FromSeconds(60));
        Assert.True(batch.Counts.Rejected > 0 && batch.Counts.Valid is > 50 and <= 100, $"{batch.Counts}");
        var staged = await app.Registry.ReadStagedRowsAsync(batchId).ToListAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        page.SetDefaultTimeout(30_000);
        await BrowserTests.SignInAsync(page, app.BaseAddress, app.CoordinatorToken);
        await page.GotoAsync(new Uri(app.BaseAddress, $"batches/{batchId}").ToString());

        var cost = app.Campaign.CostOf(batch.Counts.Valid);
        await Assertions.Expect(page.GetByTestId("batch-cost")).ToContainTextAsync($"{batch.Counts.Valid} orang");
        await Assertions.Expect(page.GetByTestId("batch-cost")).ToContainTextAsync(cost.ToString("N0", new System.Globalization.CultureInfo("id-ID")));
        await Assertions.Expect(page.GetByTestId("batch-breakdown").Locator("tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("batch-problems").Locator("li[data-severity=error]").First).ToBeVisibleAsync();
        // Each problem names its row once ("Baris 6, kolom NIK: …"), and no rule code.
        Assert.All(await page.GetByTestId("batch-problems").Locator("li").AllInnerTextsAsync(), t =>
        {
            Assert.DoesNotMatch(@"Baris \d+.*Baris \d+", t);
            Assert.DoesNotMatch(@"\b[A-Z]+_[A-Z_]+\b", t);
        });

        var niks = page.GetByTestId("person-nik");
        await Assertions.Expect(niks).ToHaveCountAsync(50);
        Assert.Equal(staged.Take(50).Select(s => s.Nik[..6] + "******" + s.Nik[^4..]), await niks.AllInnerTextsAsync());
        await Assertions.Expect(page.GetByTestId("people-page")).ToContainTextAsync("Halaman 1 dari 2");
        await ScreenshotAsync(page, "coordinator-batch-phone.png", page.GetByTestId("batch-cost"));
        await page.GetByTestId("people-next").ClickAsync();
        await Assertions.Expect(niks).ToHaveCountAsync(batch.Counts.Valid - 50);
        var html = await page.ContentAsync();
        Assert.All(staged, s => Assert.DoesNotContain(s.Nik, html, StringComparison.Ordinal));

        // Nothing wider than the phone: the tables scroll inside their box.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the batch page scrolls sideways at 390 px");
    }

    /// <summary>With UCJ_SCREENSHOTS set: one screen of the page, scrolled so <paramref name="top"/> is at its top.</summary>
    static async Task ScreenshotAsync(IPage page, string file, ILocator top)
    {
        if (Environment.GetEnvironmentVariable("UCJ_SCREENSHOTS") is not { Length: > 0 } shots) return;
        await top.EvaluateAsync("e => e.scrollIntoView({ block: 'start' })");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Directory.CreateDirectory(shots).FullName, file) });
    }
}
