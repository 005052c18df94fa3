using System.Text;
using System.Text.RegularExpressions;

namespace UcjFlow.Embedded.Tests.Mail;

/// <summary>A decoded MIME part.</summary>
internal sealed record EmlPart(string MediaType, string Text);

/// <summary>A parsed message: unfolded, RFC 2047-decoded headers and the decoded parts of a multipart/alternative body.</summary>
internal sealed record Eml(IReadOnlyDictionary<string, string> Headers, IReadOnlyList<EmlPart> Parts)
{
    public string this[string header] => Headers[header];
}

/// <summary>
/// A small, strict reader written independently of the product's writer: it refuses 8-bit bytes, bare LF and lines
/// over 78 characters, then decodes encoded words (B and Q), quoted-printable and base64.
/// </summary>
internal static partial class EmlReader
{
    public static Eml Parse(byte[] bytes)
    {
        Assert.All(bytes, b => Assert.True(b < 128, "an .eml must be 7-bit: every byte ASCII"));
        var text = Encoding.ASCII.GetString(bytes);
        Assert.DoesNotMatch(new Regex("(?<!\r)\n"), text);
        Assert.All(text.Split("\r\n"), line => Assert.True(line.Length <= 78, $"line longer than 78: {line}"));

        var (headers, body) = SplitHeaders(text);
        var contentType = headers["Content-Type"];
        Assert.StartsWith("multipart/alternative", contentType);
        var boundary = Boundary().Match(contentType).Groups[1].Value;
        Assert.NotEmpty(boundary);

        var parts = new List<EmlPart>();
        var chunks = body.Split("--" + boundary);
        Assert.StartsWith("--", chunks[^1]); // the closing delimiter is there
        foreach (var chunk in chunks.Skip(1).SkipLast(1))
        {
            var (partHeaders, partBody) = SplitHeaders(chunk.StartsWith("\r\n") ? chunk[2..] : chunk);
            partBody = partBody.EndsWith("\r\n") ? partBody[..^2] : partBody;
            var mediaType = partHeaders["Content-Type"].Split(';')[0].Trim();
            Assert.Matches("charset=\"?utf-8\"?", partHeaders["Content-Type"].ToLowerInvariant());
            var data = partHeaders["Content-Transfer-Encoding"].ToLowerInvariant() switch
            {
                "quoted-printable" => DecodeQuotedPrintable(partBody),
                "base64" => Convert.FromBase64String(partBody.Replace("\r\n", "")),
                var other => throw new InvalidDataException($"unexpected transfer encoding {other}"),
            };
            parts.Add(new EmlPart(mediaType, Encoding.UTF8.GetString(data)));
        }
        return new Eml(headers, parts);
    }

    private static (Dictionary<string, string> Headers, string Body) SplitHeaders(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end >= 0, "no blank line after the headers");
        var unfolded = Folding().Replace(text[..end], " ");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in unfolded.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            Assert.True(colon > 0, $"not a header line: {line}");
            Assert.False(headers.ContainsKey(line[..colon]), $"header {line[..colon]} twice");
            headers[line[..colon]] = DecodeWords(line[(colon + 1)..].Trim());
        }
        return (headers, text[(end + 4)..]);
    }

    private static string DecodeWords(string value)
    {
        // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 section 6.2).
        value = BetweenWords().Replace(value, "?==?");
        return EncodedWord().Replace(value, m =>
        {
            Assert.Equal("utf-8", m.Groups[1].Value.ToLowerInvariant());
            Assert.True(m.Value.Length <= 75, "encoded word longer than 75 characters");
            var data = m.Groups[2].Value.ToUpperInvariant() == "B"
                ? Convert.FromBase64String(m.Groups[3].Value)
                : DecodeQuotedPrintable(m.Groups[3].Value.Replace('_', ' '));
            return Encoding.UTF8.GetString(data);
        });
    }

    private static byte[] DecodeQuotedPrintable(string text)
    {
        var s = text.Replace("=\r\n", "");
        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '=')
            {
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.Add((byte)s[i]);
        }
        return [.. bytes];
    }

    [GeneratedRegex("\r\n[ \t]+")]
    private static partial Regex Folding();

    [GeneratedRegex("boundary=\"?([^\";]+)\"?")]
    private static partial Regex Boundary();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex BetweenWords();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();
}
