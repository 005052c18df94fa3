using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace UcjFlow.Core.Tests.Fixtures;

/// <summary>
/// Rewrites a real (LibreOffice-written) xlsx into the variants other writers produce, which LibreOffice cannot save:
/// Excel's "Strict Open XML Spreadsheet" (ISO/IEC 29500 Strict namespaces, conformance="strict", dates stored as ISO
/// 8601 cells, as Excel's Strict save type does), ISO 8601 date-time cells (t="d", as openpyxl with iso_dates and other
/// exporters write them), and a package mixing a transitional workbook with strict worksheets (cells no reader can
/// place). The regression files in Regressions/ were made with it; its tests re-make them.
/// </summary>
public static class OoxmlVariants
{
    private const string Transitional = "http://schemas.openxmlformats.org/";
    private const string Strict = "http://purl.oclc.org/ooxml/";

    /// <summary>Excel's Strict Open XML save type: every transitional URI in its strict form, dates as ISO cells.</summary>
    public static byte[] ToStrict(byte[] xlsx) => Rewrite(xlsx, (name, text) =>
    {
        text = ToStrictUris(text);
        if (name == "xl/workbook.xml") text = text.Replace("<workbook ", "<workbook conformance=\"strict\" ", StringComparison.Ordinal);
        return text;
    }, isoDates: true);

    /// <summary>Date cells as ISO 8601 date-time text cells (t="d"), the rest as it was.</summary>
    public static byte[] WithIsoDateCells(byte[] xlsx) => Rewrite(xlsx, (_, text) => text, isoDates: true);

    /// <summary>The workbook stays transitional, the worksheets become strict: no reader finds their cells.</summary>
    public static byte[] WithStrictWorksheets(byte[] xlsx) =>
        Rewrite(xlsx, (name, text) => name.StartsWith("xl/worksheets/", StringComparison.Ordinal) ? ToStrictUris(text) : text, isoDates: false);

    // Package (OPC) URIs are the same in both conformance classes; everything else gains or loses "/2006".
    private static string ToStrictUris(string text)
    {
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (true)
        {
            var at = text.IndexOf(Transitional, i, StringComparison.Ordinal);
            if (at < 0) break;
            var end = text.IndexOfAny(['"', '\'', '<', ' '], at);
            var uri = text[at..end];
            sb.Append(text, i, at - i).Append(uri.StartsWith(Transitional + "package/", StringComparison.Ordinal) ? uri : StrictUri(uri));
            i = end;
        }
        return sb.Append(text, i, text.Length - i).ToString();
    }

    private static string StrictUri(string uri)
    {
        var rest = uri[Transitional.Length..].Replace("/2006", "", StringComparison.Ordinal)
            .Replace("extended-properties", "extendedProperties", StringComparison.Ordinal)
            .Replace("custom-properties", "customProperties", StringComparison.Ordinal);
        return Strict + rest;
    }

    private static byte[] Rewrite(byte[] xlsx, Func<string, string, string> rewrite, bool isoDates)
    {
        using var input = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        var dateStyles = isoDates ? DateStyles(input) : [];
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var from = entry.Open();
                using var ms = new MemoryStream();
                from.CopyTo(ms);
                var bytes = ms.ToArray();
                if (entry.FullName.EndsWith(".xml", StringComparison.Ordinal) || entry.FullName.EndsWith(".rels", StringComparison.Ordinal))
                {
                    var text = Encoding.UTF8.GetString(bytes);
                    if (isoDates && entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)) text = IsoDateCells(text, dateStyles);
                    bytes = Encoding.UTF8.GetBytes(rewrite(entry.FullName, text));
                }
                using var to = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
                to.Write(bytes);
            }
        }
        return output.ToArray();
    }

    /// <summary>The cellXfs indexes whose number format is a date (built-in ids 14–22, 45–47, or a code with d or y).</summary>
    private static HashSet<int> DateStyles(ZipArchive zip)
    {
        var styles = zip.GetEntry("xl/styles.xml");
        if (styles is null) return [];
        using var s = styles.Open();
        var doc = XDocument.Load(s);
        XNamespace ns = doc.Root!.Name.Namespace;
        var custom = doc.Root.Element(ns + "numFmts")?.Elements(ns + "numFmt")
            .ToDictionary(e => (int)e.Attribute("numFmtId")!, e => (string)e.Attribute("formatCode")!) ?? [];
        var result = new HashSet<int>();
        var index = 0;
        foreach (var xf in doc.Root.Element(ns + "cellXfs")?.Elements(ns + "xf") ?? [])
        {
            var id = (int?)xf.Attribute("numFmtId") ?? 0;
            var isDate = id is >= 14 and <= 22 or >= 45 and <= 47 ||
                         custom.TryGetValue(id, out var code) && StripLiterals(code).IndexOfAny(['d', 'D', 'y', 'Y']) >= 0;
            if (isDate) result.Add(index);
            index++;
        }
        return result;
    }

    private static string StripLiterals(string code)
    {
        var sb = new StringBuilder();
        var quoted = false;
        var bracket = false;
        foreach (var c in code)
        {
            if (c == '"') { quoted = !quoted; continue; }
            if (c == '[') bracket = true;
            if (c == ']') { bracket = false; continue; }
            if (!quoted && !bracket) sb.Append(c);
        }
        return sb.ToString();
    }

    private static string IsoDateCells(string sheetXml, HashSet<int> dateStyles)
    {
        var doc = XDocument.Parse(sheetXml);
        XNamespace ns = doc.Root!.Name.Namespace;
        foreach (var c in doc.Descendants(ns + "c"))
        {
            var type = (string?)c.Attribute("t");
            var style = (int?)c.Attribute("s") ?? 0;
            var v = c.Element(ns + "v");
            if (v is null || type is not (null or "n") || !dateStyles.Contains(style)) continue;
            var serial = double.Parse(v.Value, CultureInfo.InvariantCulture);
            c.SetAttributeValue("t", "d");
            v.Value = DateTime.FromOADate(serial).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        }
        return doc.Declaration + doc.ToString(SaveOptions.DisableFormatting);
    }
}
