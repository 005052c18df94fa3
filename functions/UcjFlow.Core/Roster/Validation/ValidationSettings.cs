using UcjFlow.Core.Regions;

namespace UcjFlow.Core.Roster.Validation;

/// <summary>Why a NIK cannot be taken from this batch although the file itself is fine.</summary>
public enum NikConflictKind
{
    /// <summary>Enrolled in the registry, in any campaign, for a period overlapping this one's: ALREADY_ENROLLED.</summary>
    AlreadyEnrolled,
    /// <summary>In another village's batch of the same campaign, awaiting approval or approved: DUPLICATE_IN_CAMPAIGN.</summary>
    InOtherVillageBatch,
}

/// <summary>
/// One conflict for one NIK (16 digits). A NIK may have several (enrolled and in another batch). The village is the one
/// that enrolled or proposed it; <paramref name="Since"/> is, for AlreadyEnrolled, the day its coverage started, for
/// InOtherVillageBatch the day (Asia/Jakarta) that village's batch was uploaded; null when unknown. <paramref name="CampaignId"/>
/// is the campaign of that enrolment (which may be another campaign) or batch; null when unknown.
/// </summary>
public sealed record NikConflict(
    string Nik, NikConflictKind Kind, string? VillageCode = null, string? VillageName = null, DateOnly? Since = null, string? CampaignId = null,
    string? CampaignName = null);

/// <summary>
/// Finds the conflicts of a chunk of NIKs (distinct, 16 digits each, up to <see cref="ValidationSettings.ConflictChunkSize"/>):
/// called once per chunk of rows, never per row. Returns only the NIKs that have a conflict.
/// </summary>
public delegate ValueTask<IReadOnlyList<NikConflict>> NikConflictLookup(IReadOnlyCollection<string> niks, CancellationToken ct);

/// <summary>What a roster is checked against: the batch's village, the campaign's regency, dates, ages and segments.</summary>
public sealed record ValidationSettings
{
    /// <summary>The batch's village, dotted ("15.03.01.2001").</summary>
    public required string VillageCode { get; init; }

    /// <summary>The campaign's regency, dotted ("15.03"): NIK_OUTSIDE_REGENCY compares the NIK's first four digits with it.</summary>
    public required string RegencyCode { get; init; }

    /// <summary>Ages are taken on this date; two-digit years are resolved against it.</summary>
    public required DateOnly CoverageStart { get; init; }

    public int MinAge { get; init; } = 15;
    public int MaxAge { get; init; } = 65;

    /// <summary>The campaign's segments; the one with IsDefault (else the first) is used when a row names none.</summary>
    public IReadOnlyList<Segment> Segments { get; init; } = DefaultSegments;

    /// <summary>A DTKS/P3KE reference list (16-digit NIKs): when set, a valid NIK not in it gets NOT_IN_REFERENCE.</summary>
    public IReadOnlySet<string>? Reference { get; init; }

    public RosterLimits Limits { get; init; } = RosterLimits.Default;

    /// <summary>Registry and campaign look-up for ALREADY_ENROLLED and DUPLICATE_IN_CAMPAIGN; none when null.</summary>
    public NikConflictLookup? ConflictLookup { get; init; }

    /// <summary>Rows per conflict look-up (and per batch of <c>onValidRow</c> calls).</summary>
    public int ConflictChunkSize { get; init; } = 1000;

    public RegionCodes Regions { get; init; } = RegionCodes.Default;

    /// <summary>The segments of roster.md's Defaults section, used when no campaign is given.</summary>
    public static IReadOnlyList<Segment> DefaultSegments { get; } =
    [
        new("rentan", "Pekerja Rentan", ["rentan", "petani", "buruh tani", "pekebun", "pedagang kecil"], IsDefault: true),
        new("adhoc", "Badan Adhoc", ["KPPS", "PPS", "PPK", "Pantarlih", "Pengawas TPS"]),
        new("rt", "Perangkat RT/RW", ["ketua RT", "ketua RW"]),
        new("keagamaan", "Pekerja Keagamaan", ["marbot", "guru ngaji", "imam", "khatib", "garin"]),
        new("damkar", "Relawan Damkar", ["relawan pemadam kebakaran"]),
        new("sawit", "Petani Sawit", ["pekebun sawit"]),
        new("nelayan", "Nelayan", ["nelayan kecil"]),
    ];

    /// <summary>
    /// roster.md's Defaults (no campaign, e.g. <c>ucjflow validate</c>): the regency is the village code's first four
    /// digits, the coverage start is <paramref name="asOf"/> or else today in Asia/Jakarta, ages 15–65, the default segments.
    /// </summary>
    /// <exception cref="ArgumentException">The village code is not of the form PP.KK.CC.VVVV (dots optional).</exception>
    public static ValidationSettings Defaults(string villageCode, DateOnly? asOf = null, TimeProvider? time = null)
    {
        var code = RegionCodes.Normalize(villageCode);
        if (code is null || code.Length != 13)
            throw new ArgumentException($"Not a village code (PP.KK.CC.VVVV): {villageCode}", nameof(villageCode));
        return new ValidationSettings
        {
            VillageCode = code,
            RegencyCode = code[..5],
            CoverageStart = asOf ?? JakartaToday(time ?? TimeProvider.System),
        };
    }

    /// <summary>Today's date in Asia/Jakarta (WIB), where the campaigns run.</summary>
    public static DateOnly JakartaToday(TimeProvider time)
    {
        var jakarta = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), jakarta).DateTime);
    }
}
