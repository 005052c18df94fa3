using System.Text;

namespace UcjFlow.Core.Coverage;

/// <summary>CSV fields for spreadsheets: RFC 4180 quoting, and formula injection neutralised.</summary>
internal static class CsvText
{
    /// <summary>UTF-8 with BOM, so Excel opens Indonesian names correctly.</summary>
    public static readonly Encoding Utf8Bom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    /// <summary>
    /// A cell a spreadsheet would run as a formula ("=HYPERLINK(...)", "+62...", "@SUM") gets a leading apostrophe,
    /// which Excel and LibreOffice show as text. Quoted when it holds a separator, quote or line break.
    /// </summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n') value = "'" + value;
        return value.AsSpan().IndexOfAny(",;\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Line(params string?[] fields) => string.Join(',', fields.Select(Field)) + "\r\n";
}
