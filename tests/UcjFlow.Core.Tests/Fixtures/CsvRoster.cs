using System.Text;

namespace UcjFlow.Core.Tests.Fixtures;

public enum CsvEncoding { Utf8, Utf8Bom, Windows1252 }

/// <summary>
/// Writes CSV rosters as spreadsheets save them: fields quoted only when they hold the separator, a quote or a line
/// break; CRLF line ends; UTF-8 with or without BOM or Windows-1252 (Excel's "CSV" on an Indonesian Windows).
/// </summary>
public static class CsvRoster
{
    static CsvRoster() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static byte[] Write(IEnumerable<string?[]> rows, char separator = ',', CsvEncoding encoding = CsvEncoding.Utf8Bom, string newLine = "\r\n")
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0) text.Append(separator);
                var v = row[i] ?? "";
                if (v.IndexOfAny([separator, '"', '\r', '\n']) >= 0) text.Append('"').Append(v.Replace("\"", "\"\"")).Append('"');
                else text.Append(v);
            }
            text.Append(newLine);
        }
        var body = EncodingOf(encoding).GetBytes(text.ToString());
        return encoding == CsvEncoding.Utf8Bom ? [0xEF, 0xBB, 0xBF, .. body] : body;
    }

    public static byte[] Write(char separator, CsvEncoding encoding, params string?[][] rows) => Write(rows, separator, encoding);

    public static Encoding EncodingOf(CsvEncoding encoding) => encoding switch
    {
        CsvEncoding.Windows1252 => Encoding.GetEncoding(1252),
        _ => new UTF8Encoding(false),
    };
}
