using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// In Debian's Chromium: a coordinator manages the campaign catalog from the "Kampanye" card (a refused file shows its
/// problems, a file upload adds a campaign, edit, "Buat kampanye lanjutan", close with confirmation) and the picker
/// switches what the other sections show.
/// </summary>
public sealed class CampaignBrowserTests
{
    [Fact]
    public async Task A_coordinator_adds_edits_renews_and_closes_campaigns_on_the_page_and_the_picker_switches_the_sections()
    {
        using var folder = new TempFolder();
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"));
        var sample = app.Campaign;
        var oku = JsonNode.Parse(File.ReadAllText(UcjFlow.App.Hosting.UcjFlowServices.SampleCampaignPath))!.AsObject();
        oku["id"] = "oku-selatan-2025";
        oku["name"] = "OKU Selatan 2025 APBD";
        oku["regency"] = "16.09";
        oku["villages"] = new JsonArray(new JsonObject { ["code"] = "16.09.01.1013", ["picEmail"] = "pic@desa.example.id" });
        var okuFile = Path.Combine(folder.Path, "oku.json");
        File.WriteAllText(okuFile, oku.ToJsonString());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await BrowserTests.SignInAsync(page, app.BaseAddress, app.CoordinatorToken);
        var rows = page.GetByTestId("campaigns").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("campaign-picker")).ToBeHiddenAsync();

        // A refused file: every problem listed, nothing added.
        await page.GetByTestId("campaign-new").ClickAsync();
        var broken = oku.DeepClone().AsObject();
        broken["id"] = "Salah Id";
        broken["monthsFunded"] = 0;
        await page.GetByTestId("campaign-json").FillAsync(broken.ToJsonString());
        await page.GetByTestId("campaign-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("campaign-problems").Locator("li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("tidak dapat dipakai");

        // The file itself, chosen in the form.
        await page.GetByTestId("campaign-file").SetInputFilesAsync(okuFile);
        await Assertions.Expect(page.GetByTestId("campaign-json")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("oku-selatan-2025"));
        await page.GetByTestId("campaign-save").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("campaign-form")).ToBeHiddenAsync();

        // Edit: the stored document comes back into the form.
        await page.Locator("tr[data-campaign='oku-selatan-2025']").GetByTestId("campaign-edit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("campaign-json")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("OKU Selatan 2025 APBD"));
        var stored = JsonNode.Parse(await page.GetByTestId("campaign-json").InputValueAsync())!.AsObject();
        stored["name"] = "OKU Selatan 2025 APBD Perubahan";
        await page.GetByTestId("campaign-json").FillAsync(stored.ToJsonString());
        await page.GetByTestId("campaign-save").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-campaign='oku-selatan-2025']")).ToContainTextAsync("OKU Selatan 2025 APBD Perubahan");

        // Renewal: pre-filled from the sample, coverage from the day after it ends, deadline as many months later.
        await page.Locator($"tr[data-campaign='{sample.Id}']").GetByTestId("campaign-renew").ClickAsync();
        await Assertions.Expect(page.GetByTestId("campaign-json")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("renewsFrom"));
        var renewal = JsonNode.Parse(await page.GetByTestId("campaign-json").InputValueAsync())!.AsObject();
        Assert.Equal(sample.Id, renewal["renewsFrom"]!.GetValue<string>());
        Assert.Equal("sarolangun-2025", renewal["id"]!.GetValue<string>());
        Assert.Equal("Sarolangun 2025 P-APBD", renewal["name"]!.GetValue<string>());
        Assert.Equal(sample.CoverageEnd.AddDays(1).ToString("yyyy-MM-dd"), renewal["coverageStart"]!.GetValue<string>());
        Assert.Equal(sample.SubmissionDeadline.AddMonths(sample.MonthsFunded).ToString("yyyy-MM-dd"), renewal["submissionDeadline"]!.GetValue<string>());
        await page.GetByTestId("campaign-save").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        Assert.Equal("sarolangun-2025", (await app.App.Services.GetRequiredService<UcjFlow.Workflow.Campaigns.CampaignStore>().ReloadAsync()).Find("sarolangun-2025")?.Id);

        // The picker: an upload from the page goes to the picked campaign (the village is in two open ones), and the pick is kept.
        await Assertions.Expect(page.GetByTestId("campaign-picker")).ToBeVisibleAsync();
        await page.GetByTestId("campaign-picker").SelectOptionAsync("sarolangun-2025");
        await Assertions.Expect(page.Locator("#campaign-name")).ToHaveTextAsync("Sarolangun 2025 P-APBD");
        var (rosterName, roster) = RosterGenerator.Csv(sample.Village("15.03.01.2001")!, 9, 3);
        var rosterFile = Path.Combine(folder.Path, rosterName);
        File.WriteAllBytes(rosterFile, roster);
        await page.GetByTestId("village").SelectOptionAsync("15.03.01.2001");
        await page.GetByTestId("file").SetInputFilesAsync(rosterFile);
        await page.GetByTestId("upload").ClickAsync();
        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("sarolangun-2025-1503012001-");
        Assert.Single(await app.Registry.ListBatchesAsync("sarolangun-2025"));
        Assert.Empty(await app.Registry.ListBatchesAsync(sample.Id));
        await page.GotoAsync(app.BaseAddress.ToString());
        await Assertions.Expect(page.GetByTestId("campaign-picker")).ToHaveValueAsync("sarolangun-2025");

        // The upload card and the header follow the picked campaign.
        await page.GetByTestId("campaign-picker").SelectOptionAsync("oku-selatan-2025");
        await Assertions.Expect(page.Locator("#campaign-name")).ToHaveTextAsync("OKU Selatan 2025 APBD Perubahan");
        await Assertions.Expect(page.GetByTestId("village").Locator("option[value='16.09.01.1013']")).ToHaveCountAsync(1);
        await page.GetByTestId("campaign-picker").SelectOptionAsync("");
        await Assertions.Expect(page.GetByTestId("village").Locator("option[value='16.09.01.1013']")).ToHaveCountAsync(0);

        // Close, after confirming.
        var renewed = page.Locator("tr[data-campaign='sarolangun-2025']");
        await renewed.GetByTestId("campaign-close").ClickAsync();
        await page.GetByTestId("campaign-confirm-close").ClickAsync();
        await Assertions.Expect(renewed.Locator("[data-state=closed]")).ToHaveCountAsync(1);
        Assert.False((await app.App.Services.GetRequiredService<UcjFlow.Workflow.Campaigns.CampaignStore>().ReloadAsync()).IsOpen("sarolangun-2025"));
    }
}
