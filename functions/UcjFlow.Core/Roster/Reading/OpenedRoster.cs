using System.Globalization;

namespace UcjFlow.Core.Roster.Reading;

/// <summary>
/// A roster whose header was found, with its data rows ready to stream once. Dispose it to release the reader and
/// any buffered copy of the content (the caller's stream itself is left open).
/// </summary>
public sealed class OpenedRoster : IDisposable
{
    private readonly RowSource _source;
    private readonly Stream? _ownedStream;
    private readonly RosterLimits _limits;
    private bool _started;
    private bool _disposed;

    internal OpenedRoster(RosterFormat format, RosterHeader header, RowSource source, Stream? ownedStream, RosterLimits limits)
    {
        Format = format;
        Header = header;
        _source = source;
        _ownedStream = ownedStream;
        _limits = limits;
    }

    public RosterFormat Format { get; }

    public RosterHeader Header { get; }

    /// <summary>
    /// The data rows after the header, with the sheet's own 1-based row numbers. Skipped without a trace: a
    /// column-number row right under the header, empty rows, rows filled only in ignored columns (No, No Urut) or a
    /// renewal roster's Lanjut? and reason columns, and
    /// total rows (JUMLAH/TOTAL with an empty NIK cell). Each row gets its own cell array, as wide as the header, so
    /// consumers may keep rows. Can be enumerated once.
    /// </summary>
    /// <exception cref="RosterFileException">FILE_TOO_LARGE past the row limit; FILE_CORRUPT when the file breaks mid-read.</exception>
    public IAsyncEnumerable<SheetRow> ReadDataRowsAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started) throw new InvalidOperationException("The data rows of a roster can be read once.");
        _started = true;
        return new RowEnumerable(this, ct);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _source.Dispose();
        _ownedStream?.Dispose();
    }

    private sealed class RowEnumerable(OpenedRoster roster, CancellationToken ct) : IAsyncEnumerable<SheetRow>
    {
        public IAsyncEnumerator<SheetRow> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            new RowEnumerator(roster, cancellationToken.CanBeCanceled ? cancellationToken : ct);
    }

    /// <summary>Synchronous underneath (ExcelDataReader is): each MoveNextAsync completes at once, without allocating a task.</summary>
    private sealed class RowEnumerator : IAsyncEnumerator<SheetRow>
    {
        private readonly OpenedRoster _roster;
        private readonly CancellationToken _ct;
        private readonly int _width;
        private readonly bool[] _ignored;
        private readonly int _nik;
        private bool _first = true;
        private int _count;
        private SheetRow? _current;

        public RowEnumerator(OpenedRoster roster, CancellationToken ct)
        {
            _roster = roster;
            _ct = ct;
            var columns = roster.Header.Columns;
            _width = columns.Count;
            _ignored = new bool[_width];
            // A renewal roster's Lanjut? and reason cells alone are no person either: a village drags "Ya" down the column.
            foreach (var c in columns)
                if (c.Field is RosterField.Ignored or RosterField.Renewal or RosterField.RenewalReason && c.Index < _width)
                    _ignored[c.Index] = true;
            _nik = roster.Header.IndexOf(RosterField.Nik);
        }

        public SheetRow Current => _current ?? throw new InvalidOperationException();

        public ValueTask<bool> MoveNextAsync()
        {
            var source = _roster._source;
            Cell[]? cells = null;
            while (true)
            {
                if ((source.RowNumber & 1023) == 0) _ct.ThrowIfCancellationRequested();
                // A skipped row's array is reused: a million empty rows must not cost a million arrays.
                cells ??= new Cell[_width];
                // A file breaking mid-read comes out of the source as FILE_CORRUPT (ExcelRowSource maps the library's failures).
                if (!source.Read()) return ValueTask.FromResult(false);
                source.CopyCells(cells);
                var first = _first;
                _first = false;
                if (Skip(cells, first)) continue;
                if (++_count > _roster._limits.MaxRows) throw RosterFileException.TooManyRows(_roster._limits.MaxRows);
                _current = new SheetRow(source.RowNumber, cells);
                return ValueTask.FromResult(true);
            }
        }

        private bool Skip(Cell[] cells, bool rightUnderHeader)
        {
            var data = false;
            for (var i = 0; i < cells.Length; i++)
            {
                if (!cells[i].IsEmpty && !_ignored[i])
                {
                    data = true;
                    break;
                }
            }
            if (!data) return true; // empty, or filled only in No / No Urut
            if (rightUnderHeader && IsColumnNumberRow(cells)) return true;
            return (_nik < 0 || cells[_nik].IsEmpty) && IsTotalRow(cells);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Non-empty cells that read 1, 2, 3, … in column order (also "(1)", "1."), at least two of them.</summary>
    internal static bool IsColumnNumberRow(Cell[] cells)
    {
        var expected = 1;
        foreach (var cell in cells)
        {
            if (cell.IsEmpty) continue;
            if (cell.Kind == CellKind.Number)
            {
                if (cell.Number != expected) return false;
            }
            else if (cell.Kind == CellKind.Text)
            {
                var t = cell.Text.AsSpan().Trim("().[] ");
                if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n != expected) return false;
            }
            else
            {
                return false;
            }
            expected++;
        }
        return expected > 2;
    }

    /// <summary>A text cell that starts with JUMLAH or TOTAL (also "Grand Total", "Sub Total").</summary>
    internal static bool IsTotalRow(Cell[] cells)
    {
        foreach (var cell in cells)
        {
            if (cell.Kind != CellKind.Text) continue;
            var t = cell.Text.AsSpan();
            if (t.StartsWith("jumlah", StringComparison.OrdinalIgnoreCase) || t.StartsWith("total", StringComparison.OrdinalIgnoreCase) ||
                t.StartsWith("grand total", StringComparison.OrdinalIgnoreCase) || t.StartsWith("sub total", StringComparison.OrdinalIgnoreCase) ||
                t.StartsWith("subtotal", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
