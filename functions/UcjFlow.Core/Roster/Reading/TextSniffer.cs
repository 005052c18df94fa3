using System.Text;

namespace UcjFlow.Core.Roster.Reading;

/// <summary>
/// Decides whether bytes are text (a CSV) and in which encoding: a byte-order mark wins; otherwise UTF-8 when the
/// whole file is valid UTF-8, else Windows-1252 (what Excel's "CSV" saves on an Indonesian Windows).
/// Binary files (PDF, images, archives, executables) are not text.
/// </summary>
internal static class TextSniffer
{
    private const int SniffBytes = 64 * 1024;

    /// <summary>The encoding, with the stream positioned after any byte-order mark; null when the bytes are not text.</summary>
    public static Encoding? Detect(Stream stream)
    {
        var head = new byte[(int)Math.Min(SniffBytes, stream.Length)];
        stream.Position = 0;
        stream.ReadExactly(head);
        stream.Position = 0;

        if (head.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
        {
            if (LooksBinary(head.AsSpan(3)) || IsMarkup(head.AsSpan(3))) return null;
            stream.Position = 3;
            return new UTF8Encoding(false);
        }
        if (head.AsSpan().StartsWith(new byte[] { 0xFF, 0xFE }))
        {
            stream.Position = 2;
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
        }
        if (head.AsSpan().StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            stream.Position = 2;
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: false);
        }
        if (HasBinaryMagic(head) || LooksBinary(head) || IsMarkup(head)) return null;
        return IsValidUtf8(stream) ? new UTF8Encoding(false) : RosterFileReader.Windows1252;
    }

    private static bool HasBinaryMagic(ReadOnlySpan<byte> head) =>
        head.StartsWith("%PDF"u8) || head.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 }) || // PNG
        head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }) || head.StartsWith("GIF8"u8) || // JPEG, GIF
        head.StartsWith(new byte[] { 0x1F, 0x8B }) || head.StartsWith("Rar!"u8) || // gzip, rar
        head.StartsWith(new byte[] { 0x37, 0x7A, 0xBC, 0xAF }) || head.StartsWith("MZ"u8) || // 7z, exe
        head.StartsWith("{\\rtf"u8) || head.StartsWith(new byte[] { 0x7F, 0x45, 0x4C, 0x46 }); // rtf, elf

    /// <summary>
    /// HTML or XML: what some government systems export under an .xls name (an HTML table, or Excel 2003 XML).
    /// Neither is a CSV; the village should save the file as a real workbook.
    /// </summary>
    private static bool IsMarkup(ReadOnlySpan<byte> head)
    {
        var text = head.TrimStart(" \t\r\n"u8);
        if (text.IsEmpty || text[0] != (byte)'<') return false;
        var start = text[..Math.Min(text.Length, 1024)];
        foreach (var marker in new[] { "<html"u8.ToArray(), "<!doctype"u8.ToArray(), "<?xml"u8.ToArray(), "<table"u8.ToArray(), "<workbook"u8.ToArray() })
        {
            for (var i = 0; i + marker.Length <= start.Length; i++)
                if (Ascii.EqualsIgnoreCase(start.Slice(i, marker.Length), marker)) return true;
        }
        return false;
    }

    /// <summary>A NUL byte, or more than 1% control characters other than tab, line breaks, form feed and Ctrl-Z.</summary>
    private static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        var control = 0;
        foreach (var b in head)
        {
            if (b == 0) return true;
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D or 0x0C or 0x1A)) control++;
        }
        return control * 100 > head.Length;
    }

    private static bool IsValidUtf8(Stream stream)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = stream.Read(buffer)) > 0) decoder.GetCharCount(buffer, 0, read, flush: false);
            decoder.GetCharCount(buffer, 0, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            stream.Position = 0;
        }
    }
}
