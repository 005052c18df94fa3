using System.Text.Json.Nodes;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Roster;

namespace UcjFlow.Core.Tests.Campaigns;

/// <summary>Issue 13: many campaigns — funders, segments BPU/PU, tariffs per segment, cost shares, and which campaign an upload goes to.</summary>
public class CampaignCatalogTests
{
    const string TambakRatu = "15.03.01.2001";

    static Campaign Campaign(Action<JsonObject> change) => CampaignLoader.Parse(SampleCampaign.With(change));

    static Campaign Named(string id) => Campaign(o => o["id"] = id);

    [Fact]
    public void An_upload_goes_to_the_villages_one_open_campaign_or_the_one_named()
    {
        var apbd = Named("sarolangun-2025-apbd");
        var sawit = Named("sarolangun-2025-sawit");
        var old = Named("sarolangun-2024");
        var catalog = new CampaignCatalog([new(old, Closed: true), new(apbd, false), new(sawit, false)]);

        var several = Assert.Throws<CampaignChoiceException>(() => catalog.ForUpload(TambakRatu, null));
        Assert.Equal(CampaignChoiceProblem.SeveralOpen, several.Problem);
        Assert.Contains("sarolangun-2025-apbd", several.Message);
        Assert.Same(sawit, catalog.ForUpload("1503012001", "sarolangun-2025-sawit"));
        Assert.Equal(CampaignChoiceProblem.Closed, Assert.Throws<CampaignChoiceException>(() => catalog.ForUpload(TambakRatu, "sarolangun-2024")).Problem);
        Assert.Equal(CampaignChoiceProblem.UnknownCampaign, Assert.Throws<CampaignChoiceException>(() => catalog.ForUpload(TambakRatu, "lain")).Problem);
        Assert.Same(apbd, new CampaignCatalog([new(old, true), new(apbd, false)]).ForUpload(TambakRatu, null));
        Assert.Equal(CampaignChoiceProblem.NoOpenCampaign,
            Assert.Throws<CampaignChoiceException>(() => new CampaignCatalog([new(old, true)]).ForUpload(TambakRatu, null)).Problem);
        Assert.Equal(CampaignChoiceProblem.VillageNotInCampaign,
            Assert.Throws<CampaignChoiceException>(() => catalog.ForUpload("16.09.01.1014", "sarolangun-2025-apbd")).Problem);
    }

    [Fact]
    public void A_regency_is_presented_by_its_last_added_open_campaign_else_its_last_added_one()
    {
        var old = Named("sarolangun-2024");
        var apbd = Named("sarolangun-2025-apbd");
        var sawit = Named("sarolangun-2025-sawit");

        Assert.Same(sawit, new CampaignCatalog([new(old, true), new(apbd, false), new(sawit, false)]).Presenting("15.03"));
        Assert.Same(apbd, new CampaignCatalog([new(old, true), new(apbd, false), new(sawit, true)]).Presenting("15.03"));
        Assert.Same(sawit, new CampaignCatalog([new(old, true), new(apbd, true), new(sawit, true)]).Presenting("15.03"));
        Assert.Equal([apbd, sawit], new CampaignCatalog([new(old, true), new(apbd, false), new(sawit, false)]).OpenOfRegency("15.03"));
        Assert.Throws<UnknownCampaignException>(() => new CampaignCatalog([new(apbd, false)]).Presenting("16.09"));
    }

    [Fact]
    public void Funder_segment_kind_and_renewal_are_read_and_a_missing_funder_is_APBD()
    {
        var c = Campaign(o =>
        {
            o["funder"] = "dbh sawit";
            o["renewsFrom"] = "sarolangun-2024";
            ((JsonObject)o["segments"]![5]!)["kind"] = "PU";
        });

        Assert.Equal(Funder.DbhSawit, c.Funder);
        Assert.Equal("sarolangun-2024", c.RenewsFrom);
        Assert.Equal(SegmentKind.Pu, c.Segments.Single(s => s.Code == "sawit").Kind);
        Assert.Equal(SegmentKind.Bpu, c.DefaultSegment.Kind);
        Assert.Equal(Funder.PApbd, Named("x").Funder); // the sample names its funder
        Assert.Equal(Funder.Apbd, Campaign(o => o.Remove("funder")).Funder);
        var (_, problems) = CampaignLoader.Validate(SampleCampaign.With(o => { o["funder"] = "APBN"; ((JsonObject)o["segments"]![0]!)["kind"] = "upah"; }));
        Assert.Contains(problems, p => p.StartsWith("funder 'APBN' is not one of APBD, P-APBD", StringComparison.Ordinal));
        Assert.Contains("segments[0].kind 'upah' must be BPU (non-wage workers) or PU (wage earners)", problems);
    }

    [Fact]
    public void A_segments_own_tariff_takes_the_place_of_the_all_segment_one_for_that_segment()
    {
        // A 2025-style relief: sawit workers pay a lower JKK from 2025-02 on.
        var c = Campaign(o => o["tariffs"] = new JsonArray(
            new JsonObject { ["from"] = "2024-01-01", ["to"] = null, ["jkk"] = 10_000, ["jkm"] = 6_800 },
            new JsonObject { ["from"] = "2025-02-01", ["to"] = null, ["jkk"] = 5_000, ["jkm"] = 6_800, ["segments"] = new JsonArray("sawit") }));

        Assert.Equal(16_800 * 12, c.CostPerWorker);
        Assert.Equal(3 * 16_800 + 9 * 11_800, c.CostPerWorkerOf("sawit"));
        Assert.Equal(10 * (3 * 16_800 + 9 * 11_800L), c.CostOf("sawit", 10));
        var (_, problems) = CampaignLoader.Validate(SampleCampaign.With(o => o["tariffs"] = new JsonArray(
            new JsonObject { ["from"] = "2024-01-01", ["to"] = "2025-01-31", ["jkk"] = 10_000, ["jkm"] = 6_800 },
            new JsonObject { ["from"] = "2025-02-01", ["to"] = null, ["jkk"] = 5_000, ["jkm"] = 6_800, ["segments"] = new JsonArray("sawit", "kebun") })));
        Assert.Contains("tariffs[1].segments: 'kebun' is not a segment of the campaign (rentan, adhoc, rt, keagamaan, damkar, sawit, nelayan)", problems);
    }

    [Fact]
    public void A_shared_premium_is_split_between_funders_and_the_parts_add_up()
    {
        // Penajam Paser Utara style: the province pays 40% of every premium for the first six months.
        var c = Campaign(o => { o["funder"] = "APBD"; o["costShares"] = new JsonArray(
            new JsonObject { ["funder"] = "APBD", ["percent"] = 60, ["to"] = "2025-04-30" },
            new JsonObject { ["funder"] = "APBD Provinsi", ["percent"] = 40, ["to"] = "2025-04-30" },
            new JsonObject { ["funder"] = "APBD", ["percent"] = 100, ["from"] = "2025-05-01" }); });

        var parts = c.CostByFunder(null, 3);

        Assert.Equal([(Funder.Apbd, 3 * (6 * 10_080L + 6 * 16_800)), (Funder.ApbdProvinsi, 3 * 6 * 6_720L)], parts);
        Assert.Equal(c.CostOf(3), parts.Sum(p => p.Rupiah));
        Assert.Equal([(Funder.PApbd, c.CostOf(3))], Named("y").CostByFunder(null, 3));
        var (_, problems) = CampaignLoader.Validate(SampleCampaign.With(o => o["costShares"] = new JsonArray(
            new JsonObject { ["funder"] = "APBD", ["percent"] = 60 })));
        Assert.Equal(["costShares: the shares in force in 2024-11 add up to 60%, not 100% (list every funder's share, P-APBD included)"], problems);
    }
}
