using System.Text.Json.Nodes;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Tests.Campaigns;

namespace UcjFlow.Core.Tests.Coverage;

/// <summary>
/// Issue 13.3/13.4/13.6: coverage on any date over a regency's campaigns (never clamped into a period), approved people
/// starting later, funders and segments, the lapse ahead with renewals, the warning of a fall, and cost shares.
/// </summary>
public class CoverageOnAnyDateTests
{
    const string TambakRatu = "15.03.01.2001";
    const string Bernai = "15.03.03.2002";
    static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    // The sample paid from the APBD: coverage 2024-11-01..2025-10-31, workforce 112,644, baseline 64,709, Rp 16,800 a month.
    static readonly Campaign Apbd = CampaignLoader.Parse(SampleCampaign.With(o => o["funder"] = "APBD"));
    static readonly Campaign Sawit = CampaignLoader.Parse(SampleCampaign.With(o =>
    {
        o["id"] = "sarolangun-2025-sawit";
        o["funder"] = "DBH Sawit";
        o["coverageStart"] = "2025-11-01";
        o["monthsFunded"] = 6;
        o["submissionDeadline"] = "2025-10-22";
    }));

    static CoverageSummary Compute(DateOnly asOf, Dictionary<DateOnly, IReadOnlyList<ActiveCount>> active, IReadOnlyList<EndingCount>? ending = null,
        params Campaign[] campaigns) =>
        CoverageCalculator.Compute(new CoverageInputs
        {
            Presenting = campaigns.Length > 0 ? campaigns[^1] : Apbd,
            Campaigns = campaigns.Length > 0 ? campaigns : [Apbd],
            AsOf = asOf,
            Submissions = [],
            Active = active,
            Ending = ending,
        }, Now);

    static ActiveCount Active(Campaign c, string village, string segment, int n) => new(c.Id, village, segment, n);

    [Fact]
    public void A_date_inside_the_period_counts_the_enrolments_active_that_day_by_segment_and_district()
    {
        var asOf = new DateOnly(2025, 3, 1);
        var s = Compute(asOf, new() { [asOf] = [Active(Apbd, TambakRatu, "rentan", 650), Active(Apbd, "1503012001", "sawit", 50)] });

        Assert.Equal(asOf, s.AsOf);
        Assert.Equal(700, s.Approved);
        Assert.Equal(64_709 + 700, s.Covered);
        Assert.Equal(CoverageCalculator.Percent(64_709 + 700, 112_644), s.CoveragePercent);
        Assert.Equal(700, s.Districts.Single(d => d.Code == "15.03.01").Approved);
        Assert.Equal(700, s.Districts.SelectMany(d => d.Villages).Single(v => v.Code == TambakRatu).Approved);
        Assert.Equal((650L, "Pekerja Rentan"), s.Segments.Where(x => x.Code == "rentan").Select(x => (x.Approved, x.Name)).Single());
        Assert.Equal(50, s.Segments.Single(x => x.Code == "sawit").Approved);
        Assert.Equal(Apbd.CostOf("rentan", 650) + Apbd.CostOf("sawit", 50), s.BudgetCommitted);
    }

    [Fact]
    public void After_the_period_ends_coverage_falls_to_the_baseline()
    {
        var after = new DateOnly(2025, 11, 15);
        var s = Compute(after, new() { [after] = [] });

        Assert.Equal(after, s.AsOf); // not clamped to 2025-10-31
        Assert.Equal(0, s.Approved);
        Assert.Equal(64_709, s.Covered);
        Assert.Equal(57.45m, s.CoveragePercent);
        Assert.Equal(0, s.BudgetCommitted);
    }

    [Fact]
    public void Before_the_start_approved_people_show_as_starting_later()
    {
        var before = new DateOnly(2024, 10, 15);
        EndingCount[] ending = [new(Apbd.Id, TambakRatu, "rentan", new DateOnly(2025, 10, 31), 650)];
        var s = Compute(before, CoverageCalculator.DaysToRead(before, ending).ToDictionary(d => d, d => (IReadOnlyList<ActiveCount>)(d > before ? [Active(Apbd, TambakRatu, "rentan", 650)] : [])), ending);

        Assert.Equal(0, s.Approved);
        Assert.Equal(650, s.ApprovedStartingLater);
        Assert.Equal(650, s.Funders.Single(f => f.Code == "APBD").ApprovedStartingLater);
        Assert.Equal(650, s.Segments.Single(x => x.Code == "rentan").ApprovedStartingLater);
        Assert.Equal(Apbd.CostOf(650), s.BudgetCommitted);
    }

    [Fact]
    public void Two_campaigns_of_different_funders_are_one_coverage_and_two_funder_lines()
    {
        var asOf = new DateOnly(2025, 11, 10);
        var s = Compute(asOf, new() { [asOf] = [Active(Sawit, TambakRatu, "sawit", 300), Active(Apbd, Bernai, "rentan", 40)] }, null, Apbd, Sawit);

        Assert.Equal(340, s.Approved);
        Assert.Equal(64_709 + 340, s.Covered);
        Assert.Equal(Sawit.Id, s.CampaignId); // the presenting campaign: the last one
        var apbd = s.Funders.Single(f => f.Code == "APBD");
        var sawit = s.Funders.Single(f => f.Code == "DBH-SAWIT");
        Assert.Equal((40L, Apbd.CostOf("rentan", 40)), (apbd.Approved, apbd.BudgetCommitted));
        Assert.Equal((300L, Sawit.CostOf("sawit", 300)), (sawit.Approved, sawit.BudgetCommitted));
        Assert.Equal(16_800L * 6 * 300, sawit.BudgetCommitted);
    }

    [Fact]
    public void A_renewal_already_approved_prevents_a_lapse_and_the_warning()
    {
        var asOf = new DateOnly(2025, 10, 1);
        var firstUncovered = new DateOnly(2025, 11, 1);
        EndingCount[] ending = [new(Apbd.Id, Bernai, "rentan", new DateOnly(2025, 10, 31), 5000), new(Sawit.Id, Bernai, "rentan", new DateOnly(2026, 4, 30), 4000)];
        Dictionary<DateOnly, IReadOnlyList<ActiveCount>> Days(int renewed)
        {
            var days = new Dictionary<DateOnly, IReadOnlyList<ActiveCount>> { [asOf] = [Active(Apbd, Bernai, "rentan", 5000)] };
            foreach (var d in CoverageCalculator.DaysToRead(asOf, ending).Where(d => d > asOf))
                days[d] = d <= new DateOnly(2026, 4, 30) ? [Active(Sawit, Bernai, "rentan", renewed)] : [];
            return days;
        }

        var renewedMost = Compute(asOf, Days(4000), ending, Apbd, Sawit);
        var month = renewedMost.Lapse.Single(l => l.Months == 1);
        Assert.Equal((5000L, 1000L), (month.Ending, month.Lapsing));
        Assert.Equal(64_709 + 4000, month.CoveredAfter);
        Assert.Equal(Apbd.CostOf("rentan", 1000), month.RenewalBudget); // the ending campaign's tariffs
        Assert.Equal(1000, month.ByDistrict.Single(d => d.Code == "15.03.03").Lapsing);
        Assert.Equal((5000L, 1000L), month.ByFunder.Where(f => f.Code == "APBD").Select(f => (f.Ending, f.Lapsing)).Single());
        Assert.Null(renewedMost.LapseWarning); // 0.89 points: not more than one
        Assert.Equal([1, 3, 6], renewedMost.Lapse.Select(l => l.Months));
        Assert.Equal(5000, renewedMost.Lapse.Single(l => l.Months == 6).Ending); // the renewal ends 2026-04-30: after the window
        Assert.Equal(4000, renewedMost.ApprovedStartingLater);

        var notRenewed = Compute(asOf, Days(0), ending, Apbd, Sawit);
        Assert.Equal(5000, notRenewed.Lapse[0].Lapsing);
        Assert.Equal(64_709, notRenewed.Lapse[0].CoveredAfter);
        var warning = Assert.IsType<LapseWarning>(notRenewed.LapseWarning);
        Assert.Equal((firstUncovered, 5000L), (warning.Date, warning.Ending));
        Assert.Equal("Peringatan: cakupan akan turun dari 61,88% menjadi 57,45% pada 1 November 2025 (5.000 peserta berakhir) bila tidak diperpanjang.",
            warning.Text);
        // The same figures in the published JSON and HTML report.
        var json = System.Text.Json.Nodes.JsonNode.Parse(CoverageJson.Serialize(notRenewed))!;
        Assert.Equal((1, 5000L, 64_709L), (json["lapse"]![0]!["months"]!.GetValue<int>(), json["lapse"]![0]!["lapsing"]!.GetValue<long>(), json["lapse"]![0]!["coveredAfter"]!.GetValue<long>()));
        Assert.Equal(warning.Text, json["lapseWarning"]!["text"]!.GetValue<string>());
        var html = CoverageHtml.Render(notRenewed);
        Assert.Contains($"<p class=\"warning\" id=\"lapse-warning\">{warning.Text}</p>", html);
        Assert.Contains("<tr id=\"lapse-1\"><td>1 bulan</td><td>1 November 2025</td><td>5.000</td><td>5.000</td>", html);

        var early = new DateOnly(2025, 8, 31);
        Assert.Null(Compute(early, new() { [early] = [Active(Apbd, Bernai, "rentan", 5000)], [firstUncovered] = [],
            [early.AddMonths(1).AddDays(1)] = [Active(Apbd, Bernai, "rentan", 5000)], [early.AddMonths(3).AddDays(1)] = [], [early.AddMonths(6).AddDays(1)] = [] },
            ending, Apbd, Sawit).LapseWarning); // 62 days ahead: not yet
    }

    [Fact]
    public void Cost_shares_split_each_budget_between_funders()
    {
        var shared = CampaignLoader.Parse(SampleCampaign.With(o =>
        {
            o["funder"] = "APBD";
            o["costShares"] = new JsonArray(
                new JsonObject { ["funder"] = "APBD", ["percent"] = 60 },
                new JsonObject { ["funder"] = "APBD Provinsi", ["percent"] = 40 });
        }));
        var asOf = new DateOnly(2025, 1, 1);
        var s = CoverageCalculator.Compute(new CoverageInputs
        {
            Presenting = shared, Campaigns = [shared], AsOf = asOf, Ending = null,
            Submissions = [new VillageTally(TambakRatu, 110, 0, 10, 0)],
            Active = new Dictionary<DateOnly, IReadOnlyList<ActiveCount>> { [asOf] = [Active(shared, TambakRatu, "rentan", 100)] },
        }, Now);

        var apbd = s.Funders.Single(f => f.Code == "APBD");
        var province = s.Funders.Single(f => f.Code == "APBD-PROVINSI");
        Assert.Equal((100L, 0L), (apbd.Approved, province.Approved)); // people count under the campaign's funder
        Assert.Equal((100 * 201_600 * 60 / 100L, 100 * 201_600 * 40 / 100L), (apbd.BudgetCommitted, province.BudgetCommitted));
        Assert.Equal((10 * 201_600 * 60 / 100L, 10 * 201_600 * 40 / 100L), (apbd.BudgetPending, province.BudgetPending));
        Assert.Equal(s.GapToTargetRupiah, apbd.BudgetGap + province.BudgetGap);
        Assert.Equal(s.BudgetCommitted, apbd.BudgetCommitted + province.BudgetCommitted);
    }
}
