using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using UcjFlow.Core.Roster.Reading;

namespace UcjFlow.Core.Tests.Fuzz;

/// <summary>One fuzz input: a seed file changed by one mutation, described so a failure says what was done.</summary>
public sealed record FuzzCase(int Index, FuzzSeed Seed, string Mutation, byte[] Content)
{
    public string FileName => Path.GetFileNameWithoutExtension(Seed.Name) + "-fuzz" + Index + Seed.Extension;
}

/// <summary>
/// Derives damaged rosters from real ones: byte flips, truncations, insertions and deletions for every format; for xlsx
/// also whole zip entries deleted, duplicated, renamed, emptied or filled with garbage, central-directory and local-header
/// fields (sizes, compression method, flags, offsets) overwritten, deflated data damaged, and the XML of the sheet, shared
/// strings, styles, workbook, relationships and content types garbled with tokens that readers have tripped on (huge row
/// and column references, out-of-range string and style indices, extreme numbers, entity and DTD tricks, <c>_xD800_</c>
/// escapes); for xls the OLE2 header and BIFF record headers; for CSV quotes, separators, NULs, broken UTF-8, stray
/// byte-order marks and very long fields. Deterministic: the same (seed, index) gives the same case.
/// Zip archives are only ever written by <see cref="ZipArchive"/>; structural damage is done to its output.
/// </summary>
public static class RosterMutator
{
    /// <summary>The case <paramref name="index"/> of run <paramref name="runSeed"/>: seeds are taken in turn.</summary>
    public static FuzzCase Make(int runSeed, int index, IReadOnlyList<FuzzSeed> seeds)
    {
        var rng = new Random(unchecked(runSeed * 1_000_003 + index));
        var seed = seeds[index % seeds.Count];
        var (mutation, content) = seed.Format switch
        {
            RosterFormat.Xlsx => Xlsx(seed.Content, rng),
            RosterFormat.Xls => Xls(seed.Content, rng),
            _ => Csv(seed.Content, rng),
        };
        return new FuzzCase(index, seed, mutation, content);
    }

    // ---- every format ----------------------------------------------------------------------------------------------

    private static (string, byte[]) Bytes(byte[] input, Random rng)
    {
        var b = (byte[])input.Clone();
        switch (rng.Next(7))
        {
            case 0:
            {
                var n = 1 + rng.Next(8);
                for (var i = 0; i < n; i++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                return ($"flip {n} bits", b);
            }
            case 1:
            {
                var at = rng.Next(b.Length);
                var len = Math.Min(b.Length - at, 1 + rng.Next(64));
                rng.NextBytes(b.AsSpan(at, len));
                return ($"overwrite {len} bytes at {at}", b);
            }
            case 2:
            {
                var at = rng.Next(Math.Max(1, b.Length - 4));
                var value = Interesting[rng.Next(Interesting.Length)];
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at, 4), value);
                return ($"write 0x{value:X8} at {at}", b);
            }
            case 3:
            {
                var len = rng.Next(b.Length);
                return ($"truncate to {len}", b[..len]);
            }
            case 4:
            {
                var at = rng.Next(b.Length);
                var len = Math.Min(b.Length - at, 1 + rng.Next(512));
                return ($"delete {len} bytes at {at}", [.. b.AsSpan(0, at), .. b.AsSpan(at + len)]);
            }
            case 5:
            {
                var at = rng.Next(b.Length);
                var junk = new byte[1 + rng.Next(256)];
                rng.NextBytes(junk);
                return ($"insert {junk.Length} bytes at {at}", [.. b.AsSpan(0, at), .. junk, .. b.AsSpan(at)]);
            }
            default:
            {
                var from = rng.Next(b.Length);
                var len = Math.Min(b.Length - from, 1 + rng.Next(1024));
                var at = rng.Next(b.Length);
                return ($"copy {len} bytes from {from} to {at}", [.. b.AsSpan(0, at), .. b.AsSpan(from, len), .. b.AsSpan(at)]);
            }
        }
    }

    private static readonly uint[] Interesting =
        [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF];

    // ---- xlsx ------------------------------------------------------------------------------------------------------

    private sealed record Part(string Name, byte[] Data);

    private static (string, byte[]) Xlsx(byte[] input, Random rng)
    {
        var parts = PartsOf.GetValue(input, ReadParts).ToList();
        var roll = rng.Next(20);
        if (roll < 4) return Bytes(input, rng);
        if (roll < 10)
        {
            // The parts a reader actually parses get most of the attention.
            var xmlParts = parts.Where(p => p.Name.EndsWith(".xml", StringComparison.Ordinal) || p.Name.EndsWith(".rels", StringComparison.Ordinal)).ToList();
            var target = rng.Next(3) > 0
                ? xmlParts.FirstOrDefault(p => p.Name.Contains(rng.Next(2) == 0 ? "worksheets/sheet" : "sharedStrings", StringComparison.Ordinal)) ?? xmlParts[0]
                : xmlParts[rng.Next(xmlParts.Count)];
            var (what, data) = Xml(target.Data, rng);
            parts[parts.IndexOf(target)] = target with { Data = data };
            return ($"{target.Name}: {what}", WriteZip(parts, rng.Next(4) == 0));
        }
        var victim = parts[rng.Next(parts.Count)];
        switch (roll)
        {
            case 10:
                parts.Remove(victim);
                return ($"delete entry {victim.Name}", WriteZip(parts, false));
            case 11:
            {
                // A second entry of the same name, before or after the first, the same or garbled.
                var twin = rng.Next(2) == 0 ? victim : victim with { Data = Xml(victim.Data, rng).Item2 };
                parts.Insert(rng.Next(2) == 0 ? parts.IndexOf(victim) : parts.IndexOf(victim) + 1, twin);
                return ($"duplicate entry {victim.Name}", WriteZip(parts, false));
            }
            case 12:
            {
                string[] names = [victim.Name.ToUpperInvariant(), "/" + victim.Name, victim.Name.Replace('/', '\\'), victim.Name + "x", "../" + victim.Name];
                var name = names[rng.Next(names.Length)];
                parts[parts.IndexOf(victim)] = victim with { Name = name };
                return ($"rename entry {victim.Name} to {name}", WriteZip(parts, false));
            }
            case 13:
            {
                var junk = new byte[rng.Next(4) == 0 ? 0 : 1 + rng.Next(4096)];
                rng.NextBytes(junk);
                parts[parts.IndexOf(victim)] = victim with { Data = junk };
                return ($"entry {victim.Name} holds {junk.Length} random bytes", WriteZip(parts, false));
            }
            case 14:
            case 15:
                return CentralDirectoryField(WriteZip(parts, rng.Next(3) == 0), rng);
            case 16:
                return LocalHeaderField(WriteZip(parts, rng.Next(3) == 0), rng);
            case 17:
                return DamageDeflate(parts, rng);
            default:
                return TruncateAtStructure(WriteZip(parts, false), rng);
        }
    }

    // A seed's parts are unzipped once: the cases only copy the list.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<byte[], List<Part>> PartsOf = new();

    private static List<Part> ReadParts(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        return zip.Entries.Select(e =>
        {
            using var s = e.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            return new Part(e.FullName, ms.ToArray());
        }).ToList();
    }

    private static byte[] WriteZip(IEnumerable<Part> parts, bool stored)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var part in parts)
            {
                var entry = zip.CreateEntry(part.Name, stored ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
                using var s = entry.Open();
                s.Write(part.Data);
            }
        }
        return ms.ToArray();
    }

    private static List<int> Find(byte[] b, ReadOnlySpan<byte> signature)
    {
        var at = new List<int>();
        for (var i = b.AsSpan().IndexOf(signature); i >= 0;)
        {
            at.Add(i);
            var next = b.AsSpan(i + 1).IndexOf(signature);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return at;
    }

    // Field offsets from APPNOTE.TXT 4.3.12 (central directory header) and 4.3.7 (local file header).
    private static readonly (string Name, int Offset, int Size)[] CentralFields =
    [
        ("flags", 8, 2), ("compression method", 10, 2), ("crc-32", 16, 4), ("compressed size", 20, 4),
        ("uncompressed size", 24, 4), ("file name length", 28, 2), ("extra field length", 30, 2), ("comment length", 32, 2),
        ("disk number start", 34, 2), ("local header offset", 42, 4),
    ];

    private static readonly (string Name, int Offset, int Size)[] LocalFields =
    [
        ("flags", 6, 2), ("compression method", 8, 2), ("crc-32", 14, 4), ("compressed size", 18, 4),
        ("uncompressed size", 22, 4), ("file name length", 26, 2), ("extra field length", 28, 2),
    ];

    private static (string, byte[]) CentralDirectoryField(byte[] zip, Random rng)
    {
        var records = Find(zip, "PK\u0001\u0002"u8);
        if (records.Count == 0) return ("no central directory", zip);
        var at = records[rng.Next(records.Count)];
        return PatchField(zip, at, CentralFields[rng.Next(CentralFields.Length)], "central directory", rng);
    }

    private static (string, byte[]) LocalHeaderField(byte[] zip, Random rng)
    {
        var records = Find(zip, "PK\u0003\u0004"u8);
        if (records.Count == 0) return ("no local header", zip);
        var at = records[rng.Next(records.Count)];
        return PatchField(zip, at, LocalFields[rng.Next(LocalFields.Length)], "local header", rng);
    }

    private static (string, byte[]) PatchField(byte[] zip, int record, (string Name, int Offset, int Size) field, string where, Random rng)
    {
        var b = (byte[])zip.Clone();
        var span = b.AsSpan(record + field.Offset, field.Size);
        var old = field.Size == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
        uint value = field.Name switch
        {
            "compression method" => new uint[] { 0, 1, 6, 9, 12, 14, 93, 98, 99, 0xFFFF }[rng.Next(10)],
            "flags" => old ^ new uint[] { 1, 8, 0x40, 0x800, 0x2000 }[rng.Next(5)], // encrypted, data descriptor, strong, UTF-8, masked
            _ => rng.Next(3) switch
            {
                0 => Interesting[rng.Next(Interesting.Length)],
                1 => (uint)(old + (uint)rng.Next(-3, 4)),
                _ => (uint)rng.Next(),
            },
        };
        if (field.Size == 2) BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value);
        else BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        return ($"{where} at {record}: {field.Name} {old} -> {value}", b);
    }

    /// <summary>Damages the deflated data of one part (written compressed so there is a deflate stream to break).</summary>
    private static (string, byte[]) DamageDeflate(List<Part> parts, Random rng)
    {
        var zip = WriteZip(parts, false);
        var locals = Find(zip, "PK\u0003\u0004"u8);
        var at = locals[rng.Next(locals.Count)];
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 26));
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28));
        var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 18)), int.MaxValue);
        var start = at + 30 + nameLength + extraLength;
        if (size <= 0 || start + size > zip.Length) return ("deflate: empty entry", zip);
        var name = Encoding.UTF8.GetString(zip, at + 30, nameLength);
        var n = 1 + rng.Next(4);
        for (var i = 0; i < n; i++) zip[start + rng.Next(size)] = (byte)rng.Next(256);
        return ($"deflate data of {name}: {n} bytes replaced", zip);
    }

    private static (string, byte[]) TruncateAtStructure(byte[] zip, Random rng)
    {
        var marks = Find(zip, "PK\u0003\u0004"u8).Concat(Find(zip, "PK\u0001\u0002"u8)).Concat(Find(zip, "PK\u0005\u0006"u8)).ToList();
        var mark = marks[rng.Next(marks.Count)];
        var len = Math.Clamp(mark + rng.Next(-2, 40), 1, zip.Length - 1);
        return ($"truncate to {len} (near the record at {mark})", zip[..len]);
    }

    // ---- XML of one part -------------------------------------------------------------------------------------------

    private static readonly string[] XmlTokens =
    [
        "<", ">", "&", "&amp;", "&#0;", "&#x1;", "&#xFFFF;", "&bogus;", "_xD800_", "_xDFFF_", "_x0000_", "_xFFFF_", "\"", "'",
        "<row r=\"1048576\">", "<row r=\"0\">", "<row r=\"-1\">", "<row r=\"99999999999\">", "<row>", "</row>", "<row r=\"5\" spans=\"1:99999\">",
        "<c r=\"XFD1048576\" t=\"s\"><v>4294967295</v></c>", "<c r=\"A1\" t=\"s\"><v>-1</v></c>", "<c r=\"B2\" t=\"s\"><v>99999</v></c>",
        "<c t=\"n\"><v>1e309</v></c>", "<c t=\"n\"><v>NaN</v></c>", "<c><v>-1e308</v></c>", "<c t=\"d\"><v>9999-99-99</v></c>",
        "<c t=\"b\"><v>2</v></c>", "<c t=\"e\"><v>#REF!</v></c>", "<c t=\"inlineStr\"><is><t>x</t></is></c>", "<c t=\"inlineStr\"><v>1</v></c>",
        "<c s=\"99999\"><v>1</v></c>", "<c s=\"-5\"><v>1</v></c>", "<c r=\"A3\" s=\"1\"><v>2958466</v></c>", "<c r=\"A3\" s=\"1\"><v>-700000</v></c>",
        "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>", "<row r=\"1048576\"><c r=\"A1048576\"><v>1</v></c></row>",
        "<row r=\"300000\"><c r=\"ZZ300000\"><v>1</v></c></row>", "<row r=\"2147483647\"><c r=\"A2147483647\"><v>1</v></c></row>",
        "<c r=\"ZZZZZZZZ1\"><v>1</v></c>", "<c r=\"A\"><v>1</v></c>", "<c r=\"1A\"><v>1</v></c>", "<c r=\"\"/>",
        "<dimension ref=\"A1:XFD1048576\"/>", "<mergeCell ref=\"A1:XFD1048576\"/>", "<mergeCells count=\"99999\"><mergeCell ref=\"B1:A1\"/></mergeCells>",
        "<sheetData>", "</sheetData>", "<sheetData/>", "<![CDATA[", "]]>", "<!--", "-->", "<?xml version=\"1.0\"?>", "<?pi x?>",
        "xmlns=\"urn:x\"", "xmlns:x=\"\"", "<si><t>", "</t></si>", "<si/>", "<sst count=\"2147483647\" uniqueCount=\"2147483647\">",
        "<si><r><t>a</t></r><rPh><t>b</t></rPh></si>", "<t xml:space=\"preserve\">  </t>",
        "<sheet name=\"X\" sheetId=\"99\" r:id=\"rId99\"/>", "<sheet name=\"\" sheetId=\"1\" r:id=\"rId1\"/>", "state=\"hidden\"", "state=\"veryHidden\"",
        "<numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/>", "<numFmt numFmtId=\"165\" formatCode=\"[\"/>", "<xf numFmtId=\"99999\"/>",
        "<cellXfs count=\"-1\">", "<Relationship Id=\"rId1\" Type=\"x\" Target=\"../../../etc/passwd\"/>",
        "<Relationship Id=\"rId2\" Target=\"worksheets/sheet1.xml\" TargetMode=\"External\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\"/>",
        "<Override PartName=\"/xl/workbook.xml\" ContentType=\"x\"/>", "<workbookPr date1904=\"1\"/>",
        "\u0000", "\uFFFE", "\u0001", "\uD800",
    ];

    private static readonly string[] XmlValues =
        ["", "-1", "0", "1", "2147483648", "-2147483649", "99999999999999999999", "XFD1048576", "A0", "ZZZZZ1", "1:16384", "0:0",
         "s", "n", "str", "inlineStr", "e", "b", "d", "rId999", "../../etc/passwd", "/xl/worksheets/sheet1.xml", "NaN", "1e400", "\u0000"];

    private static (string, byte[]) Xml(byte[] data, Random rng)
    {
        var text = Encoding.UTF8.GetString(data);
        if (text.Length == 0) text = "<x/>";
        switch (rng.Next(11))
        {
            case 10 when text.Contains("</sheetData>", StringComparison.Ordinal):
            {
                // A well-formed cell far from the table, where a stray keystroke or a damaged reference puts one.
                string[] rows = ["1048576", "1048577", "300000", "65536", "2147483647", "99999999999", "0", "-5"];
                string[] columns = ["A", "Z", "IV", "IW", "XFD", "XFE", "ZZZZ"];
                var (row, column) = (rows[rng.Next(rows.Length)], columns[rng.Next(columns.Length)]);
                var cell = $"<row r=\"{row}\"><c r=\"{column}{row}\"><v>1</v></c></row>";
                var end = text.IndexOf("</sheetData>", StringComparison.Ordinal);
                return ($"xml far cell {column}{row} added", Encoding.UTF8.GetBytes(text.Insert(end, cell)));
            }
            case 0:
            {
                var len = rng.Next(text.Length);
                return ($"xml cut at char {len}", Encoding.UTF8.GetBytes(text[..len]));
            }
            case 1:
            {
                var at = rng.Next(text.Length);
                var len = Math.Min(text.Length - at, 1 + rng.Next(200));
                return ($"xml {len} chars deleted at {at}", Encoding.UTF8.GetBytes(text.Remove(at, len)));
            }
            case 2:
            case 3:
            {
                var token = XmlTokens[rng.Next(XmlTokens.Length)];
                var at = TagBoundary(text, rng);
                return ($"xml '{Printable(token)}' inserted at {at}", Encoding.UTF8.GetBytes(text.Insert(at, token)));
            }
            case 4:
            {
                // An attribute value swapped for an extreme or wrong-typed one.
                var quotes = AllIndexes(text, "=\"");
                if (quotes.Count == 0) goto case 2;
                var at = quotes[rng.Next(quotes.Count)] + 2;
                var end = text.IndexOf('"', at);
                if (end < 0) goto case 2;
                var value = XmlValues[rng.Next(XmlValues.Length)];
                return ($"xml attribute '{Printable(text[at..end])}' at {at} set to '{Printable(value)}'",
                    Encoding.UTF8.GetBytes(text[..at] + value + text[end..]));
            }
            case 5:
            {
                // An element's text (a <v> or <t>) swapped.
                var values = AllIndexes(text, "<v>").Concat(AllIndexes(text, "<t>")).Concat(AllIndexes(text, "<t xml:space=\"preserve\">")).ToList();
                if (values.Count == 0) goto case 4;
                var at = text.IndexOf('>', values[rng.Next(values.Count)]) + 1;
                var end = text.IndexOf('<', at);
                if (end < 0) goto case 2;
                var value = rng.Next(3) == 0 ? new string('9', 1 + rng.Next(400)) : XmlValues[rng.Next(XmlValues.Length)];
                return ($"xml value '{Printable(text[at..end])}' at {at} set to '{Printable(value)}'",
                    Encoding.UTF8.GetBytes(text[..at] + value + text[end..]));
            }
            case 6:
            {
                // An element (from one '<' to a later '>') repeated many times.
                var starts = AllIndexes(text, "<");
                var from = starts[rng.Next(starts.Count)];
                var to = text.IndexOf('>', from + 1 + rng.Next(Math.Max(1, Math.Min(300, text.Length - from - 1))));
                if (to < 0) goto case 2;
                var times = rng.Next(2) == 0 ? 2 : 1 + rng.Next(2000);
                var chunk = text[from..(to + 1)];
                return ($"xml '{Printable(chunk)}' repeated {times} times",
                    Encoding.UTF8.GetBytes(text.Insert(to + 1, string.Concat(Enumerable.Repeat(chunk, times - 1)))));
            }
            case 7:
            {
                // Entity expansion and external entities: the XML reader must refuse DTDs, not expand or fetch them.
                var dtd = rng.Next(2) == 0
                    ? "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                    : "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>";
                var declEnd = text.StartsWith("<?xml", StringComparison.Ordinal) ? text.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
                return ($"xml DTD inserted", Encoding.UTF8.GetBytes(text.Insert(declEnd, dtd)));
            }
            case 8:
            {
                // Bytes that are not UTF-8, or the part re-encoded as UTF-16 under a UTF-8 declaration.
                if (rng.Next(2) == 0) return ("xml re-encoded as UTF-16", Encoding.Unicode.GetBytes(text));
                var bytes = Encoding.UTF8.GetBytes(text);
                var at = rng.Next(bytes.Length);
                byte[][] bads = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]];
                var bad = bads[rng.Next(bads.Length)];
                return ($"xml bytes {Convert.ToHexString(bad)} inserted at {at}", [.. bytes.AsSpan(0, at), .. bad, .. bytes.AsSpan(at)]);
            }
            default:
            {
                // Deep nesting or one enormous text node.
                var at = TagBoundary(text, rng);
                var filler = rng.Next(2) == 0
                    ? string.Concat(Enumerable.Repeat("<x>", 20_000))
                    : "<c r=\"A2\" t=\"inlineStr\"><is><t>" + new string('A', 200_000) + "</t></is></c>";
                return ($"xml {(filler[1] == 'x' ? "20000 nested elements" : "200 KB text node")} at {at}", Encoding.UTF8.GetBytes(text.Insert(at, filler)));
            }
        }
    }

    /// <summary>Mostly just after a '>' (where a token makes a structurally new element), sometimes anywhere.</summary>
    private static int TagBoundary(string text, Random rng)
    {
        if (rng.Next(4) == 0) return rng.Next(text.Length + 1);
        var ends = AllIndexes(text, ">");
        return ends.Count == 0 ? rng.Next(text.Length + 1) : ends[rng.Next(ends.Count)] + 1;
    }

    private static List<int> AllIndexes(string text, string what)
    {
        var at = new List<int>();
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) at.Add(i);
        return at;
    }

    private static string Printable(string s)
    {
        var shown = s.Length > 60 ? s[..60] + "…" : s;
        var sb = new StringBuilder(shown.Length);
        foreach (var ch in shown) sb.Append(char.IsControl(ch) || char.IsSurrogate(ch) ? $"\\u{(int)ch:X4}" : ch.ToString());
        return sb.ToString();
    }

    // ---- xls -------------------------------------------------------------------------------------------------------

    private static (string, byte[]) Xls(byte[] input, Random rng)
    {
        var b = (byte[])input.Clone();
        switch (rng.Next(6))
        {
            case 0:
            case 1:
            {
                // An OLE2 header field: sector shift, FAT count, directory start, mini-stream cutoff, DIFAT, the FAT list.
                int[] fields = [0x1E, 0x20, 0x2C, 0x30, 0x38, 0x3C, 0x40, 0x44, 0x48, 0x4C, 0x50, 0x54];
                var at = fields[rng.Next(fields.Length)];
                var value = Interesting[rng.Next(Interesting.Length)];
                var old = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
                if (at is 0x1E or 0x20) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), (ushort)value);
                else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), value);
                return ($"OLE2 header field 0x{at:X2}: {old} -> {value}", b);
            }
            case 2:
            {
                // A BIFF record header (type, length) in the streams: 2-byte aligned, after the OLE2 header sector.
                var at = 512 + 2 * rng.Next((b.Length - 516) / 2);
                var value = (ushort)Interesting[rng.Next(Interesting.Length)];
                var old = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), value);
                return ($"uint16 at {at}: {old} -> {value}", b);
            }
            case 3 when rng.Next(2) == 0 && Find(b, [0x00, 0x02, 0x0E, 0x00]) is { Count: > 0 } dimensions:
            {
                // The sheet's DIMENSIONS record (BIFF8 0x0200: first row, last row + 1 as uint32, first and last column + 1
                // as uint16): readers size their row loop and row arrays from it.
                var at = dimensions[rng.Next(dimensions.Count)] + 4;
                var (field, offset, size) = new (string, int, int)[] { ("first row", 0, 4), ("last row", 4, 4), ("first column", 8, 2), ("last column", 10, 2) }[rng.Next(4)];
                var value = Interesting[rng.Next(Interesting.Length)];
                if (size == 2) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at + offset), (ushort)value);
                else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at + offset), value);
                return ($"DIMENSIONS at {at}: {field} = {value}", b);
            }
            case 3:
            {
                var sectors = b.Length / 512;
                var len = 512 * (1 + rng.Next(Math.Max(1, sectors - 1))) + (rng.Next(2) == 0 ? 0 : rng.Next(512));
                return ($"truncate to {Math.Min(len, b.Length - 1)} (sector boundary)", b[..Math.Min(len, b.Length - 1)]);
            }
            default:
                return Bytes(input, rng);
        }
    }

    // ---- csv -------------------------------------------------------------------------------------------------------

    private static readonly byte[][] CsvTokens =
    [
        "\""u8.ToArray(), "\"\""u8.ToArray(), ","u8.ToArray(), ";"u8.ToArray(), "\t"u8.ToArray(), "\r"u8.ToArray(), "\n"u8.ToArray(),
        [0], [0xC3, 0x28], [0xFF], [0xFE], [0xEF, 0xBB, 0xBF], [0xE2, 0x80, 0x8B], [0xED, 0xA0, 0x80], [0x1A],
        Encoding.UTF8.GetBytes(new string(',', 5_000)), Encoding.UTF8.GetBytes(new string('9', 20_000)),
        Encoding.UTF8.GetBytes("\"" + new string('x', 70_000)), Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("\r\n", 10_000))),
        "=cmd|' /C calc'!A0"u8.ToArray(), "<script>alert(1)</script>"u8.ToArray(), "1.503.010.211.860.170"u8.ToArray(),
        "3.50301E+15"u8.ToArray(), "NIK,Nama\r\n"u8.ToArray(), "JUMLAH"u8.ToArray(), "31/02/1990"u8.ToArray(),
    ];

    private static (string, byte[]) Csv(byte[] input, Random rng)
    {
        var roll = rng.Next(4);
        if (roll == 0) return Bytes(input, rng);
        if (roll == 1)
        {
            byte[][] boms = [[0xFF, 0xFE], [0xFE, 0xFF], [0xEF, 0xBB, 0xBF], [0xEF, 0xBB], [0x2B, 0x2F, 0x76, 0x38], [0x00, 0x00, 0xFE, 0xFF]];
            var bom = boms[rng.Next(boms.Length)];
            return ($"prefix {Convert.ToHexString(bom)}", [.. bom, .. input]);
        }
        var n = 1 + rng.Next(4);
        var b = input;
        var what = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var token = CsvTokens[rng.Next(CsvTokens.Length)];
            var at = rng.Next(b.Length + 1);
            b = [.. b.AsSpan(0, at), .. token, .. b.AsSpan(at)];
            what.Add($"{(token.Length > 16 ? $"{token.Length} bytes of '{(char)token[^1]}'" : Convert.ToHexString(token))} at {at}");
        }
        return ("insert " + string.Join(", ", what), b);
    }
}
