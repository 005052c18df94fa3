using System.Globalization;

namespace UcjFlow.Core.Mail;

/// <summary>
/// Numbers, money and dates the Indonesian way ("Rp 13.045.334.400", "57,45%", "22 Oktober 2024", "pukul 07.00 WIB"),
/// spelled out here rather than taken from the "id-ID" culture so the result never depends on the machine's ICU data.
/// </summary>
public static class IndonesianFormat
{
    private static readonly string[] Months =
    [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ];

    private static readonly string[] Days = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];

    /// <summary>Asia/Jakarta (WIB). It has kept UTC+7 without daylight saving since 1964, so a fixed zone is an exact fallback.</summary>
    public static TimeZoneInfo Jakarta { get; } = FindJakarta();

    private static TimeZoneInfo FindJakarta()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta"); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Jakarta", TimeSpan.FromHours(7), "WIB", "WIB");
        }
    }

    /// <summary>112644 → "112.644".</summary>
    public static string Number(long value) => Grouped(value.ToString("#,0", CultureInfo.InvariantCulture));

    /// <summary>13045334400 → "Rp 13.045.334.400"; rounded to whole rupiah; negative as "-Rp 1.000".</summary>
    public static string Rupiah(decimal amount)
    {
        var whole = Math.Round(amount, 0, MidpointRounding.AwayFromZero);
        var text = Grouped(Math.Abs(whole).ToString("#,0", CultureInfo.InvariantCulture));
        return whole < 0 ? "-Rp " + text : "Rp " + text;
    }

    /// <summary>57.4512 → "57,45%" (two decimals, half away from zero).</summary>
    public static string Percent(decimal percent, int decimals = 2)
    {
        var rounded = Math.Round(percent, decimals, MidpointRounding.AwayFromZero);
        var pattern = decimals > 0 ? "#,0." + new string('0', decimals) : "#,0";
        return Grouped(rounded.ToString(pattern, CultureInfo.InvariantCulture)) + "%";
    }

    /// <summary>2024-10-22 → "22 Oktober 2024".</summary>
    public static string Date(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{date.Day} {Months[date.Month - 1]} {date.Year}");

    /// <summary>2024-10-22 → "Selasa, 22 Oktober 2024".</summary>
    public static string DateWithDay(DateOnly date) => $"{Days[(int)date.DayOfWeek]}, {Date(date)}";

    /// <summary>The Jakarta calendar date of an instant.</summary>
    public static DateOnly JakartaDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToJakarta(instant).DateTime);

    /// <summary>An instant in Jakarta time: "22 Oktober 2024 pukul 07.00 WIB" (Indonesian writes times with a period).</summary>
    public static string DateTime(DateTimeOffset instant)
    {
        var local = ToJakarta(instant);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Date(DateOnly.FromDateTime(local.DateTime))} pukul {local.Hour:00}.{local.Minute:00} WIB");
    }

    public static DateTimeOffset ToJakarta(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Jakarta);

    // Invariant formatting groups with ',' and separates decimals with '.'; Indonesian swaps the two.
    private static string Grouped(string invariant)
    {
        var chars = invariant.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            chars[i] = chars[i] switch { ',' => '.', '.' => ',', var c => c };
        return new string(chars);
    }

    /// <summary>
    /// Days to a deadline as a village reads it: "3 hari lagi", "besok", "hari ini", "sudah lewat 2 hari" (negative: past).
    /// The one wording of the deadline on pages, mails and WhatsApp texts.
    /// </summary>
    public static string DaysLeft(int days) => days switch
    {
        < 0 => $"sudah lewat {Number(-days)} hari",
        0 => "hari ini",
        1 => "besok",
        _ => $"{Number(days)} hari lagi",
    };
}
