namespace UcjFlow.Core.Roster.Reading;

/// <summary>
/// A lenient RFC 4180 record reader: quoted fields may hold separators, doubled quotes and line breaks; a quote inside
/// an unquoted field is a plain character; lines end with CRLF, LF or CR. Each record is one spreadsheet row, as
/// Excel and LibreOffice number them when they open the file.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly char _separator;
    private readonly char[] _buffer = new char[64 * 1024];
    private int _position;
    private int _length;
    private char[] _field = new char[256];

    public CsvRecordReader(TextReader reader, char separator)
    {
        _reader = reader;
        _separator = separator;
    }

    /// <summary>Reads the next record into <paramref name="cells"/> (cleared first); false at the end of the text.</summary>
    public bool ReadRecord(List<Cell> cells)
    {
        cells.Clear();
        if (!Fill()) return false;
        while (true)
        {
            var end = ReadField(out var cell);
            cells.Add(cell);
            if (end != FieldEnd.Separator) return true;
        }
    }

    private enum FieldEnd { Separator, Line, Eof }

    private FieldEnd ReadField(out Cell cell)
    {
        var length = 0;
        var quoted = false;
        if (Fill() && _buffer[_position] == '"')
        {
            quoted = true;
            _position++;
        }
        while (true)
        {
            if (_position >= _length && !Fill())
            {
                cell = MakeCell(length);
                return FieldEnd.Eof;
            }
            var ch = _buffer[_position++];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (Fill() && _buffer[_position] == '"')
                    {
                        _position++;
                        Append(ref length, '"');
                    }
                    else
                    {
                        quoted = false; // closing quote: anything up to the separator is kept as typed
                    }
                    continue;
                }
                Append(ref length, ch);
                continue;
            }
            if (ch == _separator)
            {
                cell = MakeCell(length);
                return FieldEnd.Separator;
            }
            if (ch == '\n')
            {
                cell = MakeCell(length);
                return FieldEnd.Line;
            }
            if (ch == '\r')
            {
                if (Fill() && _buffer[_position] == '\n') _position++;
                cell = MakeCell(length);
                return FieldEnd.Line;
            }
            Append(ref length, ch);
        }
    }

    private void Append(ref int length, char ch)
    {
        if (length == _field.Length) Array.Resize(ref _field, _field.Length * 2);
        _field[length++] = ch;
    }

    private Cell MakeCell(int length)
    {
        var span = _field.AsSpan(0, length).Trim();
        if (span.IsEmpty) return Cell.Empty;
        // Invisible format characters (Cf) go as in xlsx cells: a field of nothing else is empty.
        var text = Values.TextValues.WithoutFormatCharacters(new string(span)).Trim();
        return text.Length == 0 ? Cell.Empty : new Cell(CellKind.Text, text);
    }

    /// <summary>True when at least one character is buffered at <see cref="_position"/>.</summary>
    private bool Fill()
    {
        if (_position < _length) return true;
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
