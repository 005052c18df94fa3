using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using UcjFlow.App.Api;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>The approval wait's end through the whole local app: the campaign clock passes the coverage start.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task A_batch_undecided_at_the_coverage_start_expires_a_later_decision_gets_409_expired_and_the_page_says_Kedaluwarsa()
    {
        using var folder = new TempFolder();
        var clock = new ManualClock(DemoCommand.Start); // 14 October 2024; the sample's coverage starts 1 November
        await using var app = await InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), clock);
        var village = app.Campaign.Village("15.03.01.2002")!;
        var (name, content) = RosterGenerator.Csv(village, 30, 5);
        var batchId = (await app.UploadAsync(village.Code, name, content)).BatchId;
        // The coordinators were asked (the intake's own status, set once it took the time of asking) before the clock moves.
        await Poll.UntilAsync(async () => (await app.Durable.GetInstanceAsync(batchId, true))?.ReadCustomStatusAs<IntakeStatus>() is { Stage: nameof(BatchStatus.AwaitingApproval) } s ? s : null,
            "the coordinators asked");

        clock.AdvanceTo(new DateTimeOffset(2024, 11, 1, 0, 0, 0, TimeSpan.FromHours(7)));
        Assert.Equal(BatchStatus.Expired, (await app.WaitForBatchAsync(batchId, InProcessApp.Decided, TimeSpan.FromSeconds(60))).Status);

        using var late = await app.DecideAsync(batchId, approve: true);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var error = (await late.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiError))!;
        Assert.Equal("expired", error.Code);
        Assert.Contains("kedaluwarsa", error.Error);
        var batch = await app.GetBatchAsync(batchId);
        Assert.Equal((BatchStatus.Expired, null), (batch.Status, batch.Decision));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await BrowserTests.SignInAsync(page, app.BaseAddress, app.CoordinatorToken);
        await page.GotoAsync(new Uri(app.BaseAddress, $"batches/{batchId}").ToString());
        await Assertions.Expect(page.GetByTestId("batch-status")).ToHaveTextAsync("Kedaluwarsa");
        await Assertions.Expect(page.GetByTestId("approve")).Not.ToBeVisibleAsync();
    }
}
