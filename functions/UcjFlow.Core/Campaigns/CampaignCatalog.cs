namespace UcjFlow.Core.Campaigns;

/// <summary>A campaign of the catalog and whether it is closed (a closed campaign takes no uploads; its enrolments keep counting).</summary>
public sealed record CatalogEntry(Campaign Campaign, bool Closed);

/// <summary>
/// The campaigns of one deployment at one moment (issue 13.1): several regencies, several campaigns per regency (funders,
/// years). Immutable; the live one is kept by the workflow's <c>CampaignStore</c>. Owns the rule of which campaign an
/// upload goes to (<see cref="ForUpload"/>).
/// </summary>
public sealed class CampaignCatalog
{
    private readonly Dictionary<string, CatalogEntry> _byId;

    public CampaignCatalog(IEnumerable<CatalogEntry> entries)
    {
        Entries = entries.ToList();
        _byId = Entries.ToDictionary(e => e.Campaign.Id, StringComparer.Ordinal);
        RegencyCodes = Entries.Select(e => e.Campaign.RegencyCode).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A catalog of open campaigns that never changes (the <c>validate</c> command, unit tests of one campaign).</summary>
    public static CampaignCatalog Of(params Campaign[] campaigns) => new(campaigns.Select(c => new CatalogEntry(c, false)));

    /// <summary>Every campaign, in the order they were added.</summary>
    public IReadOnlyList<CatalogEntry> Entries { get; }

    public IEnumerable<Campaign> All => Entries.Select(e => e.Campaign);

    /// <summary>Dotted codes of the regencies with a campaign, in code order.</summary>
    public IReadOnlyList<string> RegencyCodes { get; }

    public Campaign? Find(string? campaignId) => campaignId is not null && _byId.TryGetValue(campaignId, out var e) ? e.Campaign : null;

    /// <exception cref="UnknownCampaignException">no campaign has that id.</exception>
    public Campaign Get(string campaignId) => Find(campaignId) ?? throw new UnknownCampaignException(campaignId);

    public bool IsOpen(string campaignId) => _byId.TryGetValue(campaignId, out var e) && !e.Closed;

    /// <summary>The campaigns of a regency (dotted code), in the order they were added.</summary>
    public IReadOnlyList<Campaign> OfRegency(string regencyCode) => All.Where(c => c.RegencyCode == regencyCode).ToList();

    /// <summary>The open campaigns of a regency (dotted code), in the order they were added.</summary>
    public IReadOnlyList<Campaign> OpenOfRegency(string regencyCode) =>
        Entries.Where(e => !e.Closed && e.Campaign.RegencyCode == regencyCode).Select(e => e.Campaign).ToList();

    /// <summary>
    /// The campaign a regency's coverage summary is presented with (its calendar, name and figures) and sent by, once a
    /// day: the regency's last added open campaign, else its last added one.
    /// </summary>
    /// <exception cref="UnknownCampaignException">no campaign of the catalog is in that regency.</exception>
    public Campaign Presenting(string regencyCode) =>
        OpenOfRegency(regencyCode).LastOrDefault() ?? OfRegency(regencyCode).LastOrDefault() ?? throw new UnknownCampaignException(regencyCode);

    /// <summary>The open campaigns holding a village (dotted or digits-only code), in the order they were added.</summary>
    public IReadOnlyList<Campaign> OpenFor(string villageCode) =>
        Entries.Where(e => !e.Closed && e.Campaign.Village(villageCode) is not null).Select(e => e.Campaign).ToList();

    /// <summary>
    /// The campaign an upload of <paramref name="villageCode"/> goes to (issue 13.1): the one named by
    /// <paramref name="campaignId"/> (<c>?campaign=</c>), which must be open and hold the village; when none is named, the
    /// village's one open campaign.
    /// </summary>
    /// <exception cref="CampaignChoiceException">no such campaign, closed, the village is not in it, or there is no or more than one open campaign for the village.</exception>
    public Campaign ForUpload(string villageCode, string? campaignId)
    {
        if (campaignId is not null)
        {
            if (!_byId.TryGetValue(campaignId, out var named))
                throw new CampaignChoiceException(CampaignChoiceProblem.UnknownCampaign, $"Kampanye '{campaignId}' tidak ada.");
            if (named.Closed)
                throw new CampaignChoiceException(CampaignChoiceProblem.Closed, $"Kampanye {named.Campaign.Name} sudah ditutup: tidak menerima unggahan lagi.");
            return named.Campaign.Village(villageCode) is not null ? named.Campaign
                : throw new CampaignChoiceException(CampaignChoiceProblem.VillageNotInCampaign, $"Desa {villageCode} tidak termasuk kampanye {named.Campaign.Name}.");
        }
        var open = OpenFor(villageCode);
        return open.Count switch
        {
            1 => open[0],
            0 => throw new CampaignChoiceException(CampaignChoiceProblem.NoOpenCampaign,
                All.Any(c => c.Village(villageCode) is not null)
                    ? $"Tidak ada kampanye yang sedang dibuka untuk desa {villageCode}."
                    : $"Desa {villageCode} tidak termasuk kampanye mana pun."),
            _ => throw new CampaignChoiceException(CampaignChoiceProblem.SeveralOpen,
                $"Desa {villageCode} ada di {open.Count} kampanye yang dibuka ({string.Join(", ", open.Select(c => $"{c.Id}: {c.Name}"))}); pilih salah satu (di halaman: pilihan kampanye di bagian atas)."),
        };
    }
}

/// <summary>Why <see cref="CampaignCatalog.ForUpload"/> found no campaign for an upload.</summary>
public enum CampaignChoiceProblem { UnknownCampaign, Closed, VillageNotInCampaign, NoOpenCampaign, SeveralOpen }

/// <summary>An upload cannot go to a campaign; <see cref="Exception.Message"/> is the Indonesian sentence for the village.</summary>
public sealed class CampaignChoiceException(CampaignChoiceProblem problem, string message) : Exception(message)
{
    public CampaignChoiceProblem Problem { get; } = problem;
}

/// <summary>No campaign of the catalog has this id.</summary>
public sealed class UnknownCampaignException(string campaignId) : Exception($"Campaign {campaignId} is not in the catalog.")
{
    public string CampaignId { get; } = campaignId;
}
