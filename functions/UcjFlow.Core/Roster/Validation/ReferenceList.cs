using System.Globalization;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Roster.Values;

namespace UcjFlow.Core.Roster.Validation;

/// <summary>
/// A DTKS/P3KE extract used as a reference list (NOT_IN_REFERENCE): the NIKs of its NIK column. Read with the roster
/// reader, so it may be xlsx, xls or csv with title rows; its header needs only a NIK column (extracts often carry
/// no names).
/// </summary>
public sealed record ReferenceList(IReadOnlySet<string> Niks, int Rows, int Unusable)
{
    /// <summary>The header fields a reference list must have: NIK alone.</summary>
    public static IReadOnlyList<RosterField> HeaderFields { get; } = [RosterField.Nik];

    /// <exception cref="RosterFileException">The file cannot be read or has no header with a NIK column.</exception>
    public static async Task<ReferenceList> ReadAsync(Stream content, string fileName, RosterLimits? limits = null, CancellationToken ct = default)
    {
        using var opened = await RosterFileReader.OpenAsync(content, fileName, limits ?? RosterLimits.Default, HeaderFields, ct).ConfigureAwait(false);
        var column = opened.Header.IndexOf(RosterField.Nik);
        var niks = new HashSet<string>(StringComparer.Ordinal);
        int rows = 0, unusable = 0;
        await foreach (var row in opened.ReadDataRowsAsync(ct).ConfigureAwait(false))
        {
            rows++;
            if (Normalise(row[column]) is { } nik) niks.Add(nik);
            else unusable++;
        }
        return new ReferenceList(niks, rows, unusable);
    }

    /// <summary>The 16 digits of a NIK cell, or null when the cell holds no trustworthy NIK (empty, malformed, precision lost).</summary>
    internal static string? Normalise(Cell cell)
    {
        switch (cell.Kind)
        {
            case CellKind.Number:
                if (cell.Number < 0 || Math.Floor(cell.Number) != cell.Number) return null;
                var digits = cell.Number.ToString("F0", CultureInfo.InvariantCulture);
                return digits.Length == 16 && digits[15] != '0' ? digits : null;
            case CellKind.Text:
                if (TextValues.IsScientific(cell.Text)) return null;
                var text = TextValues.StripNumberPunctuation(cell.Text);
                return text.Length == 16 && TextValues.AllDigits(text) ? text : null;
            default:
                return null;
        }
    }
}
