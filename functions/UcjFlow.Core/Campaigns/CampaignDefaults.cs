using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Campaigns;

/// <summary>The defaults of roster.md ("Defaults"): used when a campaign file lists no segments or no age range.</summary>
public static class CampaignDefaults
{
    public const int MinAge = 15;
    public const int MaxAge = 65;

    /// <summary>roster.md's default segments, defined once with the validator's defaults.</summary>
    public static IReadOnlyList<Segment> Segments => ValidationSettings.DefaultSegments;
}
