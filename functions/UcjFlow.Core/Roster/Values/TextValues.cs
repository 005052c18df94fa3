using System.Text;

namespace UcjFlow.Core.Roster.Values;

/// <summary>Small text helpers shared by the value readers.</summary>
internal static class TextValues
{
    /// <summary>Removes spaces (also no-break), dots, dashes and a leading apostrophe, as typed around NIK and KK numbers.</summary>
    public static string StripNumberPunctuation(string text)
    {
        var span = text.AsSpan().Trim();
        if (span.Length > 0 && span[0] is '\'' or '‘' or '’' or '`') span = span[1..];
        var sb = new StringBuilder(span.Length);
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c) || c is '.' or '-' or '‐' or '‑' or '–' or '—' or '\u00A0') continue;
            sb.Append(c);
        }
        return sb.ToString();
    }

    public static bool AllDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>"3.50301E+15", "3,50301e15": a number Excel shortened to scientific notation.</summary>
    public static bool IsScientific(string text)
    {
        var s = text.AsSpan().Trim();
        if (s.Length > 0 && s[0] is '\'') s = s[1..];
        var e = s.IndexOfAny('e', 'E');
        if (e <= 0 || e == s.Length - 1) return false;
        var mantissa = s[..e];
        var exponent = s[(e + 1)..];
        if (exponent[0] is '+' or '-') exponent = exponent[1..];
        if (!AllDigits(exponent)) return false;
        var separators = 0;
        foreach (var c in mantissa)
        {
            if (c is '.' or ',') { if (++separators > 1) return false; }
            else if (c is < '0' or > '9') return false;
        }
        return mantissa.Length > separators;
    }

    /// <summary>Trimmed, inner whitespace collapsed to one space.</summary>
    public static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\u00A0')
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Lower-case letters and digits only: for matching names that differ in case, spaces and punctuation.</summary>
    public static string Key(string text, bool keepPunctuation = false)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\u00A0') continue;
            if (!keepPunctuation && !char.IsLetterOrDigit(c)) continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>A cell that only holds a placeholder for "nothing" ("-", "--", ".", "_"): treated as not given in optional columns.</summary>
    public static bool IsBlankMark(Cell cell)
    {
        if (cell.IsEmpty) return true;
        if (cell.Kind != CellKind.Text) return false;
        foreach (var c in cell.Text)
            if (!(char.IsWhiteSpace(c) || c is '-' or '–' or '—' or '.' or '_' or '/' or '\'')) return false;
        return true;
    }

    /// <summary>
    /// A value quoted back in a message, shortened so a pasted paragraph does not flood the report. Long digit runs are
    /// masked like a NIK: a NIK typed into the wrong column must not reach a message in full.
    /// </summary>
    public static string Quote(string text)
    {
        var t = MaskDigitRuns(Collapse(text));
        return t.Length <= 40 ? t : string.Concat(t.AsSpan(0, 37), "...");
    }

    /// <summary>Every run of 12 or more digits (spaces, dots and dashes inside allowed) masked as 150301******0001.</summary>
    public static string MaskDigitRuns(string text)
    {
        StringBuilder? sb = null;
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                // Not sb?.Append(text[i++]): with sb null the argument, and so the increment, would be skipped.
                sb?.Append(text[i]);
                i++;
                continue;
            }
            // The run: digits with single separators between them.
            var end = i;
            var digits = new StringBuilder();
            var j = i;
            while (j < text.Length)
            {
                if (char.IsAsciiDigit(text[j])) { digits.Append(text[j]); end = ++j; continue; }
                if (text[j] is ' ' or '.' or '-' && j + 1 < text.Length && char.IsAsciiDigit(text[j + 1])) { j++; continue; }
                break;
            }
            if (digits.Length >= 12)
            {
                sb ??= new StringBuilder(text.Length).Append(text, 0, i);
                sb.Append(NikMask.Mask(digits.ToString()));
            }
            else sb?.Append(text, i, end - i);
            i = end;
        }
        return sb?.ToString() ?? text;
    }
}
