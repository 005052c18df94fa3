using System.Reflection;
using Microsoft.AspNetCore.Http;
using UcjFlow.App.Api;

namespace UcjFlow.App.Web;

/// <summary>
/// The web page: one HTML file with a small script and style sheet, embedded in this assembly so both hosts serve it from
/// any working directory. The script routes on the path: /, /coverage, /batches/{id}, /upload/{village}.
/// </summary>
public sealed class WebPages
{
    readonly IResult index = Asset("index.html", "text/html; charset=utf-8");
    readonly IResult script = Asset("app.js", "text/javascript; charset=utf-8");
    readonly IResult style = Asset("app.css", "text/css; charset=utf-8");
    readonly IResult workbench = Asset("workbench.js", "text/javascript; charset=utf-8");

    /// <summary>GET {page?}: the page at / and /coverage (one route, so Azure Functions can serve the site root too).</summary>
    public IResult Page(string? page) => page is null or "" or "coverage" ? index : NotFound;

    /// <summary>GET batches/{batchId} and upload/{villageCode}: the same page; its script reads the path.</summary>
    public IResult Index() => index;

    /// <summary>GET assets/{file}: app.js, app.css and each feature's script (workbench.js).</summary>
    public IResult Asset(string file) => file switch
    {
        "app.js" => script,
        "app.css" => style,
        "workbench.js" => workbench,
        _ => NotFound,
    };

    static IResult NotFound => ApiErrors.Json(404, "Halaman tidak ada.", "not_found");

    static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"UcjFlow.App.Web.Assets.{name}")
            ?? throw new InvalidOperationException($"Web asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), contentType);
    }
}
