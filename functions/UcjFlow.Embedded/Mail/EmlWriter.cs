using System.Globalization;
using System.Net.Mail;
using System.Text;
using UcjFlow.Core.Mail;

using UcjFlow.Adapters.Mail;

namespace UcjFlow.Embedded.Mail;

/// <summary>
/// Writes one mail as an RFC 5322 message: UTF-8 headers as RFC 2047 encoded words, a multipart/alternative body with
/// text/plain then text/html, both quoted-printable UTF-8 (readable in a text editor, opened by any mail client).
/// </summary>
internal static class EmlWriter
{
    private const string Crlf = "\r\n";
    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static byte[] Write(OutgoingMail mail, MailAddress from, DateTimeOffset date)
    {
        var to = mail.To.Select(a => new MailAddress(a)).ToList();
        var cc = mail.Cc.Select(a => new MailAddress(a)).ToList();
        if (to.Count + cc.Count == 0) throw new ArgumentException($"Mail '{mail.Key}' has no recipient.", nameof(mail));

        // "=_" never occurs in quoted-printable text, so this boundary cannot collide with the body.
        var boundary = "=_ucj_" + MailKey.Hash(mail.Key) + "_alt";
        var sb = new StringBuilder();
        Header(sb, "Date", RfcDate(IndonesianFormat.ToJakarta(date)));
        Header(sb, "From", Address(from, "From: ".Length));
        if (to.Count > 0) Header(sb, "To", string.Join("," + Crlf + " ", to.Select(a => Address(a, "To: ".Length))));
        if (cc.Count > 0) Header(sb, "Cc", string.Join("," + Crlf + " ", cc.Select(a => Address(a, "Cc: ".Length))));
        Header(sb, "Subject", EncodedWords(mail.Subject, "Subject: ".Length));
        Header(sb, "Message-ID", MailKey.MessageId(mail.Key, from));
        Header(sb, "X-UcjFlow-Key", EncodedWords(mail.Key, "X-UcjFlow-Key: ".Length));
        Header(sb, "MIME-Version", "1.0");
        Header(sb, "Content-Type", $"multipart/alternative;{Crlf} boundary=\"{boundary}\"");
        sb.Append(Crlf).Append("This is a multi-part message in MIME format.").Append(Crlf);
        Part(sb, boundary, "text/plain", mail.PlainText);
        Part(sb, boundary, "text/html", mail.Html);
        sb.Append("--").Append(boundary).Append("--").Append(Crlf);
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static void Header(StringBuilder sb, string name, string value) => sb.Append(name).Append(": ").Append(value).Append(Crlf);

    private static void Part(StringBuilder sb, string boundary, string mediaType, string text)
    {
        sb.Append("--").Append(boundary).Append(Crlf)
          .Append("Content-Type: ").Append(mediaType).Append("; charset=utf-8").Append(Crlf)
          .Append("Content-Transfer-Encoding: quoted-printable").Append(Crlf)
          .Append(Crlf)
          .Append(QuotedPrintable(text)).Append(Crlf);
    }

    internal static string RfcDate(DateTimeOffset d)
    {
        var offset = d.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{DayNames[(int)d.DayOfWeek]}, {d.Day:00} {MonthNames[d.Month - 1]} {d.Year:0000} {d.Hour:00}:{d.Minute:00}:{d.Second:00} {sign}{offset.Hours:00}{offset.Minutes:00}");
    }

    private static string Address(MailAddress a, int used)
    {
        if (string.IsNullOrEmpty(a.DisplayName)) return a.Address;
        var name = a.DisplayName;
        var display = name.All(c => c is >= ' ' and <= '~') && used + name.Length + a.Address.Length < 70
            ? (name.Any(c => "()<>[]:;@\\,.\"".Contains(c)) ? "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : name)
            : EncodedWords(name, used, force: true);
        // The address goes on its own line when the name took (most of) the first one.
        var lastLine = display.Contains('\n') ? display[(display.LastIndexOf('\n') + 1)..].Length : used + display.Length;
        return lastLine + a.Address.Length + 3 <= 76 ? $"{display} <{a.Address}>" : $"{display}{Crlf} <{a.Address}>";
    }

    /// <summary>
    /// Short printable ASCII stays as is; anything else becomes RFC 2047 "B" encoded words of at most 75 characters,
    /// split between characters (never inside a UTF-8 sequence) and folded onto continuation lines.
    /// </summary>
    internal static string EncodedWords(string text, int firstLineUsed, bool force = false)
    {
        if (!force && text.All(c => c is >= ' ' and <= '~') && firstLineUsed + text.Length <= 76 && !text.Contains("=?", StringComparison.Ordinal))
            return text;
        // Each line holds at most 76 characters: the header name (first line) or one space (continuation lines),
        // "=?utf-8?B?" and "?=", and base64 in groups of 4 characters per 3 bytes.
        static int BytesFor(int used) => Math.Max(3, (76 - used - 12) / 4 * 3);
        var maxBytes = BytesFor(firstLineUsed);
        var words = new List<string>();
        var chunk = new StringBuilder();
        var chunkBytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var n = rune.Utf8SequenceLength;
            if (chunkBytes + n > maxBytes && chunkBytes > 0)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
                maxBytes = BytesFor(1);
            }
            chunk.Append(rune.ToString());
            chunkBytes += n;
        }
        if (chunk.Length > 0 || words.Count == 0) words.Add(Word(chunk.ToString()));
        return string.Join(Crlf + " ", words);

        static string Word(string s) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) + "?=";
    }

    /// <summary>RFC 2045 quoted-printable of the UTF-8 text, lines ending in CRLF, at most 76 characters per line.</summary>
    internal static string QuotedPrintable(string text)
    {
        var sb = new StringBuilder(text.Length + text.Length / 8);
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            if (l > 0) sb.Append(Crlf);
            var bytes = Encoding.UTF8.GetBytes(lines[l]);
            var column = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var token = Token(bytes[i], column, i == bytes.Length - 1);
                if (column + token.Length > 75)
                {
                    sb.Append('=').Append(Crlf);
                    column = 0;
                    token = Token(bytes[i], column, i == bytes.Length - 1);
                }
                sb.Append(token);
                column += token.Length;
            }
        }
        return sb.ToString();

        // A '.' opening a line is encoded too, so the file can be relayed over SMTP as it is.
        static string Token(byte b, int column, bool lastOnLine)
        {
            var literal = (b is >= 33 and <= 126 && b != '=' && !(b == '.' && column == 0))
                          || (b is (byte)' ' or (byte)'\t' && !lastOnLine);
            return literal ? ((char)b).ToString() : "=" + b.ToString("X2", CultureInfo.InvariantCulture);
        }
    }
}
