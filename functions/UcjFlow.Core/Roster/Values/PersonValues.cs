using System.Globalization;

namespace UcjFlow.Core.Roster.Values;

/// <summary>Sex as villages write it: L, Lk, Laki-laki, Pria → male; P, Pr, Perempuan, Wanita, W → female.</summary>
internal static class SexValues
{
    private static readonly Dictionary<string, Sex> Known = new(StringComparer.Ordinal)
    {
        ["l"] = Sex.Male, ["lk"] = Sex.Male, ["lakilaki"] = Sex.Male, ["laki"] = Sex.Male, ["laki2"] = Sex.Male,
        ["pria"] = Sex.Male, ["male"] = Sex.Male,
        ["p"] = Sex.Female, ["pr"] = Sex.Female, ["perempuan"] = Sex.Female, ["wanita"] = Sex.Female, ["w"] = Sex.Female,
        ["pere"] = Sex.Female, ["prp"] = Sex.Female, ["female"] = Sex.Female,
    };

    /// <summary>The sex a cell names, or null when it is empty or names none (then the NIK's is used).</summary>
    public static Sex? Read(Cell cell)
    {
        if (cell.Kind != CellKind.Text) return null;
        return Known.TryGetValue(TextValues.Key(cell.Text), out var sex) ? sex : null;
    }
}

/// <summary>Names as on the KTP: trimmed, inner spaces collapsed, upper-case.</summary>
internal static class NameValues
{
    public static string Normalise(string text) => TextValues.Collapse(text).ToUpper(CultureInfo.InvariantCulture);

    /// <summary>
    /// Why a (normalised) name needs a second look (roster.md, NAME_SUSPICIOUS), as the Indonesian words of the
    /// message, or null when it looks like a KTP name: digits, control characters, characters no KTP name has
    /// ('=', '+', '@' or '-' at the start, as formulas start; '&lt;' or '&gt;' anywhere, as HTML), fewer than two letters.
    /// </summary>
    public static string? SuspicionOf(string name)
    {
        if (name.Length > 0 && name[0] is '=' or '+' or '@' or '-') return $"diawali tanda \"{name[0]}\"";
        var letters = 0;
        foreach (var c in name)
        {
            if (c is '<' or '>') return $"mengandung tanda \"{c}\"";
            if (char.IsControl(c)) return "mengandung karakter kendali (tak terlihat)";
            if (char.IsDigit(c)) return "mengandung angka";
            if (char.IsLetter(c)) letters++;
        }
        return letters < 2 ? "terlalu pendek" : null;
    }
}

/// <summary>Indonesian phone numbers, normalised to 08…: +62, 62, a lost leading zero, spaces and dashes.</summary>
internal static class PhoneValues
{
    /// <summary>The number as 08… when it is a valid Indonesian number of 10–13 digits; else null.</summary>
    public static string? Normalise(Cell cell)
    {
        string raw;
        if (cell.Kind == CellKind.Number)
        {
            if (cell.Number < 0 || Math.Floor(cell.Number) != cell.Number || cell.Number >= 1e15) return null;
            raw = cell.Number.ToString("F0", CultureInfo.InvariantCulture);
        }
        else if (cell.Kind == CellKind.Text) raw = cell.Text;
        else return null;

        var s = raw.Trim();
        if (s.StartsWith('\'')) s = s[1..];
        var digits = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9') digits.Append(c);
            else if (c == '+' && digits.Length == 0 && i == s.IndexOf('+')) digits.Append('+');
            else if (char.IsWhiteSpace(c) || c is '-' or '.' or '(' or ')' or '\u00A0') continue;
            else return null;
        }
        var d = digits.ToString();
        if (d.StartsWith("+62", StringComparison.Ordinal)) d = "0" + d[3..];
        else if (d.StartsWith('+')) return null;
        else if (d.StartsWith("62", StringComparison.Ordinal)) d = "0" + d[2..];
        else if (d.StartsWith('8')) d = "0" + d;
        if (d.StartsWith("00", StringComparison.Ordinal) || !d.StartsWith("08", StringComparison.Ordinal)) return null;
        return d.Length is >= 10 and <= 13 ? d : null;
    }
}

/// <summary>The family card (KK) number: 16 digits, with the same precision trap as the NIK.</summary>
internal static class KkValues
{
    /// <summary>The 16 digits, or null when the value is not a usable KK number.</summary>
    public static string? Normalise(Cell cell)
    {
        if (cell.Kind == CellKind.Number)
        {
            var n = cell.Number;
            if (n < 0 || Math.Floor(n) != n || n >= 1e17) return null;
            return FromNumber(n.ToString("F0", CultureInfo.InvariantCulture));
        }
        if (cell.Kind != CellKind.Text) return null;
        // The forms of NIK_PRECISION_LOST (roster.md): scientific or grouped text never holds all 16 digits.
        switch (TextValues.NumberFormOf(cell.Text, out var whole))
        {
            case NumberTextForm.Scientific or NumberTextForm.Grouped:
                return null;
            case NumberTextForm.Decimal:
                return FromNumber(whole);
        }
        var text = TextValues.StripNumberPunctuation(cell.Text);
        return text.Length == 16 && TextValues.AllDigits(text) ? text : null;
    }

    /// <summary>True when the cell shows that the KK went through a number (its digits may be lost), for the message.</summary>
    public static bool CameFromNumber(Cell cell) =>
        cell.Kind == CellKind.Number || cell.Kind == CellKind.Text && TextValues.NumberFormOf(cell.Text, out _) != NumberTextForm.None;

    // A spreadsheet keeps 15 significant digits: a 16-digit number ending in 0 lost its real last digit.
    private static string? FromNumber(string digits) => digits.Length == 16 && digits[15] != '0' ? digits : null;
}

/// <summary>"003/001" in an RT/RW column; a lone RT or RW as typed.</summary>
internal static class RtRwValues
{
    public static (string? Rt, string? Rw) Split(string text)
    {
        var parts = text.Split(['/', '\\', '-'], 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            0 => (null, null),
            1 => (parts[0], null),
            _ => (parts[0], parts[1]),
        };
    }

    public static string? Text(Cell cell) => cell.Kind switch
    {
        CellKind.Text => TextValues.Collapse(cell.Text),
        CellKind.Number => cell.Number.ToString("000", CultureInfo.InvariantCulture),
        _ => null,
    };
}

/// <summary>"Sarolangun, 12-05-1980" in one cell: the place, then the date.</summary>
internal static class PlaceAndDateValues
{
    /// <summary>Splits the cell; <paramref name="dateText"/> is null when no date part is there at all.</summary>
    public static (string? Place, string? DateText) Split(string text)
    {
        var t = TextValues.Collapse(text);
        var comma = t.IndexOf(',');
        if (comma >= 0)
        {
            var place = t[..comma].Trim();
            var rest = t[(comma + 1)..].Trim();
            return (place.Length == 0 ? null : place, rest.Length == 0 ? null : rest);
        }
        // "Sarolangun 12-05-1980", "Sarolangun 12 Mei 1980", "Sarolangun/12-05-1980": the date starts at the first digit.
        var firstDigit = t.AsSpan().IndexOfAnyInRange('0', '9');
        if (firstDigit < 0) return (t.Length == 0 ? null : t, null);
        var p = t[..firstDigit].Trim().TrimEnd('/', '-', ',').Trim();
        return (p.Length == 0 ? null : p, t[firstDigit..]);
    }
}
