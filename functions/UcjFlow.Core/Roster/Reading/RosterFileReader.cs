using System.IO.Compression;
using System.Text;
using ExcelDataReader;

namespace UcjFlow.Core.Roster.Reading;

/// <summary>
/// Opens a village roster: decides the format from the bytes, enforces the limits before any library reads the file
/// whole, finds the header row and leaves the rows after it ready to stream. Every problem with the file itself comes
/// out as a <see cref="RosterFileException"/>; no other exception escapes for bad input.
/// </summary>
public static class RosterFileReader
{
    /// <summary>How many rows of a sheet are searched for the header (roster.md).</summary>
    public const int HeaderWindow = 30;

    /// <summary>
    /// xls files name their code page and CSV falls back to Windows-1252: both need the code-pages provider. The
    /// static constructor registers it once, before any method of this type runs (ExcelDataReader's configuration
    /// asks for code page 1252 in its own constructor).
    /// </summary>
    static RosterFileReader()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
    }

    internal static Encoding Windows1252 { get; }

    /// <summary>The fields a roster's header row must have (roster.md): NIK and name.</summary>
    public static IReadOnlyList<RosterField> RosterHeaderFields { get; } = [RosterField.Nik, RosterField.Name];

    /// <summary>Opens a village roster: its header row must have <see cref="RosterHeaderFields"/>.</summary>
    public static Task<OpenedRoster> OpenAsync(Stream content, string fileName, RosterLimits limits, CancellationToken ct = default) =>
        OpenAsync(content, fileName, limits, RosterHeaderFields, ct);

    /// <summary>
    /// Opens a table whose header row must have every field of <paramref name="headerFields"/>, e.g. only NIK for a
    /// DTKS/P3KE extract used as a reference list.
    /// </summary>
    public static async Task<OpenedRoster> OpenAsync(
        Stream content, string fileName, RosterLimits limits, IReadOnlyList<RosterField> headerFields, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(headerFields);
        if (headerFields.Count == 0) throw new ArgumentException("The header needs at least one field.", nameof(headerFields));
        var (stream, owned) = await BufferAsync(content, limits.MaxBytes, ct);
        try
        {
            var opened = Open(stream, owned, fileName, limits, headerFields, ct);
            return opened;
        }
        catch
        {
            if (owned) await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>A seekable view of the content, never longer than the byte limit: the content itself when it is seekable.</summary>
    private static async Task<(Stream Stream, bool Owned)> BufferAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        if (content.CanSeek && content.Position == 0)
        {
            if (content.Length > maxBytes) throw RosterFileException.TooManyBytes(maxBytes);
            return (content, false);
        }
        // Copy at most maxBytes + 1 bytes: one byte more proves the file is too large without reading it all.
        Stream copy = maxBytes <= 64L * 1024 * 1024
            ? new MemoryStream()
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > maxBytes) throw RosterFileException.TooManyBytes(maxBytes);
                await copy.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            copy.Position = 0;
            return (copy, true);
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    private static OpenedRoster Open(
        Stream stream, bool ownsStream, string fileName, RosterLimits limits, IReadOnlyList<RosterField> headerFields, CancellationToken ct)
    {
        if (stream.Length == 0) throw RosterFileException.Empty();
        Span<byte> magic = stackalloc byte[8];
        stream.Position = 0;
        var got = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        magic = magic[..got];
        stream.Position = 0;

        if (magic.StartsWith("PK\u0003\u0004"u8) || magic.StartsWith("PK\u0005\u0006"u8))
        {
            if (!CheckZip(stream, limits)) return OpenExcel(stream, ownsStream, RosterFormat.Xlsx, limits, headerFields, ct);
            // Strict Open XML: read from a transitional copy, which the opened roster owns from here on.
            var transitional = Transitional(stream, ct);
            try
            {
                var opened = OpenExcel(transitional, true, RosterFormat.Xlsx, limits, headerFields, ct);
                if (ownsStream) stream.Dispose();
                return opened;
            }
            catch
            {
                transitional.Dispose();
                throw;
            }
        }
        if (magic.SequenceEqual(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }))
        {
            CheckCompoundFile(stream);
            return OpenExcel(stream, ownsStream, RosterFormat.Xls, limits, headerFields, ct);
        }
        var encoding = TextSniffer.Detect(stream) ?? throw RosterFileException.Unsupported();
        return OpenCsv(stream, ownsStream, encoding, fileName, limits, headerFields, ct);
    }

    /// <summary>
    /// Reads the zip's central directory: an xlsx must hold xl/workbook.xml, and the sizes its parts claim must add up
    /// to no more than the inflate limit. A zip that lies about its sizes cannot get further: .NET's ZipArchive stops
    /// inflating an entry at the size its directory claims, so the XML just ends early and reads as corrupt.
    /// Returns true when the workbook is Excel's "Strict Open XML" (<see cref="StrictOpenXml"/>).
    /// </summary>
    private static bool CheckZip(Stream stream, RosterLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long inflated = 0;
            ZipArchiveEntry? workbook = null;
            foreach (var entry in zip.Entries)
            {
                inflated += entry.Length;
                if (entry.Length < 0 || inflated > limits.MaxInflatedBytes) throw RosterFileException.Inflated(limits.MaxInflatedBytes);
                if (string.Equals(entry.FullName, "xl/workbook.xml", StringComparison.OrdinalIgnoreCase)) workbook = entry;
            }
            if (workbook is null) throw RosterFileException.Unsupported(); // a .docx, .xlsb, .ods or plain zip
            return StrictOpenXml.IsStrict(workbook);
        }
        catch (InvalidDataException ex) // what ZipArchive throws for a damaged archive
        {
            throw RosterFileException.Corrupt(ex);
        }
        finally
        {
            stream.Position = 0;
        }
    }

    private static Stream Transitional(Stream stream, CancellationToken ct)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return StrictOpenXml.ToTransitional(zip, ct);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            throw RosterFileException.Corrupt(ex);
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>
    /// True when a worksheet part of the xlsx holds cell values ("&lt;v&gt;" or an inline "&lt;is&gt;", with or without a
    /// prefix): asked only when the reader found no cell at all, to tell cells it could not read from a blank workbook.
    /// </summary>
    private static bool WorksheetsHoldValues(Stream stream)
    {
        try
        {
            stream.Position = 0;
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var buffer = new byte[64 * 1024];
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) ||
                    !entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) continue;
                using var part = entry.Open();
                var kept = 0;
                int read;
                while ((read = part.Read(buffer, kept, buffer.Length - kept)) > 0)
                {
                    var span = buffer.AsSpan(0, kept + read);
                    if (span.IndexOf("<v>"u8) >= 0 || span.IndexOf(":v>"u8) >= 0 || span.IndexOf("<is>"u8) >= 0 || span.IndexOf(":is>"u8) >= 0)
                        return true;
                    // Keep the last bytes: a tag may be cut by the buffer's end.
                    kept = Math.Min(4, span.Length);
                    span[^kept..].CopyTo(buffer);
                }
            }
            return false;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            return true; // a part that breaks while inflating was not read either
        }
    }

    /// <summary>An OLE2 file is an .xls ("Workbook"/"Book" stream), an encrypted Office file, or something else.</summary>
    private static void CheckCompoundFile(Stream stream)
    {
        HashSet<string> names;
        try
        {
            names = CompoundFile.ReadEntryNames(stream);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException or ArgumentException)
        {
            throw RosterFileException.Corrupt(ex);
        }
        finally
        {
            stream.Position = 0;
        }
        if (names.Contains("EncryptedPackage") || names.Contains("EncryptionInfo")) throw RosterFileException.Encrypted();
        if (!names.Contains("Workbook") && !names.Contains("Book")) throw RosterFileException.Unsupported(); // .doc, .msg, .ppt
    }

    private static OpenedRoster OpenExcel(
        Stream stream, bool ownsStream, RosterFormat format, RosterLimits limits, IReadOnlyList<RosterField> headerFields, CancellationToken ct)
    {
        var config = new ExcelReaderConfiguration { LeaveOpen = true, FallbackEncoding = Windows1252 };
        ExcelRowSource? source = null;
        try
        {
            source = ExcelRowSource.Open(stream, format, config);
            do
            {
                ct.ThrowIfCancellationRequested();
                // Hidden and very hidden sheets are skipped: villages keep lookup lists there.
                if (!source.SheetVisible) continue;
                CheckUsedRange(source);
                source.StartSheet();
                var header = FindHeader(source, source.SheetName, headerFields);
                if (header is not null) return new OpenedRoster(format, header, source, ownsStream ? stream : null, limits);
            } while (source.NextSheet());
            // No header. If the reader met no cell in any sheet, hidden ones and rows past the window included, while
            // the sheets hold values, it could not read them: the headings are not at fault.
            if (format == RosterFormat.Xlsx && !source.SawCell && !source.AnyCellFromStart() && WorksheetsHoldValues(stream))
                throw RosterFileException.CellsUnreadable();
        }
        catch
        {
            source?.Dispose();
            throw;
        }
        source.Dispose();
        throw RosterFileException.HeaderNotFound();
    }

    /// <summary>
    /// The most cells (rows × columns of the sheet's used range, as the reader reports them before reading) a sheet may
    /// span: 100 million, e.g. 200,000 rows of 500 columns. ExcelDataReader walks every row up to the last used one and
    /// clears every column up to the last used one in each, so one stray cell at XFD1048576 costs some 20 s of CPU, and
    /// a damaged xls DIMENSIONS record claiming 2^31 rows never ends.
    /// </summary>
    public const long MaxUsedRangeCells = 100_000_000;

    /// <summary>Refuses a sheet whose used range exceeds <see cref="MaxUsedRangeCells"/> before any row is read.</summary>
    private static void CheckUsedRange(ExcelRowSource sheet)
    {
        var (rows, columns) = sheet.UsedRange;
        if (rows > 0 && (long)rows * Math.Max(1, columns) > MaxUsedRangeCells)
            throw RosterFileException.UsedRangeTooLarge(sheet.SheetName, rows, columns);
    }

    private static OpenedRoster OpenCsv(
        Stream stream, bool ownsStream, Encoding encoding, string fileName, RosterLimits limits, IReadOnlyList<RosterField> headerFields,
        CancellationToken ct)
    {
        var sheet = Path.GetFileNameWithoutExtension(fileName);
        var start = stream.Position; // after any byte-order mark
        RosterHeader? best = null;
        var bestSeparator = ',';
        var bestScore = -1L;
        foreach (var separator in new[] { ',', ';', '\t' })
        {
            ct.ThrowIfCancellationRequested();
            stream.Position = start;
            using var probe = new CsvRowSource(stream, encoding, separator);
            var header = FindHeader(probe, sheet, headerFields);
            if (header is null) continue;
            // Prefer the separator whose header comes first, then the one recognising more columns, then the one
            // splitting it into more columns: with NIK alone required, "NIK;Alamat" read with ',' is one NIK column.
            var recognised = 0;
            foreach (var c in header.Columns)
                if (c.Field is not null) recognised++;
            var score = ((long)(HeaderWindow - header.Row) * 1000 + recognised) * 100_000 + Math.Min(header.Columns.Count, 99_999);
            if (score > bestScore)
            {
                best = header;
                bestSeparator = separator;
                bestScore = score;
            }
        }
        if (best is null) throw RosterFileException.HeaderNotFound();

        stream.Position = start;
        var source = new CsvRowSource(stream, encoding, bestSeparator);
        for (var i = 0; i < best.LastRow; i++) source.Read();
        return new OpenedRoster(RosterFormat.Csv, best, source, ownsStream ? stream : null, limits);
    }

    /// <summary>
    /// Reads at most <see cref="HeaderWindow"/> rows (and one more to look under the header); on success the source
    /// stands on the header's last row, the header being the first row with every field of
    /// <paramref name="headerFields"/>, or a header of two rows (<see cref="TwoRowHeader"/>) that has them.
    /// </summary>
    private static RosterHeader? FindHeader(RowSource source, string sheet, IReadOnlyList<RosterField> headerFields)
    {
        Cell[]? previous = null;
        while (source.RowNumber < HeaderWindow && source.Read())
        {
            var cells = source.CellsOfRow();
            var row = source.RowNumber;
            var single = Columns(cells);
            var singleHasAll = HasAll(single, headerFields);
            // This row may be the sub-headings of the row above ("Data Peserta" over "NIK" and "Nama", "Alamat" merged down).
            if (previous is not null && TwoRowHeader.TryMerge(previous, cells) is { } withAbove && HasAll(withAbove, headerFields) &&
                (!singleHasAll || TwoRowHeader.Recognised(withAbove) > TwoRowHeader.Recognised(single)))
                return new RosterHeader(sheet, row - 1, withAbove, Rows: 2);
            if (singleHasAll)
            {
                // The row below may hold sub-headings; if not, it is the first data row and is read again.
                if (!source.Read()) return new RosterHeader(sheet, row, single);
                if (TwoRowHeader.TryMerge(cells, source.CellsOfRow()) is { } withBelow && HasAll(withBelow, headerFields))
                    return new RosterHeader(sheet, row, withBelow, Rows: 2);
                source.RepeatCurrentRow();
                return new RosterHeader(sheet, row, single);
            }
            previous = cells;
        }
        return null;
    }

    private static HeaderColumn[] Columns(Cell[] cells)
    {
        var columns = new HeaderColumn[cells.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            var title = cells[i].Text;
            var field = cells[i].Kind == CellKind.Text ? HeaderMatcher.Match(title) : null;
            columns[i] = new HeaderColumn(i, title, field);
        }
        return columns;
    }

    private static bool HasAll(HeaderColumn[] columns, IReadOnlyList<RosterField> fields)
    {
        foreach (var f in fields)
            if (!Array.Exists(columns, c => c.Field == f)) return false;
        return true;
    }
}
