namespace UcjFlow.Core.Campaigns;

/// <summary>Local time of the campaigns: Asia/Jakarta (WIB, UTC+7, no daylight saving).</summary>
public static class JakartaTime
{
    /// <summary>The system's Asia/Jakarta zone, or a fixed UTC+7 zone where the machine has no time zone data.</summary>
    public static TimeZoneInfo Zone => Mail.IndonesianFormat.Jakarta;

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ToLocal(clock.GetUtcNow()).DateTime);

    /// <summary>The instant of a local date and time in Jakarta.</summary>
    public static DateTimeOffset ToInstant(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
