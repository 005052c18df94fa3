using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;

namespace UcjFlow.Workflow.Campaigns;

/// <summary>
/// The deployment's live campaign catalog (issue 13.1), kept in the registry so both hosts, every instance and the
/// <c>ucjflow campaign</c> command share it: a campaign added, edited or closed anywhere is seen here within
/// <see cref="RefreshInterval"/> (real time), without a restart. On first use it seeds the catalog with the host's
/// configured campaign file when that campaign is not stored yet — which is how a data folder of the single-campaign
/// version carries over: its campaign keeps its id, so its batches, enrolments and links stay as they were.
/// </summary>
public sealed class CampaignStore
{
    /// <summary>How stale the catalog may be: one cheap version read per interval at most.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly IEnrollmentRegistry? _registry;
    private readonly CampaignSeed? _seed;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CampaignCatalog? _catalog;
    private long _version = -1;
    private long _checkedAt;

    /// <summary>A catalog that never changes (one-off commands, unit tests).</summary>
    public CampaignStore(CampaignCatalog catalog)
    {
        _catalog = catalog;
        _logger = NullLogger.Instance;
    }

    /// <summary>The catalog stored in <paramref name="registry"/>, seeded with <paramref name="seed"/> on first use.</summary>
    public CampaignStore(IEnrollmentRegistry registry, CampaignSeed? seed, ILogger<CampaignStore> logger)
    {
        _registry = registry;
        _seed = seed;
        _logger = logger;
    }

    /// <summary>The catalog as last loaded (null before the first load): for synchronous readers that can live with a moment's staleness.</summary>
    public CampaignCatalog? Loaded => _catalog;

    /// <summary>The catalog now (reloaded from the registry when it changed, checked at most every <see cref="RefreshInterval"/>).</summary>
    public async ValueTask<CampaignCatalog> CurrentAsync(CancellationToken ct = default)
    {
        if (_registry is null) return _catalog!;
        if (_catalog is not null && Stopwatch.GetElapsedTime(Interlocked.Read(ref _checkedAt)) < RefreshInterval) return _catalog;
        await _gate.WaitAsync(ct);
        try
        {
            if (_catalog is not null && Stopwatch.GetElapsedTime(Interlocked.Read(ref _checkedAt)) < RefreshInterval) return _catalog;
            if (_catalog is null && _seed is not null) await SeedAsync(_seed, ct);
            var version = await _registry.GetCampaignsVersionAsync(ct);
            if (_catalog is null || version != _version)
            {
                _catalog = Load(await _registry.ListCampaignsAsync(ct));
                _version = version;
            }
            Interlocked.Exchange(ref _checkedAt, Stopwatch.GetTimestamp());
            return _catalog;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The campaign with this id.</summary>
    /// <exception cref="UnknownCampaignException">no campaign has that id.</exception>
    public async ValueTask<Campaign> GetAsync(string campaignId, CancellationToken ct = default) =>
        (await CurrentAsync(ct)).Find(campaignId) ?? (await ReloadAsync(ct)).Get(campaignId);

    /// <summary>The campaign of a batch.</summary>
    /// <exception cref="InvalidOperationException">no such batch.</exception>
    /// <exception cref="UnknownCampaignException">its campaign is not in the catalog.</exception>
    public async ValueTask<Campaign> OfBatchAsync(IEnrollmentRegistry registry, string batchId, CancellationToken ct = default) =>
        await GetAsync((await registry.GetBatchAsync(batchId, ct) ?? throw new InvalidOperationException($"Unknown batch {batchId}.")).CampaignId, ct);

    /// <summary>Reads the registry now (after this process changed the catalog, or when an id is not known yet).</summary>
    public async ValueTask<CampaignCatalog> ReloadAsync(CancellationToken ct = default)
    {
        Interlocked.Exchange(ref _checkedAt, 0);
        return await CurrentAsync(ct);
    }

    private CampaignCatalog Load(IReadOnlyList<StoredCampaign> stored)
    {
        var entries = new List<CatalogEntry>();
        foreach (var s in stored)
        {
            var (campaign, problems) = CampaignLoader.Validate(s.Document);
            // A stored campaign was valid when saved; one that no longer is (e.g. a region code withdrawn) must not take the others down.
            if (campaign is null) _logger.LogError("Stored campaign {CampaignId} is no longer valid and is left out: {Problems}", s.CampaignId, string.Join("; ", problems));
            else entries.Add(new CatalogEntry(campaign, s.IsClosed));
        }
        return new CampaignCatalog(entries);
    }

    private async Task SeedAsync(CampaignSeed seed, CancellationToken ct)
    {
        var stored = await _registry!.ListCampaignsAsync(ct);
        if (stored.Any(s => s.CampaignId == seed.Campaign.Id) || (seed.OnlyIntoEmpty && stored.Count > 0)) return;
        if (await _registry.AddCampaignAsync(seed.Campaign.Id, seed.Campaign.RegencyCode, seed.Document, seed.Source, ct))
            _logger.LogInformation("Campaign {CampaignId} added to the catalog from {Source}", seed.Campaign.Id, seed.Source);
    }

    /// <summary>
    /// A campaign file's JSON as it is stored: as given, with a relative <c>referenceList</c> made absolute (the stored
    /// document no longer sits next to the file it was read from).
    /// </summary>
    public static string StoredDocument(string json, Campaign campaign)
    {
        if (campaign.ReferenceListPath is null || JsonNode.Parse(json) is not JsonObject root) return json;
        root["referenceList"] = campaign.ReferenceListPath;
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}

/// <summary>
/// The host's configured campaign file, stored on first use unless the catalog has it. <see cref="OnlyIntoEmpty"/>: the
/// sample campaign used when none is configured, stored only into an empty catalog.
/// </summary>
public sealed record CampaignSeed(Campaign Campaign, string Document, string Source, bool OnlyIntoEmpty);
