using System.Reflection;
using Microsoft.AspNetCore.Http;
using UcjFlow.App.Api;

namespace UcjFlow.App.Web;

/// <summary>
/// The web page: one HTML file with small scripts and style sheets, embedded in this assembly so both hosts serve it from
/// any working directory. The script routes on the path: /, /coverage, /batches/{id}, /upload/{village}.
/// Every file is served compressed and cacheable (<see cref="WebAsset"/>); the page names its assets with a content
/// version (<c>/assets/app.js?v=…</c>), so a phone on a weak network fetches each asset once per release.
/// </summary>
public sealed class WebPages
{
    readonly IResult index = WebAsset.Page("index.html", "text/html; charset=utf-8");
    readonly IResult script = Asset("app.js", "text/javascript; charset=utf-8");
    readonly IResult style = Asset("app.css", "text/css; charset=utf-8");
    readonly IResult accessScript = Asset("access.js", "text/javascript; charset=utf-8");
    readonly IResult answer = Asset("answer.js", "text/javascript; charset=utf-8");
    readonly IResult whatsApp = Asset("whatsapp.js", "text/javascript; charset=utf-8");
    readonly IResult uploadScript = Asset("upload.js", "text/javascript; charset=utf-8");
    readonly IResult revoke = Asset("revoke.js", "text/javascript; charset=utf-8");
    readonly IResult workbench = Asset("workbench.js", "text/javascript; charset=utf-8");

    /// <summary>GET {page?}: the page at / and /coverage (one route, so Azure Functions can serve the site root too).</summary>
    public IResult Page(string? page) => page is null or "" or "coverage" ? index : NotFound;

    /// <summary>GET batches/{batchId} and upload/{villageCode}: the same page; its script reads the path.</summary>
    public IResult Index() => index;

    /// <summary>GET assets/{file}: the page's scripts (app.js and each feature's own) and style sheet.</summary>
    public IResult Asset(string file) => file switch
    {
        "app.js" => script,
        "app.css" => style,
        "access.js" => accessScript,
        "answer.js" => answer,
        "whatsapp.js" => whatsApp,
        "upload.js" => uploadScript,
        "revoke.js" => revoke,
        "workbench.js" => workbench,
        _ => NotFound,
    };

    static IResult NotFound => ApiErrors.Json(404, "Halaman tidak ada.", "not_found");

    static IResult Asset(string name, string contentType) => WebAsset.Load(name, contentType);

    /// <summary>The embedded asset <paramref name="name"/> as UTF-8 text.</summary>
    /// <exception cref="InvalidOperationException">no such asset is embedded.</exception>
    internal static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"UcjFlow.App.Web.Assets.{name}")
            ?? throw new InvalidOperationException($"Web asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
