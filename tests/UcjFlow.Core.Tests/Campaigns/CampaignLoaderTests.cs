using System.Text.Json.Nodes;
using UcjFlow.Core.Campaigns;

namespace UcjFlow.Core.Tests.Campaigns;

public class CampaignLoaderTests
{
    [Fact]
    public void The_shipped_sample_loads_with_every_village_of_Sarolangun()
    {
        var c = SampleCampaign.Load();

        Assert.Equal("sarolangun-2024", c.Id);
        Assert.Equal("Sarolangun 2024 P-APBD", c.Name);
        Assert.Equal("15.03", c.RegencyCode);
        Assert.Equal("Kabupaten Sarolangun", c.RegencyName);
        Assert.Equal(112_644, c.Workforce);
        Assert.Equal(64_709, c.BaselineCovered);
        Assert.Equal(65m, c.TargetPercent);
        Assert.Equal(16_800, c.TariffOn(new DateOnly(2024, 11, 1))!.Premium);
        Assert.Equal(new DateOnly(2024, 11, 1), c.CoverageStart);
        Assert.Equal(new DateOnly(2025, 10, 31), c.CoverageEnd);
        Assert.Equal(new DateOnly(2024, 10, 22), c.SubmissionDeadline);
        Assert.Equal([7, 3, 1, 0], c.ReminderOffsetsDays);
        Assert.Equal(TimeSpan.FromDays(2), c.ApprovalReminderInterval);
        Assert.Equal(3, c.EscalateAfterReminders);
        Assert.Equal(new TimeOnly(7, 0), c.DailySummaryTime);
        Assert.Equal((15, 65), (c.MinAge, c.MaxAge));
        Assert.Equal("rentan", c.DefaultSegment.Code);
        Assert.Equal(7, c.Segments.Count);
        Assert.All(c.CoordinatorEmails.Concat(c.LeadershipEmails), e => Assert.EndsWith(".example.id", e));

        Assert.Equal(158, c.Villages.Count);
        Assert.Equal(c.Villages.Count, c.Villages.Select(v => v.Code).Distinct().Count());
        Assert.All(c.Villages, v => Assert.StartsWith("15.03.", v.Code));
        Assert.Equal(c.Villages.Select(v => v.Code).Order(StringComparer.Ordinal), c.Villages.Select(v => v.Code));
        var tambakRatu = c.Village("1503012001")!;
        Assert.Equal(("Tambak Ratu", "Desa", "15.03.01", "Batang Asai", "pic.tambakratu@desa.example.id"),
            (tambakRatu.Name, tambakRatu.Kind, tambakRatu.DistrictCode, tambakRatu.DistrictName, tambakRatu.PicEmail));
        Assert.Equal("Kelurahan", c.Village("15.03.03.1001")!.Kind);
        Assert.Equal(6, c.Villages.Count(v => v.PicEmail is not null));
        Assert.Null(c.Village("15.03.01.2003")!.PicEmail);
        Assert.Null(c.Village("15.04.01.2001"));
    }

    [Fact]
    public void Budget_of_the_sample_is_premium_times_months()
    {
        var c = SampleCampaign.Load();

        Assert.Equal(16_800L * 12, c.CostPerWorker);
        Assert.Equal(13_045_334_400L, c.CostOf(64_709));
        Assert.Equal(0, c.CostOf(0));
    }

    [Fact]
    public void A_mid_year_tariff_change_is_costed_month_by_month()
    {
        var json = SampleCampaign.With(o => o["tariffs"] = new JsonArray(
            new JsonObject { ["from"] = "2024-01-01", ["to"] = "2025-03-31", ["jkk"] = 10_000, ["jkm"] = 6_800 },
            new JsonObject { ["from"] = "2025-04-01", ["jkk"] = 12_000, ["jkm"] = 6_800 }));

        var c = CampaignLoader.Parse(json);

        // Nov 2024 – Mar 2025: 5 months at 16,800; Apr – Oct 2025: 7 months at 18,800.
        Assert.Equal(5 * 16_800 + 7 * 18_800, c.CostPerWorker);
        Assert.Equal(1000L * (5 * 16_800 + 7 * 18_800), c.CostOf(1000));
        Assert.Equal(16_800, c.TariffOn(new DateOnly(2025, 3, 31))!.Premium);
        Assert.Equal(18_800, c.TariffOn(new DateOnly(2025, 4, 1))!.Premium);
    }

    [Fact]
    public void A_change_in_the_middle_of_a_month_applies_from_the_next_funded_month()
    {
        var json = SampleCampaign.With(o => o["tariffs"] = new JsonArray(
            new JsonObject { ["from"] = "2024-01-01", ["to"] = "2025-01-15", ["jkk"] = 10_000, ["jkm"] = 6_800 },
            new JsonObject { ["from"] = "2025-01-16", ["jkk"] = 10_000, ["jkm"] = 8_000 }));

        var c = CampaignLoader.Parse(json);

        // Months start on the 1st: Nov, Dec, Jan at the old rate, Feb – Oct (9) at the new one.
        Assert.Equal(3 * 16_800 + 9 * 18_000, c.CostPerWorker);
    }

    [Fact]
    public void An_invalid_file_is_refused_with_every_problem_listed()
    {
        var json = SampleCampaign.With(o =>
        {
            o["workforce"] = 0;
            o["targetPercent"] = 120;
            o["submissionDeadline"] = "2024-13-01";
            o["coordinatorEmails"] = new JsonArray("koordinator@", "ok@dinas.example.id");
            o["dailySummaryTime"] = "7 pagi";
            o["tariffs"] = new JsonArray(
                new JsonObject { ["from"] = "2024-01-01", ["to"] = "2025-06-30", ["jkk"] = 10_000, ["jkm"] = 6_800 },
                new JsonObject { ["from"] = "2025-06-01", ["jkk"] = 12_000, ["jkm"] = 6_800 });
            o["villages"] = new JsonArray(
                new JsonObject { ["code"] = "15.03.01.2001", ["picEmail"] = "pic.a@desa.example.id" },
                new JsonObject { ["code"] = "1503012001", ["picEmail"] = "pic.b@desa.example.id" },
                new JsonObject { ["code"] = "15.03.01.2999" },
                new JsonObject { ["code"] = "15.04.01.2002" },
                new JsonObject { ["code"] = "15.03.01.2002", ["picEmail"] = "not an email" });
            o["workfroce"] = 1;
            o.Remove("escalateAfterReminders");
        });

        var e = Assert.Throws<CampaignConfigException>(() => CampaignLoader.Parse(json, source: "campaign.json"));

        var expected = new[]
        {
            "workforce must be > 0 (is 0)",
            "targetPercent must be between 0 and 100 (is 120)",
            "submissionDeadline 2024-13-01 is not a date (expected yyyy-MM-dd)",
            "coordinatorEmails[0]: 'koordinator@' is not an email address",
            "dailySummaryTime '7 pagi' is not a time like 07:00",
            "tariffs overlap: 2024-01-01..2025-06-30 and 2025-06-01..open",
            "villages[1]: village 15.03.01.2001 is listed twice",
            "villages[2]: '15.03.01.2999' is not a known village code",
            "villages[3]: village 15.04.01.2002 (Sengkati Kecil) is not in regency 15.03 (Kabupaten Sarolangun)",
            "villages[4] (15.03.01.2002): picEmail 'not an email' is not an email address",
            "workfroce: unknown setting",
            "escalateAfterReminders is missing",
        };
        Assert.Equal(expected.Order(), e.Problems.Order());
        Assert.All(expected, p => Assert.Contains(p, e.Message));
        Assert.Contains("campaign.json", e.Message);
    }

    [Fact]
    public void More_problems_each_named()
    {
        var json = SampleCampaign.With(o =>
        {
            o["baselineCovered"] = 200_000;
            o["regency"] = "15.99";
            o["monthsFunded"] = 12;
            o["tariffs"] = new JsonArray(new JsonObject { ["from"] = "2024-11-01", ["to"] = "2025-03-31", ["jkk"] = -1, ["jkm"] = 6_800 });
            o["reminderOffsetsDays"] = new JsonArray(7, 3, 3, -1);
            o["segments"] = new JsonArray(
                new JsonObject { ["code"] = "rentan", ["name"] = "Pekerja Rentan", ["aliases"] = new JsonArray("petani") },
                new JsonObject { ["code"] = "sawit", ["name"] = "Petani Sawit", ["aliases"] = new JsonArray("Petani") });
            o["leadershipEmails"] = new JsonArray();
            o["ageRange"] = new JsonObject { ["min"] = 70, ["max"] = 65 };
            o["id"] = "Sarolangun 2024";
        });

        var (campaign, problems) = CampaignLoader.Validate(json);

        Assert.Null(campaign);
        Assert.Contains("baselineCovered (200000) must not exceed workforce (112644)", problems);
        Assert.Contains("regency '15.99' is not a regency/city code (like 15.03)", problems);
        Assert.Contains("tariffs[0].jkk must be >= 0 (is -1)", problems);
        Assert.Contains("reminderOffsetsDays: -1 must be >= 0 (days before the deadline)", problems);
        Assert.Contains("reminderOffsetsDays: 3 is listed twice", problems);
        Assert.Contains("segments[1] (sawit): 'Petani' also matches segment 'rentan'", problems);
        Assert.Contains("segments: exactly one segment must have \"default\": true (found 0)", problems);
        Assert.Contains("leadershipEmails: at least one address is required", problems);
        Assert.Contains("ageRange.min (70) must not exceed ageRange.max (65)", problems);
        Assert.Contains("id 'Sarolangun 2024' must use only lowercase letters, digits and '-'", problems);
    }

    [Fact]
    public void Funded_months_without_a_tariff_are_named()
    {
        var json = SampleCampaign.With(o => o["tariffs"] = new JsonArray(
            new JsonObject { ["from"] = "2024-11-01", ["to"] = "2025-08-31", ["jkk"] = 10_000, ["jkm"] = 6_800 }));

        var (_, problems) = CampaignLoader.Validate(json);

        Assert.Equal(["no tariff period covers funded month 2025-09 (month 11 of 12)", "no tariff period covers funded month 2025-10 (month 12 of 12)"], problems);
    }

    [Fact]
    public void Malformed_json_names_where()
    {
        var (campaign, problems) = CampaignLoader.Validate("{\n  \"workforce\": \"banyak\"\n}");

        Assert.Null(campaign);
        var problem = Assert.Single(problems);
        Assert.StartsWith("not valid campaign JSON at workforce (line 2)", problem);
    }

    [Fact]
    public void Without_segments_and_villages_the_defaults_apply()
    {
        var json = SampleCampaign.With(o => { o.Remove("segments"); o.Remove("villages"); o.Remove("ageRange"); });

        var c = CampaignLoader.Parse(json);

        Assert.Equal(CampaignDefaults.Segments, c.Segments);
        Assert.Equal(158, c.Villages.Count);
        Assert.All(c.Villages, v => Assert.Null(v.PicEmail));
        Assert.Equal((15, 65), (c.MinAge, c.MaxAge));
    }

    [Fact]
    public void A_missing_file_is_a_config_problem()
    {
        var e = Assert.Throws<CampaignConfigException>(() => CampaignLoader.LoadFile("/nonexistent/campaign.json"));
        Assert.StartsWith("cannot read the file", Assert.Single(e.Problems));
    }

    [Fact]
    public void A_reference_list_is_resolved_next_to_the_file_and_must_exist()
    {
        var dir = Directory.CreateTempSubdirectory("ucj-campaign-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "c.json"), SampleCampaign.With(o => o["referenceList"] = "dtks.csv"));
            var missing = Assert.Throws<CampaignConfigException>(() => CampaignLoader.LoadFile(Path.Combine(dir, "c.json")));
            Assert.Equal(["referenceList 'dtks.csv' does not exist"], missing.Problems);

            File.WriteAllText(Path.Combine(dir, "dtks.csv"), "NIK\n");
            Assert.Equal(Path.Combine(dir, "dtks.csv"), CampaignLoader.LoadFile(Path.Combine(dir, "c.json")).ReferenceListPath);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Deadline_is_a_Jakarta_local_date()
    {
        // 22 Oct 2024 07:00 WIB is 00:00 UTC.
        Assert.Equal(new DateTimeOffset(2024, 10, 22, 0, 0, 0, TimeSpan.Zero), JakartaTime.ToInstant(new DateOnly(2024, 10, 22), new TimeOnly(7, 0)));
        var clock = new FixedClock(new DateTimeOffset(2024, 10, 21, 17, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2024, 10, 22), JakartaTime.Today(clock));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
