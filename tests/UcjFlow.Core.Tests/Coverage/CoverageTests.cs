using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Tests.Campaigns;

namespace UcjFlow.Core.Tests.Coverage;

public class CoverageTests
{
    private static readonly DateOnly AsOf = new(2024, 11, 5);
    // 2024-11-05 00:00 UTC = 07:00 WIB.
    private static readonly DateTimeOffset Now = new(2024, 11, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly VillageTally[] Tallies =
    [
        new("15.03.01.2001", Submitted: 700, Approved: 650, Pending: 0, Rejected: 0),
        new("15.03.01.2002", Submitted: 300, Approved: 0, Pending: 300, Rejected: 0),
        new("15.03.03.1001", Submitted: 120, Approved: 0, Pending: 0, Rejected: 120),
        new("1503032002", Submitted: 5000, Approved: 5000, Pending: 0, Rejected: 0),
    ];

    private static CoverageSummary Compute(IReadOnlyList<VillageTally>? tallies = null, Campaign? campaign = null) =>
        CoverageCalculator.Compute(campaign ?? SampleCampaign.Load(), tallies ?? Tallies, AsOf, Now);

    [Fact]
    public void Totals_coverage_gap_and_budget()
    {
        var s = Compute();

        Assert.Equal(112_644, s.Workforce);
        Assert.Equal(64_709, s.BaselineCovered);
        Assert.Equal(6_120, s.Submitted);
        Assert.Equal(5_650, s.Approved);
        Assert.Equal(300, s.Pending);
        Assert.Equal(120, s.Rejected);
        Assert.Equal(70_359, s.Covered);
        Assert.Equal(62.46m, s.CoveragePercent);
        Assert.Equal(65m, s.TargetPercent);
        Assert.Equal(73_219, s.TargetCovered); // ⌈112,644 × 0.65⌉ = ⌈73,218.6⌉
        Assert.Equal(2_860, s.GapToTarget);
        Assert.Equal(576_576_000, s.GapToTargetRupiah);
        Assert.Equal(1_139_040_000, s.BudgetCommitted);
        Assert.Equal(60_480_000, s.BudgetPending);
        Assert.Equal(201_600, s.CostPerWorker);
        Assert.Equal(new DateTimeOffset(2024, 11, 5, 7, 0, 0, TimeSpan.FromHours(7)), s.GeneratedAt);
        Assert.Equal(TimeSpan.FromHours(7), s.GeneratedAt.Offset);
    }

    [Fact]
    public void Districts_and_villages_with_missing_ones()
    {
        var s = Compute();

        Assert.Equal(11, s.Districts.Count);
        Assert.Equal(158, s.Districts.Sum(d => d.Villages.Count));
        Assert.Equal(158, s.VillageCount);
        var batangAsai = s.Districts[0];
        Assert.Equal(("15.03.01", "Batang Asai", 1000, 650, 300, 0), (batangAsai.Code, batangAsai.Name, batangAsai.Submitted, batangAsai.Approved, batangAsai.Pending, batangAsai.Rejected));
        var tambakRatu = batangAsai.Villages[0];
        Assert.Equal(new VillageCoverage("15.03.01.2001", "Tambak Ratu", "Desa", 700, 650, 0, 0), tambakRatu);
        var sarolangun = s.Districts.Single(d => d.Code == "15.03.03");
        Assert.Equal((5120, 5000, 0, 120), (sarolangun.Submitted, sarolangun.Approved, sarolangun.Pending, sarolangun.Rejected));
        Assert.Equal(s.Approved, s.Districts.Sum(d => d.Approved));

        Assert.Equal(154, s.VillagesMissing.Count);
        Assert.DoesNotContain(s.VillagesMissing, v => v.Code is "15.03.01.2001" or "15.03.01.2002" or "15.03.03.1001" or "15.03.03.2002");
        Assert.Contains(new MissingVillage("15.03.01.2003", "Muaro Air Dua", "Desa", "15.03.01", "Batang Asai"), s.VillagesMissing);
    }

    [Fact]
    public void Baseline_only_and_target_reached()
    {
        var none = Compute([]);
        Assert.Equal(57.45m, none.CoveragePercent);
        Assert.Equal(0, none.BudgetCommitted);
        Assert.Equal(8_510, none.GapToTarget);
        Assert.Equal(158, none.VillagesMissing.Count);

        var many = Compute([new VillageTally("15.03.01.2001", 9000, 9000, 0, 0)]);
        Assert.Equal(0, many.GapToTarget);
        Assert.Equal(0, many.GapToTargetRupiah);
        Assert.Equal(65.44m, many.CoveragePercent); // 73,709 / 112,644
    }

    [Fact]
    public void Budget_uses_the_tariff_of_each_month()
    {
        var campaign = SampleCampaign.Load() with
        {
            Tariffs = [new TariffPeriod(new DateOnly(2024, 1, 1), new DateOnly(2025, 3, 31), 10_000, 6_800), new TariffPeriod(new DateOnly(2025, 4, 1), null, 12_000, 6_800)],
        };

        var s = Compute(campaign: campaign);

        Assert.Equal(5_650L * (5 * 16_800 + 7 * 18_800), s.BudgetCommitted);
    }

    [Fact]
    public void Json_has_the_documented_names_and_round_trips()
    {
        var s = Compute();

        var json = CoverageJson.Serialize(s);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        Assert.Equal(112_644, root.GetProperty("workforce").GetInt64());
        Assert.Equal(64_709, root.GetProperty("baselineCovered").GetInt64());
        Assert.Equal(5_650, root.GetProperty("approved").GetInt64());
        Assert.Equal(300, root.GetProperty("pending").GetInt64());
        Assert.Equal(70_359, root.GetProperty("covered").GetInt64());
        Assert.Equal(62.46m, root.GetProperty("coveragePercent").GetDecimal());
        Assert.Equal(65m, root.GetProperty("targetPercent").GetDecimal());
        Assert.Equal(2_860, root.GetProperty("gapToTarget").GetInt64());
        Assert.Equal(576_576_000, root.GetProperty("gapToTargetRupiah").GetInt64());
        Assert.Equal(1_139_040_000, root.GetProperty("budgetCommitted").GetInt64());
        Assert.Equal("2024-11-05T07:00:00+07:00", root.GetProperty("generatedAt").GetString());
        var district = root.GetProperty("districts")[0];
        Assert.Equal("Batang Asai", district.GetProperty("name").GetString());
        Assert.Equal("15.03.01", district.GetProperty("code").GetString());
        Assert.Equal(1000, district.GetProperty("submitted").GetInt32());
        var village = district.GetProperty("villages")[0];
        Assert.Equal(["code", "name", "kind", "submitted", "approved", "pending", "rejected", "workforceFigure", "covered", "coveragePercent", "reporting", "firstSentAt"],
            village.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, village.GetProperty("coveragePercent").ValueKind); // the sample has no desa figures
        Assert.Equal("NotSent", village.GetProperty("reporting").GetString());
        Assert.Equal(154, root.GetProperty("villagesMissing").GetArrayLength());
        Assert.Equal("Muaro Air Dua", root.GetProperty("villagesMissing")[0].GetProperty("name").GetString());

        var back = CoverageJson.Deserialize(json);
        Assert.Equal(s.Covered, back.Covered);
        Assert.Equal(s.Districts[0].Villages, back.Districts[0].Villages);
        Assert.Equal(s.VillagesMissing, back.VillagesMissing);
    }

    [Fact]
    public void Html_shows_Indonesian_formats_whatever_the_machine_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
            var html = CoverageHtml.Render(Compute());
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Assert.Equal(html, CoverageHtml.Render(Compute()));

            Assert.Contains("<div class=\"big\" id=\"coverage-percent\">62,46%</div>", html);
            Assert.Contains("<strong id=\"target-percent\">65,00%</strong>", html);
            Assert.Contains("<dd>Rp 1.139.040.000</dd>", html);
            Assert.Contains("<dd>2.860 orang · Rp 576.576.000</dd>", html);
            Assert.Contains("<dd>112.644 orang</dd>", html);
            Assert.Contains("70.359 orang (sebelumnya 64.709 + disetujui 5.650)", html);
            Assert.Contains("Rp 201.600 untuk 12 bulan mulai 1 November 2024", html);
            Assert.Contains("dibuat 5 November 2024 pukul 07.00 WIB", html);
            Assert.Contains("<dd>4 dari 158</dd>", html);
            Assert.Contains("Belum mengirim data (154)", html);
            Assert.Contains("Desa Muaro Air Dua", html);
            Assert.Contains("name=\"viewport\"", html);
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    [Fact]
    public void Html_of_the_baseline_shows_57_45_percent()
    {
        var html = CoverageHtml.Render(Compute([]));
        Assert.Contains(">57,45%<", html);
        Assert.Contains("<dd>Rp 0</dd>", html);
        Assert.Contains("<dd>8.510 orang · Rp 1.715.616.000</dd>", html);
    }

    private static Campaign WithHostileNames()
    {
        var c = SampleCampaign.Load();
        return c with
        {
            Villages = [.. c.Villages.Take(2), new CampaignVillage("15.03.01.2099", "=HYPERLINK(\"http://x\",\"klik\")", "Desa", "15.03.01", "Batang Asai", null),
                        new CampaignVillage("15.03.01.2098", "<script>alert(1)</script>", "Desa", "15.03.01", "Batang Asai", null)],
        };
    }

    [Fact]
    public void Html_encodes_names()
    {
        var html = CoverageHtml.Render(Compute(campaign: WithHostileNames()));
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public void Csv_has_bom_one_row_per_village_and_no_formulas()
    {
        var bytes = CoverageCsv.ToBytes(Compute());
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 158, lines.Length);
        Assert.Equal("Kode Kecamatan,Kecamatan,Kode Desa/Kelurahan,Desa/Kelurahan,Jenis,Diajukan,Disetujui,Menunggu,Ditolak,Belum Mengirim", lines[0]);
        Assert.Equal("15.03.01,Batang Asai,15.03.01.2001,Tambak Ratu,Desa,700,650,0,0,Tidak", lines[1]);
        Assert.Equal("15.03.01,Batang Asai,15.03.01.2003,Muaro Air Dua,Desa,0,0,0,0,Ya", lines[3]);

        var hostile = CoverageCsv.Render(Compute(campaign: WithHostileNames()));
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\",", hostile);
        Assert.DoesNotContain(",=", hostile);
    }

    [Fact]
    public async Task Csv_written_to_a_stream_equals_the_bytes()
    {
        using var ms = new MemoryStream();
        await CoverageCsv.WriteAsync(ms, Compute());
        Assert.Equal(CoverageCsv.ToBytes(Compute()), ms.ToArray());
    }

    [Fact]
    public void No_sixteen_digit_number_in_any_rendering()
    {
        var s = Compute();
        var sixteen = new Regex(@"\d{16}");
        Assert.DoesNotMatch(sixteen, CoverageJson.Serialize(s));
        Assert.DoesNotMatch(sixteen, CoverageHtml.Render(s));
        Assert.DoesNotMatch(sixteen, CoverageCsv.Render(s));
    }

    [Fact]
    public void Daily_summary_mail_takes_the_computed_figures()
    {
        var mail = Compute().ToDailySummaryMail("http://127.0.0.1:7071/coverage");
        Assert.Equal((62.46m, 2_860L, 1_139_040_000m, 158, 154), (mail.CoveragePercent, mail.GapToTarget, mail.BudgetCommitted, mail.VillagesTotal, mail.VillagesMissing));
    }
}
