using System.Text;
using System.Text.RegularExpressions;

namespace UcjFlow.Host.Demo;

/// <summary>The headers of one .eml in the outbox that the demo reports: subject and recipients, decoded.</summary>
public sealed partial record OutboxMail(string FileName, string Subject, IReadOnlyList<string> To, IReadOnlyList<string> Cc)
{
    /// <summary>Every mail in <paramref name="folder"/>, oldest first (the outbox names files by time).</summary>
    public static IReadOnlyList<OutboxMail> ReadAll(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.eml").Order(StringComparer.Ordinal).Select(Read).ToList()
            : [];

    public static OutboxMail Read(string path)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in File.ReadLines(path, Encoding.ASCII))
        {
            if (line.Length == 0) break;
            if (line[0] is ' ' or '\t' && last is not null) headers[last] += " " + line.Trim(); // folded
            else if (line.IndexOf(':') is > 0 and var colon)
            {
                last = line[..colon];
                headers[last] = line[(colon + 1)..].Trim();
            }
        }
        return new OutboxMail(Path.GetFileName(path), Decode(headers.GetValueOrDefault("Subject", "")),
            Addresses(headers.GetValueOrDefault("To")), Addresses(headers.GetValueOrDefault("Cc")));
    }

    static IReadOnlyList<string> Addresses(string? header) =>
        header is null ? [] : AddressPattern().Matches(header).Select(m => m.Value).Distinct().ToList();

    /// <summary>RFC 2047 encoded words (B and Q), the whitespace between two of them dropped.</summary>
    static string Decode(string text)
    {
        text = Regex.Replace(text, @"\?=\s+=\?", "?==?");
        return EncodedWord().Replace(text, m =>
        {
            var charset = Encoding.GetEncoding(m.Groups[1].Value);
            var data = m.Groups[3].Value;
            if (m.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)) return charset.GetString(Convert.FromBase64String(data));
            var bytes = new List<byte>();
            for (var i = 0; i < data.Length; i++)
            {
                if (data[i] == '_') bytes.Add((byte)' ');
                else if (data[i] == '=' && i + 2 < data.Length) { bytes.Add(Convert.ToByte(data.Substring(i + 1, 2), 16)); i += 2; }
                else bytes.Add((byte)data[i]);
            }
            return charset.GetString(bytes.ToArray());
        });
    }

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+")]
    private static partial Regex AddressPattern();
}
