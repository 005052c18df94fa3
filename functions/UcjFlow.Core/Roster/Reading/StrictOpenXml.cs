using System.IO.Compression;
using System.Text;

namespace UcjFlow.Core.Roster.Reading;

/// <summary>
/// Excel's "Strict Open XML Spreadsheet" save type (ISO/IEC 29500 Strict) is an xlsx whose parts name the strict
/// namespaces (http://purl.oclc.org/ooxml/...) instead of the transitional ones ExcelDataReader 3.6 knows; it then
/// finds no sheet and no cell. The package is copied once, its XML parts streamed through a byte-level rewrite of those
/// namespace and relationship-type URIs to their transitional names, into a temporary file that deletes itself, so
/// memory stays flat and the inflate limit (checked before) bounds the copy. Only the URIs change: dates that Strict
/// stores as ISO 8601 cells (t="d") reach the rules as text and are read as dates there.
/// </summary>
internal static class StrictOpenXml
{
    private static ReadOnlySpan<byte> StrictPrefix => "http://purl.oclc.org/ooxml/"u8;
    private static ReadOnlySpan<byte> StrictSpreadsheetMl => "http://purl.oclc.org/ooxml/spreadsheetml/main"u8;
    private const string TransitionalPrefix = "http://schemas.openxmlformats.org/";

    // Strict names whose transitional name is not the strict one with "2006/" after its first segment.
    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["officeDocument/extendedProperties"] = "officeDocument/2006/extended-properties",
        ["officeDocument/relationships/extendedProperties"] = "officeDocument/2006/relationships/extended-properties",
        ["officeDocument/customProperties"] = "officeDocument/2006/custom-properties",
        ["officeDocument/relationships/customProperties"] = "officeDocument/2006/relationships/custom-properties",
    };

    /// <summary>True when the workbook part opens in the strict SpreadsheetML namespace (looked for in its first 4 KB).</summary>
    public static bool IsStrict(ZipArchiveEntry workbook)
    {
        using var s = workbook.Open();
        var head = new byte[4096];
        var n = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head.AsSpan(0, n).IndexOf(StrictSpreadsheetMl) >= 0;
    }

    /// <summary>
    /// A transitional copy of the strict package in <paramref name="zip"/>: a seekable temporary stream at position 0
    /// that deletes its file when disposed. Parts other than XML and relationships are copied as they are.
    /// </summary>
    public static Stream ToTransitional(ZipArchive zip, CancellationToken ct)
    {
        var copy = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            using (var target = new ZipArchive(copy, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var entry in zip.Entries)
                {
                    ct.ThrowIfCancellationRequested();
                    var name = entry.FullName;
                    // Parts are re-deflated at the fastest level: the copy is read once, right after.
                    var output = target.CreateEntry(name, CompressionLevel.Fastest);
                    using var from = entry.Open();
                    using var to = output.Open();
                    if (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".rels", StringComparison.OrdinalIgnoreCase))
                        CopyMapped(from, to);
                    else
                        from.CopyTo(to);
                }
            }
            copy.Position = 0;
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>, every strict URI replaced by its transitional name.</summary>
    internal static void CopyMapped(Stream from, Stream to)
    {
        const int chunk = 64 * 1024;
        const int maxCarry = 1024; // longer than any URI: a longer unterminated run is passed through as it is
        var buffer = new byte[chunk + maxCarry];
        var carry = 0;
        while (true)
        {
            var read = from.Read(buffer, carry, chunk);
            var end = read == 0;
            var length = carry + read;
            var pos = 0;
            while (pos < length)
            {
                var span = buffer.AsSpan(pos, length - pos);
                var at = span.IndexOf(StrictPrefix);
                if (at < 0)
                {
                    // Keep back what could be the start of a prefix cut by the chunk's end.
                    var keep = end ? 0 : Math.Min(StrictPrefix.Length - 1, span.Length);
                    to.Write(span[..^keep]);
                    pos = length - keep;
                    break;
                }
                to.Write(span[..at]);
                var uri = span[at..];
                var stop = uri.IndexOfAny("\"'<> \t\r\n"u8);
                if (stop < 0 && !end && uri.Length < maxCarry)
                {
                    pos += at; // the URI runs past the chunk: carry it over
                    break;
                }
                if (stop < 0) stop = uri.Length;
                to.Write(Map(uri[..stop]));
                pos += at + stop;
            }
            carry = length - pos;
            buffer.AsSpan(pos, carry).CopyTo(buffer);
            if (end)
            {
                to.Write(buffer.AsSpan(0, carry));
                return;
            }
        }
    }

    /// <summary>"http://purl.oclc.org/ooxml/spreadsheetml/main" → "http://schemas.openxmlformats.org/spreadsheetml/2006/main".</summary>
    internal static byte[] Map(ReadOnlySpan<byte> strictUri)
    {
        var rest = Encoding.ASCII.GetString(strictUri[StrictPrefix.Length..]);
        if (!Irregular.TryGetValue(rest, out var mapped))
        {
            var slash = rest.IndexOf('/');
            mapped = slash < 0 ? rest + "/2006" : string.Concat(rest.AsSpan(0, slash), "/2006", rest.AsSpan(slash));
        }
        return Encoding.ASCII.GetBytes(TransitionalPrefix + mapped);
    }
}
