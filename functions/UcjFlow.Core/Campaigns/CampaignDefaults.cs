using UcjFlow.Core.Roster;

namespace UcjFlow.Core.Campaigns;

/// <summary>The defaults of roster.md ("Defaults"): used when a campaign file lists no segments or no age range.</summary>
public static class CampaignDefaults
{
    public const int MinAge = 15;
    public const int MaxAge = 65;

    public static IReadOnlyList<Segment> Segments { get; } =
    [
        new("rentan", "Pekerja Rentan", ["rentan", "petani", "buruh tani", "pekebun", "pedagang kecil"], IsDefault: true),
        new("adhoc", "Badan Adhoc", ["KPPS", "PPS", "PPK", "Pantarlih", "Pengawas TPS"]),
        new("rt", "Perangkat RT/RW", ["ketua RT", "ketua RW"]),
        new("keagamaan", "Pekerja Keagamaan", ["marbot", "guru ngaji", "imam", "khatib", "garin"]),
        new("damkar", "Relawan Damkar", ["relawan pemadam kebakaran"]),
        new("sawit", "Petani Sawit", ["pekebun sawit"]),
        new("nelayan", "Nelayan", ["nelayan kecil"]),
    ];
}
