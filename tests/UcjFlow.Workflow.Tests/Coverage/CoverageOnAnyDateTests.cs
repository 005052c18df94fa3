using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Coverage;

/// <summary>
/// Issue 13.3/13.4 through the app's calculation (<see cref="CoveragePublisher.ComputeAsync"/>) on the real SQLite registry:
/// a regency's APBD campaign (2024-11-01..2025-10-31) and a DBH Sawit renewal (2025-11-01..2026-04-30) renewing six of its
/// ten people; coverage on any date, not clamped, and the lapse ahead; and the daily summary's warning of a coming fall.
/// </summary>
public class CoverageOnAnyDateTests
{
    const string TambakRatu = "15.03.01.2001";
    static readonly DateOnly ApbdTo = new(2025, 10, 31);
    static readonly DateOnly SawitFrom = new(2025, 11, 1), SawitTo = new(2026, 4, 30);

    [Fact]
    public async Task Coverage_on_any_date_falls_after_the_funded_period_and_a_renewal_keeps_its_people_from_lapsing()
    {
        // Today (Jakarta) is long after both periods: nothing is active, and that is what the default date shows.
        await using var h = await WorkflowHarness.StartAsync(start: new DateTimeOffset(2026, 11, 29, 2, 0, 0, TimeSpan.Zero));
        var apbd = h.Campaign;
        var sawit = Renewal(apbd);
        await EnrolAsync(h.Registry, apbd.Id, "a", 1, 10, apbd.CoverageStart, ApbdTo);
        await EnrolAsync(h.Registry, sawit.Id, "s", 1, 6, SawitFrom, SawitTo, segment: "sawit");
        var publisher = new CoveragePublisher(new CampaignStore(CampaignCatalog.Of(apbd, sawit)), h.Registry, h.Blobs, h.Clock);
        var baseline = apbd.BaselineCovered;

        var today = await publisher.ComputeAsync(apbd.RegencyCode);
        Assert.Equal((new DateOnly(2026, 11, 29), 0L, baseline), (today.AsOf, today.Approved, today.Covered)); // not clamped to 2025-10-31

        var before = await publisher.ComputeAsync(apbd.RegencyCode, new DateOnly(2024, 10, 15));
        Assert.Equal((0L, 16L), (before.Approved, before.ApprovedStartingLater));

        var inside = await publisher.ComputeAsync(apbd.RegencyCode, new DateOnly(2025, 3, 1));
        Assert.Equal((10L, baseline + 10, 6L), (inside.Approved, inside.Covered, inside.ApprovedStartingLater));
        Assert.Equal(10, inside.Districts.Single(d => d.Code == "15.03.01").Villages.Single(v => v.Code == TambakRatu).Approved);
        Assert.Equal([("P-APBD", 10L, 0L), ("DBH-SAWIT", 0L, 6L)], inside.Funders.Select(f => (f.Code, f.Approved, f.ApprovedStartingLater)));

        // A month before the end: ten end, six of them already renewed by the DBH Sawit campaign, four lapse.
        var ahead = await publisher.ComputeAsync(apbd.RegencyCode, new DateOnly(2025, 10, 1));
        var month = ahead.Lapse.Single(l => l.Months == 1);
        Assert.Equal((10L, 4L, baseline + 6), (month.Ending, month.Lapsing, month.CoveredAfter));
        Assert.Equal(apbd.CostOf("rentan", 4), month.RenewalBudget);
        Assert.Equal(4, month.ByDistrict.Single(d => d.Code == "15.03.01").Lapsing);

        var renewed = await publisher.ComputeAsync(apbd.RegencyCode, new DateOnly(2025, 11, 15));
        Assert.Equal((6L, baseline + 6), (renewed.Approved, renewed.Covered));
        Assert.Equal([("P-APBD", 0L), ("DBH-SAWIT", 6L)], renewed.Funders.Select(f => (f.Code, f.Approved)));
        Assert.Equal(("sawit", 6L), renewed.Segments.Where(s => s.Approved > 0).Select(s => (s.Code, s.Approved)).Single());

        var after = await publisher.ComputeAsync(apbd.RegencyCode, SawitTo.AddDays(1));
        Assert.Equal((0L, baseline), (after.Approved, after.Covered));
    }

    [Fact]
    public async Task The_daily_summary_warns_from_60_days_before_a_fall_of_more_than_one_point_without_any_NIK()
    {
        // A small regency so that ten people are five points: 20 + 10 of 200 covered until 31 October 2025.
        await using var h = await WorkflowHarness.StartAsync(c => c with { Workforce = 200, BaselineCovered = 20 },
            start: new DateTimeOffset(2025, 8, 25, 2, 0, 0, TimeSpan.Zero)); // 09:00 WIB, 68 days before 1 November
        await EnrolAsync(h.Registry, h.Campaign.Id, "a", 1, 10, h.Campaign.CoverageStart, ApbdTo);
        Assert.True(await h.Client.EnsureCampaignStartedAsync(h.Campaign.Id));
        await h.PassToAsync(h.Now); // its first cycle sets its timer before the clock moves

        // 26 August 07:00 WIB: the fall is 67 days ahead, no warning yet.
        await h.PassToAsync(new DateTimeOffset(2025, 8, 26, 0, 0, 0, TimeSpan.Zero));
        var early = Assert.Single(await h.UntilMailsAsync(m => m.Subject.Contains("Ringkasan cakupan 26 Agustus 2025"), 1, "the summary of 26 August"));
        Assert.DoesNotContain("Peringatan", early.Text);

        // 2 September 07:00 WIB: 60 days ahead, the warning, one line.
        await h.PassToAsync(new DateTimeOffset(2025, 9, 2, 0, 0, 0, TimeSpan.Zero));
        var warned = Assert.Single(await h.UntilMailsAsync(m => m.Subject.Contains("Ringkasan cakupan 2 September 2025"), 1, "the summary of 2 September"));
        Assert.Contains("Peringatan: cakupan akan turun dari 15,00% menjadi 10,00% pada 1 November 2025 (10 peserta berakhir) bila tidak diperpanjang.", warned.Plain);
        Assert.All(Enumerable.Range(1, 10), n => Assert.DoesNotContain(Nik(n), warned.Text));
    }

    static Campaign Renewal(Campaign apbd) => apbd with
    {
        Id = "sarolangun-2025-sawit", Name = "Sarolangun 2025 DBH Sawit", Funder = Funder.DbhSawit,
        CoverageStart = SawitFrom, MonthsFunded = 6, SubmissionDeadline = new DateOnly(2025, 10, 22),
    };

    static string Nik(int n) => $"150301{n:D10}";

    /// <summary>Enrols people straight through the registry (as an approval does): NIKs 150301000000000n, one batch.</summary>
    static async Task EnrolAsync(IEnrollmentRegistry registry, string campaignId, string batchId, int firstNik, int count, DateOnly from, DateOnly to, string segment = "rentan")
    {
        await registry.RegisterBatchAsync(new NewBatch(batchId, campaignId, TambakRatu, "Tambak Ratu", "15.03.01", batchId + ".csv", "sha-" + batchId, $"uploads/{batchId}.csv"));
        await registry.CompleteValidationAsync(batchId, new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(count, count, 0, 0), $"reports/{batchId}.json"),
            Rows(firstNik, count, segment));
        var approved = await registry.ApproveAsync(new Approval("d-" + batchId, batchId, "koordinator", from, to));
        Assert.Equal(count, approved.Record!.Enrolled);
    }

    static async IAsyncEnumerable<Enrollee> Rows(int firstNik, int count, string segment)
    {
        await Task.CompletedTask;
        for (var i = 0; i < count; i++)
            yield return new Enrollee(i + 1, Nik(firstNik + i), null, "PESERTA " + (firstNik + i), "Sarolangun", new DateOnly(1980, 1, 1).AddDays(i),
                Sex.Female, null, TambakRatu, null, segment, null, "DTKS");
    }
}
