using System.Globalization;
using System.Text.RegularExpressions;

namespace UcjFlow.Core.Roster.Values;

/// <summary>How a file writes the dates whose order its form leaves open (05/12/1980): day first, as Indonesia does, or month first.</summary>
internal enum DateOrder
{
    DayFirst,
    MonthFirst,
}

/// <summary>
/// Dates as villages write them, day first unless the file is month-first (<see cref="DateOrder"/>, decided by
/// <see cref="DateOrderVote"/>; roster.md, Reading values): spreadsheet date cells and serial numbers, 12-05-1980, 12/05/1980,
/// 12.05.1980, 1980-05-12, 12 Mei 1980, 12 Mei 80, with Indonesian and English month names and short forms, and
/// each of them with the time of day a spreadsheet or export adds to a date cell (1980-05-12T00:00:00).
/// </summary>
internal static partial class RosterDates
{
    private static readonly Dictionary<string, int> Months = BuildMonths();

    private static Dictionary<string, int> BuildMonths()
    {
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        void Add(int month, params string[] names)
        {
            foreach (var n in names) map[n] = month;
        }
        Add(1, "januari", "january", "jan");
        Add(2, "februari", "pebruari", "february", "feb", "peb");
        Add(3, "maret", "march", "mar");
        Add(4, "april", "apr");
        Add(5, "mei", "may");
        Add(6, "juni", "june", "jun");
        Add(7, "juli", "july", "jul");
        Add(8, "agustus", "august", "agu", "agt", "ags", "aug", "agust");
        Add(9, "september", "sep", "sept");
        Add(10, "oktober", "october", "okt", "oct");
        Add(11, "november", "nopember", "nov", "nop");
        Add(12, "desember", "december", "des", "dec");
        return map;
    }

    /// <summary>
    /// Reads a date cell; false when it holds no date these rules can read. <paramref name="order"/> applies only to
    /// text written with three numbers and the year last (05/12/1980); date cells, serials, ISO text and month names
    /// say their order themselves.
    /// </summary>
    public static bool TryRead(Cell cell, DateOnly coverageStart, out DateOnly date, DateOrder order = DateOrder.DayFirst)
    {
        date = default;
        switch (cell.Kind)
        {
            case CellKind.Date:
                date = DateOnly.FromDateTime(cell.Date);
                return true;
            case CellKind.Number:
                return TryFromSerial(cell.Number, out date);
            case CellKind.Text:
                return TryParse(cell.Text, coverageStart, out date, order);
            default:
                return false;
        }
    }

    /// <summary>
    /// A spreadsheet serial number (1900 date system). A whole number that looks like a year (1900–2100) is a year
    /// typed alone, not a date in 1905.
    /// </summary>
    internal static bool TryFromSerial(double serial, out DateOnly date)
    {
        date = default;
        var whole = Math.Floor(serial);
        if (whole is >= 1900 and <= 2100 || whole < 61 || whole > 2_958_465) return false;
        date = DateOnly.FromDateTime(DateTime.FromOADate(whole));
        return true;
    }

    /// <summary>Reads a date written as text; <paramref name="order"/> as for <see cref="TryRead"/>.</summary>
    public static bool TryParse(string text, DateOnly coverageStart, out DateOnly date, DateOrder order = DateOrder.DayFirst)
    {
        date = default;
        var s = text.Trim().TrimStart('\'').Trim();
        if (s.Length == 0) return false;
        s = WithoutTimeOfDay(s);

        var parts = Split(s);
        if (parts.Count != 3) return false;
        var (a, b, c) = (parts[0], parts[1], parts[2]);

        // ISO: 1980-05-12
        if (a.Length == 4 && TextValues.AllDigits(a) && TextValues.AllDigits(b) && TextValues.AllDigits(c) && b.Length <= 2 && c.Length <= 2)
            return TryMake(int.Parse(a, CultureInfo.InvariantCulture), int.Parse(b, CultureInfo.InvariantCulture),
                int.Parse(c, CultureInfo.InvariantCulture), out date);

        if (!TextValues.AllDigits(a) || a.Length > 2) return false;
        var day = int.Parse(a, CultureInfo.InvariantCulture);
        int month;
        if (TextValues.AllDigits(b) && b.Length <= 2)
        {
            month = int.Parse(b, CultureInfo.InvariantCulture);
            if (order == DateOrder.MonthFirst) (day, month) = (month, day);
        }
        else if (!Months.TryGetValue(b.TrimEnd('.'), out month)) return false;
        // Only 2- or 4-digit years are dates; checked before parsing so 20 typed nines cannot overflow int.
        if (!TextValues.AllDigits(c) || c.Length is not (2 or 4)) return false;
        var year = int.Parse(c, CultureInfo.InvariantCulture);
        return c.Length == 4 ? TryMake(year, month, day, out date) : TryTwoDigitYear(year, month, day, coverageStart, out date);
    }

    /// <summary>
    /// The first and middle numbers of a date written as three numbers with the year last ("05/12/1980", "5-25-80",
    /// with a time of day or not): the two whose order the file decides. False for any other form.
    /// </summary>
    internal static bool TryOpenOrderParts(string text, out int first, out int middle)
    {
        first = middle = 0;
        var s = WithoutTimeOfDay(text.Trim().TrimStart('\'').Trim());
        var parts = Split(s);
        if (parts.Count != 3) return false;
        var (a, b, c) = (parts[0], parts[1], parts[2]);
        if (a.Length > 2 || b.Length > 2 || c.Length is not (2 or 4) ||
            !TextValues.AllDigits(a) || !TextValues.AllDigits(b) || !TextValues.AllDigits(c)) return false;
        first = int.Parse(a, CultureInfo.InvariantCulture);
        middle = int.Parse(b, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The same date with day and month swapped (5 Dec ↔ 12 May); false when that is no date or the same one.</summary>
    internal static bool TrySwapDayAndMonth(DateOnly date, out DateOnly swapped)
    {
        swapped = default;
        return date.Day != date.Month && TryMake(date.Year, date.Day, date.Month, out swapped);
    }

    /// <summary>
    /// The date part of a date-time, as spreadsheets and exports write a date cell: ISO 8601 "1980-05-12T00:00:00"
    /// (also with fractions, "Z" or an offset such as "+07:00"), "1980-05-12 00:00:00.000", "12/05/1980 0:00",
    /// "12/05/1980 12:00:00 AM". The date is taken as written, whatever the time or offset; text without such a time
    /// comes back as it was.
    /// </summary>
    internal static string WithoutTimeOfDay(string s)
    {
        var colon = s.IndexOf(':');
        if (colon <= 0) return s;
        var start = colon;
        while (start > 0 && char.IsAsciiDigit(s[start - 1])) start--;
        if (start < 2 || start == colon || s[start - 1] is not ('T' or 't' or ' ') || !TimeOfDay().IsMatch(s.AsSpan(start))) return s;
        return s[..(start - 1)].TrimEnd();
    }

    [GeneratedRegex(@"^\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?\s*([AaPp]\.?[Mm]\.?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeOfDay();

    /// <summary>Splits on '-', '/', '.', spaces and commas; a dot that ends a month abbreviation ("Agt.") stays with it.</summary>
    private static List<string> Split(string s)
    {
        var parts = new List<string>(3);
        var start = 0;
        for (var i = 0; i <= s.Length; i++)
        {
            var end = i == s.Length;
            var ch = end ? ' ' : s[i];
            var separator = ch is '-' or '/' or ' ' or ',' or '\u00A0' ||
                            (ch == '.' && (i == 0 || char.IsDigit(s[i - 1])));
            if (!separator && !end) continue;
            var part = s[start..i].Trim('.');
            if (part.Length > 0) parts.Add(part);
            start = i + 1;
            if (parts.Count > 3) return parts;
        }
        return parts;
    }

    private static bool TryMake(int year, int month, int day, out DateOnly date)
    {
        date = default;
        if (year < 1 || year > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>A two-digit year is 20yy when that date is not after the coverage start date, else 19yy.</summary>
    internal static bool TryTwoDigitYear(int yy, int month, int day, DateOnly coverageStart, out DateOnly date)
    {
        if (TryMake(2000 + yy, month, day, out date) && date <= coverageStart) return true;
        return TryMake(1900 + yy, month, day, out date);
    }
}
