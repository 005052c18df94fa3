using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;
using Xunit.Abstractions;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// The page on a village PIC's phone, in Debian's Chromium at 390×844 (and desktop for the layout): no page runs wider
/// than the screen, uploads survive a dropped or missing connection and go out once, the page is light on a repeat visit.
/// Set UCJ_SCREENSHOTS to a folder to also write the village pages' screenshots there (docs/screenshots/ in README).
/// </summary>
public sealed class PhoneTests(ITestOutputHelper output)
{
    const string VillageCode = "15.03.01.2002";
    const string VillageToken = "token-desa-telepon";
    static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    [Fact]
    public async Task No_page_runs_wider_than_a_phone_and_the_status_column_stays_on_screen()
    {
        using var folder = new TempFolder();
        await using var app = await StartAsync(folder);
        var village = app.Campaign.Village(VillageCode)!;
        // A long file name and a rejected row: the longest texts the list and the batch page show.
        var (_, content) = RosterGenerator.Csv(village, 70, 12, RosterFlavor.Errors);
        var batchId = (await app.UploadAsync(VillageCode, "daftar-pekerja-rentan-desa-sungai-keradak-kecamatan-batang-asam-revisi-terakhir.csv", content)).BatchId;
        await app.WaitForBatchAsync(batchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        var screenshots = Environment.GetEnvironmentVariable("UCJ_SCREENSHOTS") is { Length: > 0 } s ? Directory.CreateDirectory(s).FullName : null;
        foreach (var (size, sizeName) in new[] { (Phone, "phone"), (Desktop, "desktop") })
        foreach (var (token, role) in new[] { (app.CoordinatorToken, "coordinator"), (VillageToken, "village") })
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = size, Locale = "id-ID" });
            await context.AddInitScriptAsync($"localStorage.setItem('ucjflow-token', {JsonSerializer.Serialize(token)});");
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            foreach (var path in new[] { "/", "/coverage", $"/batches/{Uri.EscapeDataString(batchId)}", $"/upload/{VillageCode}" })
            {
                await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
                var status = path.StartsWith("/batches/", StringComparison.Ordinal) ? page.GetByTestId("batch-status")
                    : path == "/coverage" ? page.GetByTestId("coverage").Locator("dd").First
                    : page.Locator($"tr[data-batch='{batchId}'] td[data-status]");
                await Assertions.Expect(status).ToBeVisibleAsync();
                var where = $"{path} as {role} at {size.Width}×{size.Height}";
                var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, innerWidth]");
                var (scrollWidth, innerWidth) = (widths[0], widths[1]);
                Assert.True(scrollWidth <= innerWidth, $"{where}: the page is {scrollWidth} px wide in a {innerWidth} px window.");
                if (size == Phone && path is "/" or "/upload/" + VillageCode)
                    // A row is a card on a phone: each value is labelled with its column, the status too.
                    Assert.Equal("\"Status\"", await status.EvaluateAsync<string>("td => getComputedStyle(td, '::before').content"));
                var box = (await status.BoundingBoxAsync())!;
                Assert.True(box.X >= 0 && box.X + box.Width <= innerWidth, $"{where}: the status is at {box.X}..{box.X + box.Width}, off the {innerWidth} px screen.");
                if (screenshots is not null && sizeName == "phone" && role == "village" && !path.StartsWith("/coverage", StringComparison.Ordinal) && path != "/")
                    await page.ScreenshotAsync(new PageScreenshotOptions
                    {
                        Path = Path.Combine(screenshots, path.StartsWith("/batches/", StringComparison.Ordinal) ? "village-batch-phone.png" : "village-upload-phone.png"),
                        FullPage = true,
                    });
            }
        }
        if (screenshots is not null)
        {
            // The validation report the batch page links to, as the PIC's phone shows it.
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone, Locale = "id-ID" });
            var page = await context.NewPageAsync();
            await page.SetContentAsync(await app.Http.GetStringAsync($"api/batches/{Uri.EscapeDataString(batchId)}/report.html"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "village-report-phone.png"), FullPage = true });
        }
    }

    [Fact]
    public async Task A_file_picked_offline_is_kept_in_the_browser_and_sent_once_when_the_connection_returns()
    {
        using var folder = new TempFolder();
        await using var app = await StartAsync(folder);
        var file = await RosterFileAsync(app, folder, 40, 5);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        var page = await VillagePageAsync(context, app);
        var accepted = 0;
        page.Response += (_, r) => { if (r.Url.Contains("/api/uploads/", StringComparison.Ordinal) && r.Status == 202) Interlocked.Increment(ref accepted); };

        await context.SetOfflineAsync(true);
        await page.GetByTestId("file").SetInputFilesAsync(file);
        await page.GetByTestId("upload").ClickAsync();
        await Assertions.Expect(page.GetByTestId("upload-status")).ToContainTextAsync("tersimpan di perangkat ini dan dikirim otomatis saat online");
        Assert.Equal(1, await QueuedAsync(page));
        Assert.Empty(await VillageBatchesAsync(app));
        // Any other call the page makes offline says so in Indonesian, not the browser's "Failed to fetch".
        await page.GetByTestId("status-filter").SelectOptionAsync("Approved");
        await Assertions.Expect(page.GetByTestId("message")).ToHaveTextAsync("Tidak ada koneksi internet. Coba lagi setelah perangkat online.");

        await context.SetOfflineAsync(false);
        await Assertions.Expect(page.GetByTestId("batch-status")).ToBeVisibleAsync();
        var batches = await Poll.UntilAsync(async () => await VillageBatchesAsync(app) is { Count: > 0 } b ? b : null, "the batch of the file kept offline");
        // Quiescent: the kept copy is gone, so nothing is left to send; another online event and a new visit send nothing.
        await Poll.UntilAsync(async () => await QueuedAsync(page) == 0 ? "" : null, "the kept copy deleted after the 202");
        await context.SetOfflineAsync(true);
        await context.SetOfflineAsync(false);
        await page.GotoAsync(new Uri(app.BaseAddress, $"/upload/{VillageCode}").ToString());
        await Assertions.Expect(page.GetByTestId("batches").Locator("td[data-status]")).ToHaveCountAsync(1);
        Assert.Single(batches);
        Assert.Single(await VillageBatchesAsync(app));
        Assert.Equal(1, accepted);
    }

    [Fact]
    public async Task A_connection_dropped_during_the_upload_says_so_in_Indonesian_and_is_retried()
    {
        using var folder = new TempFolder();
        await using var app = await StartAsync(folder);
        var file = await RosterFileAsync(app, folder, 30, 4);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        var page = await VillagePageAsync(context, app);
        var attempts = 0;
        var retryArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseRetry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/uploads/**", async route =>
        {
            if (Interlocked.Increment(ref attempts) == 1) { await route.AbortAsync("connectionreset"); return; }
            retryArrived.TrySetResult();
            await releaseRetry.Task; // held until the test has read the page
            await route.ContinueAsync();
        });

        await page.GetByTestId("file").SetInputFilesAsync(file);
        await page.GetByTestId("upload").ClickAsync();
        await retryArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // While the retry runs, the PIC reads why, in Indonesian, and which attempt this is.
        await Assertions.Expect(page.GetByTestId("upload-status")).ToContainTextAsync("Koneksi terputus saat mengunggah. Berkas tetap tersimpan di perangkat ini.");
        await Assertions.Expect(page.GetByTestId("upload-status")).ToContainTextAsync("percobaan ke-2");
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Failed to fetch");
        Assert.Equal(1, await QueuedAsync(page)); // the kept copy stays until the server has answered 202
        releaseRetry.SetResult();

        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("Berkas diterima dan sedang diperiksa");
        await Assertions.Expect(page.GetByTestId("batch-status")).ToBeVisibleAsync();
        Assert.Single(await VillageBatchesAsync(app));
        Assert.Equal(0, await QueuedAsync(page));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task An_upload_on_a_slow_connection_shows_its_progress()
    {
        using var folder = new TempFolder();
        await using var app = await StartAsync(folder);
        var file = await RosterFileAsync(app, folder, 20, 700); // about 100 KB

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        var page = await VillagePageAsync(context, app);
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        // A weak mobile uplink: 40 KB/s up, 200 ms latency (Chromium's own network throttling).
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 200, ["downloadThroughput"] = 200_000, ["uploadThroughput"] = 40_000,
        });

        await page.GetByTestId("file").SetInputFilesAsync(file);
        await page.GetByTestId("upload").ClickAsync();
        // Part-way: the bar and the text show a share of the file sent, neither nothing nor all.
        await page.WaitForFunctionAsync("() => { const v = document.getElementById('upload-progress').value; return v > 0 && v < 100; }");
        await Assertions.Expect(page.GetByTestId("upload-status")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Mengunggah .*\b([1-9]|[1-9][0-9])%"));
        await Assertions.Expect(page.GetByTestId("batch-status")).ToBeVisibleAsync();
        Assert.Single(await VillageBatchesAsync(app));
    }

    [Fact]
    public async Task The_village_page_is_compressed_and_a_repeat_visit_fetches_no_asset_again()
    {
        using var folder = new TempFolder();
        await using var app = await StartAsync(folder);
        var village = app.Campaign.Village(VillageCode)!;
        var (name, content) = RosterGenerator.Csv(village, 70, 12);
        var batchId = (await app.UploadAsync(VillageCode, name, content)).BatchId;
        await app.WaitForBatchAsync(batchId, InProcessApp.Validated, TimeSpan.FromSeconds(30));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
        await context.AddInitScriptAsync($"localStorage.setItem('ucjflow-token', {JsonSerializer.Serialize(VillageToken)});");
        var url = new Uri(app.BaseAddress, $"/upload/{VillageCode}").ToString();

        var first = await LoadAsync(context, url, batchId);
        var repeat = await LoadAsync(context, url, batchId);
        output.WriteLine($"village page {url.Replace(app.BaseAddress.ToString(), "/", StringComparison.Ordinal)} at 390×844: " +
            $"first load {first.Bytes:N0} bytes in {first.Requests.Count} requests, repeat {repeat.Bytes:N0} bytes in {repeat.Requests.Count(r => !r.FromCache)} requests");
        foreach (var r in first.Requests) output.WriteLine($"  first  {r.Bytes,7:N0} {(r.FromCache ? "cache" : r.Encoding ?? "-"),-6} {r.Url}");
        foreach (var r in repeat.Requests) output.WriteLine($"  repeat {r.Bytes,7:N0} {(r.FromCache ? "cache" : r.Encoding ?? "-"),-6} {r.Url}");

        // Compressed: the page and its assets come Brotli-encoded.
        var files = first.Requests.Where(r => r.Url.Contains("/assets/", StringComparison.Ordinal) || r.Url == url).ToList();
        Assert.Equal(["br"], files.Select(r => r.Encoding).Distinct());
        // Cached: a repeat visit takes every asset from the browser's cache (versioned URLs) and the page is a 304.
        Assert.All(repeat.Requests.Where(r => r.Url.Contains("/assets/", StringComparison.Ordinal)), r => Assert.True(r.FromCache, $"{r.Url} fetched again"));
        Assert.Equal(304, repeat.Requests.Single(r => r.Url == url).Status);
        Assert.True(repeat.Bytes * 3 < first.Bytes, $"repeat visit {repeat.Bytes} bytes, first {first.Bytes}");
    }

    sealed record Fetched(string Url, long Bytes, bool FromCache, int Status, string? Encoding);

    sealed record Load(IReadOnlyList<Fetched> Requests)
    {
        public long Bytes => Requests.Sum(r => r.Bytes);
    }

    /// <summary>Opens <paramref name="url"/> in a new tab of <paramref name="context"/> and counts what crossed the network (CDP).</summary>
    static async Task<Load> LoadAsync(IBrowserContext context, string url, string batchId)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var cdp = await context.NewCDPSessionAsync(page);
        var urls = new Dictionary<string, string>();
        var statuses = new Dictionary<string, (int Status, string? Encoding)>();
        var cached = new HashSet<string>();
        var bytes = new Dictionary<string, long>();
        var raw = new Dictionary<string, int>();
        var gate = new Lock();
        cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) => { lock (gate) urls[Id(e)] = e!.Value.GetProperty("request").GetProperty("url").GetString()!; };
        cdp.Event("Network.requestServedFromCache").OnEvent += (_, e) => { lock (gate) cached.Add(Id(e)); };
        cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
        {
            var response = e!.Value.GetProperty("response");
            string? encoding = null;
            foreach (var h in response.GetProperty("headers").EnumerateObject())
                if (h.Name.Equals("content-encoding", StringComparison.OrdinalIgnoreCase)) encoding = h.Value.GetString();
            lock (gate)
            {
                statuses[Id(e)] = (response.GetProperty("status").GetInt32(), encoding);
                if (response.TryGetProperty("fromDiskCache", out var disk) && disk.GetBoolean()) cached.Add(Id(e));
            }
        };
        // The raw status: after a 304, responseReceived reports the cached response's 200.
        cdp.Event("Network.responseReceivedExtraInfo").OnEvent += (_, e) => { lock (gate) raw[Id(e)] = e!.Value.GetProperty("statusCode").GetInt32(); };
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) => { lock (gate) bytes[Id(e)] = (long)e!.Value.GetProperty("encodedDataLength").GetDouble(); };
        await cdp.SendAsync("Network.enable");

        await page.GotoAsync(url);
        await Assertions.Expect(page.Locator($"tr[data-batch='{batchId}'] td[data-status]")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.CloseAsync();
        lock (gate)
            return new Load(urls.Select(u => new Fetched(u.Value, bytes.GetValueOrDefault(u.Key), cached.Contains(u.Key),
                raw.TryGetValue(u.Key, out var r) ? r : statuses.TryGetValue(u.Key, out var s) ? s.Status : 0, statuses.TryGetValue(u.Key, out var t) ? t.Encoding : null)).ToList());

        static string Id(JsonElement? e) => e!.Value.GetProperty("requestId").GetString()!;
    }

    static Task<InProcessApp> StartAsync(TempFolder folder) =>
        InProcessApp.StartAsync(Path.Combine(folder.Path, "data"), configure: s => s with
        {
            VillageTokens = new Dictionary<string, string> { [VillageCode] = VillageToken },
        });

    static async Task<string> RosterFileAsync(InProcessApp app, TempFolder folder, int index, int count)
    {
        var (name, content) = RosterGenerator.Csv(app.Campaign.Village(VillageCode)!, index, count);
        var file = Path.Combine(folder.Path, name);
        await File.WriteAllBytesAsync(file, content);
        return file;
    }

    /// <summary>The village's upload page, signed in with the village token, ready to pick a file.</summary>
    static async Task<IPage> VillagePageAsync(IBrowserContext context, InProcessApp app)
    {
        await context.AddInitScriptAsync($"localStorage.setItem('ucjflow-token', {JsonSerializer.Serialize(VillageToken)});");
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(new Uri(app.BaseAddress, $"/upload/{VillageCode}").ToString());
        await Assertions.Expect(page.GetByTestId("village")).ToHaveValueAsync(VillageCode);
        return page;
    }

    /// <summary>Files the page keeps in IndexedDB, not yet accepted by the server.</summary>
    static Task<int> QueuedAsync(IPage page) => page.EvaluateAsync<int>("() => uploadQueue.all().then((items) => items.length)");

    static async Task<List<JsonNode>> VillageBatchesAsync(InProcessApp app)
    {
        var list = await app.Http.GetFromJsonAsync<JsonObject>($"api/batches?village={VillageCode}");
        return list!["batches"]!.AsArray().Select(b => b!).ToList();
    }
}
