using System.Globalization;
using UcjFlow.Core.Regions;

namespace UcjFlow.Core.Roster.Values;

/// <summary>NIK masking for every message, log and summary: the first six digits, six '*', the last four.</summary>
public static class NikMask
{
    /// <summary>"1503014101800001" → "150301******0001". Shorter values keep only what cannot identify a person.</summary>
    public static string Mask(string? nik)
    {
        if (string.IsNullOrEmpty(nik)) return "";
        if (nik.Length >= 12) return string.Concat(nik.AsSpan(0, 6), "******", nik.AsSpan(nik.Length - 4));
        return new string('*', nik.Length);
    }
}

/// <summary>What the NIK cell yielded: either an error code (the first failing check), or a valid NIK with its date and sex.</summary>
internal readonly record struct NikReading(
    string? Error,
    string? Nik,
    long Value,
    DateOnly BirthDate,
    Sex Sex,
    bool StoredAsNumber,
    /// <summary>For NIK_FORMAT: how many digits were found; -1 when other characters were there.</summary>
    int DigitCount = 0,
    /// <summary>For NIK_PRECISION_LOST from text: the number's mark it carried (scientific notation, thousands grouping).</summary>
    NumberTextForm Form = NumberTextForm.None)
{
    public bool IsValid => Error is null;
}

/// <summary>The NIK checks of roster.md in their order, stopping at the first error.</summary>
internal static class NikReader
{
    public static NikReading Read(Cell cell, DateOnly coverageStart, RegionCodes regions)
    {
        if (cell.IsEmpty || string.IsNullOrWhiteSpace(cell.Text) && cell.Kind != CellKind.Number)
            return Fail(RuleCodes.NikMissing);

        string digits;
        var asNumber = cell.Kind == CellKind.Number;
        if (asNumber)
        {
            var d = cell.Number;
            if (d < 0 || Math.Floor(d) != d || d >= 1e17)
                return Fail(RuleCodes.NikFormat, digitCount: -1);
            digits = d.ToString("F0", CultureInfo.InvariantCulture);
        }
        else if (cell.Kind == CellKind.Date)
        {
            return Fail(RuleCodes.NikFormat, digitCount: -1);
        }
        else
        {
            if (cell.Text.Length == 16 && TextValues.AllDigits(cell.Text))
            {
                digits = cell.Text;
            }
            else
            {
                // Text that can only have come from a number: "3.50301E+15" (digits past the 6th gone for good),
                // "1.503.010.211.860.170" (a number shown with separators: its 16th digit was already set to 0), and
                // "1503010211860171.0" (a float a script wrote), which is judged as the number it was.
                var form = TextValues.NumberFormOf(cell.Text, out var whole);
                switch (form)
                {
                    case NumberTextForm.Scientific or NumberTextForm.Grouped:
                        return new NikReading(RuleCodes.NikPrecisionLost, null, 0, default, default, false, Form: form);
                    case NumberTextForm.Decimal:
                        digits = whole;
                        asNumber = true;
                        break;
                    default:
                        digits = TextValues.StripNumberPunctuation(cell.Text);
                        break;
                }
            }
        }

        if (digits.Length != 16 || !TextValues.AllDigits(digits))
            return Fail(RuleCodes.NikFormat, digitCount: TextValues.AllDigits(digits) ? digits.Length : -1);
        // Excel keeps 15 significant digits: a 16-digit number ends in a 0 it made up.
        if (asNumber && digits[15] == '0')
            return new NikReading(RuleCodes.NikPrecisionLost, digits, 0, default, default, true);
        if (IsPlaceholder(digits))
            return Fail(RuleCodes.NikPlaceholder, digits);
        if (regions.ProvinceOfNik(digits) is null)
            return Fail(RuleCodes.NikRegionUnknown, digits);
        if (!TryBirthDate(digits, coverageStart, out var birthDate, out var sex))
            return Fail(RuleCodes.NikBirthdateInvalid, digits);
        if (digits.EndsWith("0000", StringComparison.Ordinal))
            return Fail(RuleCodes.NikSerialInvalid, digits);
        return new NikReading(null, digits, long.Parse(digits, CultureInfo.InvariantCulture), birthDate, sex, asNumber);
    }

    private static NikReading Fail(string code, string? digits = null, int digitCount = 0) =>
        new(code, digits, 0, default, default, false, digitCount);

    internal static bool IsPlaceholder(string digits)
    {
        if (digits == "1234567890123456") return true;
        foreach (var c in digits)
            if (c != digits[0]) return false;
        return true;
    }

    /// <summary>Digits 7–12 as DDMMYY, 40 added to the day for women; the two-digit year as roster.md says.</summary>
    internal static bool TryBirthDate(string digits, DateOnly coverageStart, out DateOnly date, out Sex sex)
    {
        var day = (digits[6] - '0') * 10 + (digits[7] - '0');
        var month = (digits[8] - '0') * 10 + (digits[9] - '0');
        var year = (digits[10] - '0') * 10 + (digits[11] - '0');
        sex = Sex.Male;
        if (day >= 41 && day <= 71)
        {
            day -= 40;
            sex = Sex.Female;
        }
        date = default;
        if (day is < 1 or > 31) return false;
        return RosterDates.TryTwoDigitYear(year, month, day, coverageStart, out date);
    }
}
