namespace UcjFlow.Core.Registry;

/// <summary>
/// A campaign as the registry keeps it (issue 13.1): the campaign file's JSON exactly as given (<see cref="Document"/>,
/// validated by <c>CampaignLoader</c> before it is stored), when and by whom it was saved, and whether it is closed (a
/// closed campaign takes no uploads; its enrolments keep counting for their periods). <see cref="Version"/> grows with
/// every save or close of any campaign: the catalog reloads when the highest one changes.
/// </summary>
/// <param name="RegencyCode">Dotted Kemendagri code of the campaign's regency ("15.03").</param>
public sealed record StoredCampaign(
    string CampaignId, string RegencyCode, string Document, string SavedBy, DateTimeOffset SavedAt,
    DateTimeOffset? ClosedAt, string? ClosedBy, long Version)
{
    public bool IsClosed => ClosedAt is not null;
}
