using Microsoft.Playwright;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>In Debian's Chromium at phone size: a coordinator issues a village's access link from the page; the PIC opens it without a token paste.</summary>
public sealed class AccessBrowserTests
{
    static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true };

    [Fact]
    public async Task A_coordinator_issues_an_access_link_on_a_phone_and_the_PIC_opening_it_is_signed_in_to_their_village()
    {
        using var folder = new TempFolder();
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"));
        const string village = "15.03.01.2001";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        await using var coordinatorContext = await browser.NewContextAsync(Phone);
        var coordinator = await coordinatorContext.NewPageAsync();
        coordinator.SetDefaultTimeout(30_000);
        await BrowserTests.SignInAsync(coordinator, app.BaseAddress, app.CoordinatorToken);
        await Assertions.Expect(coordinator.GetByTestId("access-card")).ToBeVisibleAsync();
        await coordinator.GetByTestId("access-village").SelectOptionAsync(village);
        await coordinator.GetByTestId("access-issue").ClickAsync();
        await Assertions.Expect(coordinator.GetByTestId("access-url")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("#akses="));
        var url = await coordinator.GetByTestId("access-url").InputValueAsync();
        await Assertions.Expect(coordinator.GetByTestId("access-links").Locator("[data-state=Active]")).ToHaveCountAsync(1);

        // The PIC: another phone, nothing stored; the link alone signs them in.
        await using var picContext = await browser.NewContextAsync(Phone);
        var pic = await picContext.NewPageAsync();
        pic.SetDefaultTimeout(30_000);
        await pic.GotoAsync(url);
        await Assertions.Expect(pic.GetByTestId("who")).ToContainTextAsync("Tambak Ratu");
        Assert.DoesNotContain("akses=", pic.Url, StringComparison.Ordinal);
        await Assertions.Expect(pic.GetByTestId("village")).ToHaveValueAsync(village);
        await Assertions.Expect(pic.GetByTestId("template")).ToBeVisibleAsync();
        await Assertions.Expect(pic.GetByTestId("access-card")).ToBeHiddenAsync();
        // Still signed in on the next visit, by the address alone.
        await pic.GotoAsync(new Uri(app.BaseAddress, "upload/" + village).ToString());
        await Assertions.Expect(pic.GetByTestId("who")).ToContainTextAsync("Tambak Ratu");
    }

    [Fact]
    public async Task An_access_link_cut_short_in_a_chat_leaves_the_page_working_and_asking_for_a_token()
    {
        using var folder = new TempFolder();
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(Phone);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        // "%2" cannot be decoded: the page's one script must still run to its router (who, the token field).
        // (A string, not a System.Uri: Uri would escape the lone "%" itself.)
        await page.GotoAsync(app.BaseAddress.ToString().TrimEnd('/') + "/upload/15.03.01.2001#akses=abc%2");
        await Assertions.Expect(page.GetByTestId("who")).ToHaveTextAsync("Belum ada token.");
        await Assertions.Expect(page.GetByTestId("token")).ToBeVisibleAsync();
        Assert.DoesNotContain("akses=", page.Url, StringComparison.Ordinal);
    }
}
