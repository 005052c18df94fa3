using System.Reflection;
using Microsoft.AspNetCore.Http;
using UcjFlow.App.Api;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;

namespace UcjFlow.App.Web;

/// <summary>
/// The web page: one HTML file with a small script and style sheet, embedded in this assembly so both hosts serve it from
/// any working directory. The script routes on the path: /, /coverage, /batches/{id}, /upload/{village}.
/// </summary>
public sealed class WebPages(Campaign campaign, TimeProvider time)
{
    readonly string index = Text("index.html");
    readonly IResult script = Asset("app.js", "text/javascript; charset=utf-8");
    readonly IResult style = Asset("app.css", "text/css; charset=utf-8");
    readonly IResult coverageScript = Asset("coverage.js", "text/javascript; charset=utf-8");

    /// <summary>The header's placeholder for the submission deadline, filled in on every request (issue 10.4: on every page).</summary>
    internal const string DeadlineSlot = "<!--deadline-->";

    /// <summary>GET {page?}: the page at / and /coverage (one route, so Azure Functions can serve the site root too).</summary>
    public IResult Page(string? page) => page is null or "" or "coverage" ? Index() : NotFound;

    /// <summary>GET batches/{batchId} and upload/{villageCode}: the same page; its script reads the path.</summary>
    public IResult Index() => Results.Text(index.Replace(DeadlineSlot, DeadlineText(), StringComparison.Ordinal), "text/html; charset=utf-8");

    /// <summary>"Batas pengiriman: Selasa, 22 Oktober 2024 (3 hari lagi)", as of today in Jakarta; HTML-escaped.</summary>
    internal string DeadlineText()
    {
        var days = campaign.SubmissionDeadline.DayNumber - JakartaTime.Today(time).DayNumber;
        var left = days switch { < 0 => "sudah lewat", 0 => "hari ini", 1 => "besok", _ => $"{IndonesianFormat.Number(days)} hari lagi" };
        return System.Net.WebUtility.HtmlEncode($"Batas pengiriman: {IndonesianFormat.DateWithDay(campaign.SubmissionDeadline)} ({left})");
    }

    /// <summary>GET assets/{file}: app.js, app.css and coverage.js.</summary>
    public IResult Asset(string file) => file switch
    {
        "app.js" => script,
        "app.css" => style,
        "coverage.js" => coverageScript,
        _ => NotFound,
    };

    static IResult NotFound => ApiErrors.Json(404, "Halaman tidak ada.", "not_found");

    static IResult Asset(string name, string contentType) => Results.Text(Text(name), contentType);

    static string Text(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"UcjFlow.App.Web.Assets.{name}")
            ?? throw new InvalidOperationException($"Web asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
