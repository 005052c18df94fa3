using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace UcjFlow.App.Web;

/// <summary>
/// One embedded file of the web page, prepared once at start: its bytes, their Brotli and gzip forms, and a version
/// (the first 16 hex digits of the SHA-256 of the bytes). Served with the encoding the browser accepts (Brotli, else
/// gzip, else none; <c>Vary: Accept-Encoding</c>) and the weak ETag <c>W/"version"</c>: an <c>If-None-Match</c> naming
/// it gets <c>304</c> without a body. A request whose <c>?v=</c> is the current version is cached for a year
/// (<c>immutable</c>: the page links each asset by version, so a new release is a new URL); anything else, the page
/// itself included, is <c>no-cache</c> (kept, but revalidated on each use).
/// Both hosts serve it: the local host through minimal APIs, the Functions app through its HTTP trigger's IResult.
/// </summary>
public sealed partial class WebAsset : IResult
{
    /// <summary>Cache-Control of an asset asked for by its current version: one year, never revalidated.</summary>
    public const string VersionedCacheControl = "public, max-age=31536000, immutable";

    /// <summary>Cache-Control of the page and of unversioned asset URLs: keep, but ask the server (ETag) each time.</summary>
    public const string RevalidateCacheControl = "no-cache";

    readonly string contentType;
    readonly byte[] plain;
    readonly byte[]? brotli;
    readonly byte[]? gzip;
    readonly string etag;

    WebAsset(byte[] plain, string contentType)
    {
        this.plain = plain;
        this.contentType = contentType;
        Version = VersionOf(plain);
        etag = $"W/\"{Version}\"";
        brotli = SmallerOrNull(Compress(plain, s => new BrotliStream(s, CompressionLevel.SmallestSize)));
        gzip = SmallerOrNull(Compress(plain, s => new GZipStream(s, CompressionLevel.SmallestSize)));
    }

    /// <summary>The content version: 16 lowercase hex digits of the SHA-256 of the uncompressed bytes.</summary>
    public string Version { get; }

    /// <summary>The embedded asset <paramref name="name"/> (a file of <c>Web/Assets</c>) as served under /assets/.</summary>
    /// <exception cref="InvalidOperationException">no such asset is embedded.</exception>
    public static WebAsset Load(string name, string contentType) => new(Encoding.UTF8.GetBytes(WebPages.Read(name)), contentType);

    /// <summary>
    /// The embedded HTML page <paramref name="name"/> with each <c>src="/assets/F"</c> and <c>href="/assets/F"</c> of an
    /// embedded asset F rewritten to <c>/assets/F?v=version</c>, so its assets can be cached as immutable; then
    /// <paramref name="fill"/> (e.g. the day's deadline line) applied to the HTML.
    /// </summary>
    public static WebAsset Page(string name, string contentType, Func<string, string>? fill = null)
    {
        var html = AssetLink().Replace(WebPages.Read(name), m =>
        {
            var file = m.Groups["file"].Value;
            string content;
            try { content = WebPages.Read(file); }
            catch (InvalidOperationException) { return m.Value; } // not one of ours: leave the link alone
            return $"{m.Groups["attr"].Value}=\"/assets/{file}?v={VersionOf(Encoding.UTF8.GetBytes(content))}\"";
        });
        return new WebAsset(Encoding.UTF8.GetBytes(fill is null ? html : fill(html)), contentType);
    }

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var versioned = request.Query["v"].ToString() == Version;
        response.Headers.CacheControl = versioned ? VersionedCacheControl : RevalidateCacheControl;
        response.Headers.ETag = etag;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags
            && tags.Any(t => t.Tag == "*" || t.Tag.Equals($"\"{Version}\"", StringComparison.Ordinal)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var (body, encoding) = Choose(request);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (encoding is not null) response.Headers.ContentEncoding = encoding;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    (byte[] Body, string? Encoding) Choose(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding
            .Where(e => e.Quality is not 0)
            .Select(e => e.Value.Value)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (brotli is not null && accepted.Contains("br")) return (brotli, "br");
        if (gzip is not null && accepted.Contains("gzip")) return (gzip, "gzip");
        return (plain, null);
    }

    static string VersionOf(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content))[..16];

    byte[]? SmallerOrNull(byte[] compressed) => compressed.Length < plain.Length ? compressed : null;

    static byte[] Compress(byte[] plain, Func<Stream, Stream> encoder)
    {
        using var output = new MemoryStream();
        using (var stream = encoder(output)) stream.Write(plain);
        return output.ToArray();
    }

    [GeneratedRegex("(?<attr>src|href)=\"/assets/(?<file>[A-Za-z0-9._-]+)\"")]
    private static partial Regex AssetLink();
}
