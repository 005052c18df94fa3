namespace UcjFlow.Core.Registry;

/// <summary>
/// A village's personal access link as the registry keeps it: never the token itself (the token is the signed grant,
/// <see cref="Security.LinkGrant"/>, naming <see cref="LinkId"/>), only what is needed to list, refuse and audit it.
/// Times are UTC. <see cref="LastUsedAt"/> is written at most once per <see cref="AccessLinkUse.Interval"/>.
/// </summary>
public sealed record AccessLink(
    string LinkId,
    string CampaignId,
    string VillageCode,
    string IssuedBy,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt = null,
    string? RevokedBy = null,
    DateTimeOffset? LastUsedAt = null);

/// <summary>How often the last use of an access link is written: a busy PIC's page polls, and every request need not write.</summary>
public static class AccessLinkUse
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
}
