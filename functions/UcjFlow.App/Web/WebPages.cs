using System.Reflection;
using Microsoft.AspNetCore.Http;
using UcjFlow.App.Api;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;

namespace UcjFlow.App.Web;

/// <summary>
/// The web page: one HTML file with one script (small files joined) and one style sheet, embedded in this assembly so
/// both hosts serve it from any working directory. The script routes on the path: /, /coverage, /batches/{id},
/// /upload/{village}. Every file is served compressed and cacheable (<see cref="WebAsset"/>); the page names its assets
/// with a content version (<c>/assets/page.js?v=…</c>), so a phone on a weak network fetches each asset once per release.
/// </summary>
public sealed class WebPages(Workflow.Campaigns.CampaignStore campaigns, TimeProvider time)
{
    readonly IResult script = Asset(ScriptBundle, "text/javascript; charset=utf-8");
    readonly IResult style = Asset("app.css", "text/css; charset=utf-8");

    /// <summary>
    /// The page's one script, <c>/assets/page.js</c>: <see cref="ScriptFiles"/> joined in that order, so a phone makes one
    /// request for all of them (and Brotli compresses them together). Each file is strict and written for the shared
    /// global scope of classic scripts, which one script keeps.
    /// </summary>
    internal const string ScriptBundle = "page.js";

    /// <summary>The scripts in page order: each feature's own, then app.js (its helpers and the router), then those that run after it.</summary>
    internal static readonly string[] ScriptFiles =
        ["campaigns.js", "access.js", "whatsapp.js", "workbench.js", "coverage.js", "app.js", "answer.js", "upload.js", "revoke.js"];

    /// <summary>The header's placeholder for the submission deadline, filled in for each Jakarta date (issue 10.4: on every page).</summary>
    internal const string DeadlineSlot = "<!--deadline-->";

    // The page of one Jakarta date, its deadline line filled in; rebuilt (and re-compressed) when the date changes.
    volatile PageOfDay? page;

    sealed record PageOfDay(DateOnly Date, CampaignCatalog? Catalog, IResult Page);

    /// <summary>GET {page?}: the page at / and /coverage (one route, so Azure Functions can serve the site root too).</summary>
    public IResult Page(string? page) => page is null or "" or "coverage" ? Index() : NotFound;

    /// <summary>GET batches/{batchId} and upload/{villageCode}: the same page; its script reads the path.</summary>
    public IResult Index()
    {
        var today = JakartaTime.Today(time);
        var catalog = campaigns.Loaded;
        if (page is { } current && current.Date == today && current.Catalog == catalog) return current.Page;
        var fresh = new PageOfDay(today, catalog, WebAsset.Page("index.html", "text/html; charset=utf-8",
            html => html.Replace(DeadlineSlot, DeadlineText(catalog), StringComparison.Ordinal)));
        page = fresh;
        return fresh.Page;
    }

    /// <summary>
    /// "Batas pengiriman: Selasa, 22 Oktober 2024 (3 hari lagi)", as of today in Jakarta; HTML-escaped. With several open
    /// campaigns: the nearest deadline still ahead (else the last one passed), with its campaign's name.
    /// </summary>
    internal string DeadlineText(CampaignCatalog? catalog)
    {
        var today = JakartaTime.Today(time);
        var open = catalog?.Entries.Where(e => !e.Closed).Select(e => e.Campaign).ToList() ?? [];
        if (open.Count == 0) return "";
        var campaign = open.Where(c => c.SubmissionDeadline >= today).MinBy(c => c.SubmissionDeadline) ?? open.MaxBy(c => c.SubmissionDeadline)!;
        var days = campaign.SubmissionDeadline.DayNumber - today.DayNumber;
        var of = open.Count > 1 ? $" {campaign.Name}" : "";
        var left = IndonesianFormat.DaysLeft(days);
        return System.Net.WebUtility.HtmlEncode($"Batas pengiriman{of}: {IndonesianFormat.DateWithDay(campaign.SubmissionDeadline)} ({left})");
    }

    /// <summary>GET assets/{file}: the page's script (<see cref="ScriptBundle"/>) and style sheet.</summary>
    public IResult Asset(string file) => file switch
    {
        ScriptBundle => script,
        "app.css" => style,
        _ => NotFound,
    };

    static IResult NotFound => ApiErrors.Json(404, "Halaman tidak ada.", "not_found");

    static IResult Asset(string name, string contentType) => WebAsset.Load(name, contentType);

    /// <summary>The embedded asset <paramref name="name"/> as UTF-8 text.</summary>
    /// <exception cref="InvalidOperationException">no such asset is embedded.</exception>
    internal static string Read(string name)
    {
        if (name == ScriptBundle)
            return string.Join("\n;\n", ScriptFiles.Select(f => $"// ---- {f}\n{Read(f)}"));
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"UcjFlow.App.Web.Assets.{name}")
            ?? throw new InvalidOperationException($"Web asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
