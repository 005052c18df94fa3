using System.Buffers;
using System.Globalization;
using System.Text;

namespace UcjFlow.Core.Roster.Values;

/// <summary>What <see cref="TextValues.NumberFormOf"/> found: the ways a number leaves its mark on text.</summary>
internal enum NumberTextForm { None, Scientific, Grouped, Decimal }

/// <summary>Small text helpers shared by the value readers.</summary>
internal static class TextValues
{
    // Every BMP character of Unicode category Cf (format: zero-width spaces and joiners, direction marks, word joiner,
    // BOM, soft hyphen, ...) plus the high surrogates, behind which the Cf characters of the other planes (tags) hide.
    private static readonly SearchValues<char> FormatOrSurrogate = SearchValues.Create(BuildFormatOrSurrogate());

    private static char[] BuildFormatOrSurrogate()
    {
        var chars = new List<char>();
        for (var c = 0; c <= char.MaxValue; c++)
            if (char.GetUnicodeCategory((char)c) == UnicodeCategory.Format || char.IsHighSurrogate((char)c)) chars.Add((char)c);
        return [.. chars];
    }

    /// <summary>
    /// <paramref name="text"/> without its invisible format characters (Unicode category Cf), the same string when it
    /// has none (the common case costs one vectorised scan). NIKs and headings pasted from WhatsApp or a web page carry
    /// them; roster.md drops them wherever spaces are dropped, so the readers drop them from every text cell.
    /// </summary>
    public static string WithoutFormatCharacters(string text)
    {
        var first = text.AsSpan().IndexOfAny(FormatOrSurrogate);
        if (first < 0) return text;
        var sb = new StringBuilder(text.Length).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1])) != UnicodeCategory.Format)
                    sb.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (char.GetUnicodeCategory(c) != UnicodeCategory.Format) sb.Append(c);
        }
        return sb.Length == text.Length ? text : sb.ToString();
    }

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

    /// <summary>
    /// How a NIK or KK written as text shows that it went through a number (roster.md, NIK_PRECISION_LOST): scientific
    /// notation ("3.50301E+15"), thousands grouping ("1.503.010.211.860.170", "1,503,010,211,860,170", also with
    /// spaces, no-break spaces or apostrophes, and with zero decimals "1.503.010.211.860.170,00"), or a whole number
    /// with zero decimals ("1503010211860171.0", as scripts write a float). <paramref name="digits"/> is the whole
    /// part's digits for <see cref="NumberTextForm.Grouped"/> and <see cref="NumberTextForm.Decimal"/>.
    /// Grouping needs at least four separators (13 digits or more): "12.345" is a short number typed, not a NIK.
    /// </summary>
    public static NumberTextForm NumberFormOf(string text, out string digits)
    {
        digits = "";
        if (IsScientific(text)) return NumberTextForm.Scientific;
        var s = text.AsSpan().Trim();
        if (s.Length > 0 && s[0] is '\'') s = s[1..];
        if (s.IsEmpty || !char.IsAsciiDigit(s[0])) return NumberTextForm.None;

        // The decimals: a '.' or ',' followed by zeros only, at the end.
        var whole = s;
        var decimalMark = '\0';
        var last = s.LastIndexOfAny('.', ',');
        if (last > 0 && last < s.Length - 1 && s[(last + 1)..].IndexOfAnyExcept('0') < 0)
        {
            // "1.503.010" has groups of three after every '.', so its last '.' is a separator, not a decimal mark;
            // decimals are taken only when they are not three zeros after a separator of the same kind.
            var candidate = s[..last];
            var isGroup = s.Length - last - 1 == 3 && candidate.Contains(s[last]);
            if (!isGroup)
            {
                whole = candidate;
                decimalMark = s[last];
            }
        }

        // Grouping: 1-3 digits, then groups of three after one and the same separator.
        var separator = '\0';
        var separators = 0;
        var run = 0;
        var sb = new StringBuilder(whole.Length);
        foreach (var c in whole)
        {
            if (char.IsAsciiDigit(c))
            {
                sb.Append(c);
                run++;
                continue;
            }
            if (c is not ('.' or ',' or ' ' or '\u00A0' or '\u202F' or '\'' or '’') || c == decimalMark) return NumberTextForm.None;
            if (separator == '\0') separator = c;
            else if (c != separator) return NumberTextForm.None;
            if (separators == 0 ? run is < 1 or > 3 : run != 3) return NumberTextForm.None;
            separators++;
            run = 0;
        }
        if (separators > 0 && run != 3) return NumberTextForm.None;
        digits = sb.ToString();
        if (separators >= 4) return NumberTextForm.Grouped;
        if (separators == 0 && decimalMark != '\0') return NumberTextForm.Decimal;
        digits = "";
        return NumberTextForm.None;
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
        // Control characters never reach a report: a name with one is quoted without it.
        if (t.AsSpan().IndexOfAnyInRange('\0', '\u001F') >= 0 || t.Contains('\u007F')) t = new string(t.Where(c => !char.IsControl(c)).ToArray());
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
