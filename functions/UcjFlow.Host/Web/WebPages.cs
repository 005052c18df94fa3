using System.Reflection;

namespace UcjFlow.Host.Web;

/// <summary>
/// The web page: one HTML file with a small script and style sheet, embedded in the executable so `dotnet ucjflow.dll`
/// serves it from any working directory. The script routes on the path: /, /batches/{id}, /upload/{village}, /coverage.
/// </summary>
public static class WebPages
{
    public static WebApplication MapWebPages(this WebApplication app)
    {
        var index = Asset("index.html", "text/html; charset=utf-8");
        app.MapGet("/", () => index);
        app.MapGet("/batches/{batchId}", (string batchId) => index);
        app.MapGet("/upload/{villageCode}", (string villageCode) => index);
        app.MapGet("/coverage", () => index);
        var script = Asset("app.js", "text/javascript; charset=utf-8");
        app.MapGet("/assets/app.js", () => script);
        var style = Asset("app.css", "text/css; charset=utf-8");
        app.MapGet("/assets/app.css", () => style);
        return app;
    }

    static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"UcjFlow.Host.Web.Assets.{name}")
            ?? throw new InvalidOperationException($"Web asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return Results.Text(text, contentType);
    }
}
