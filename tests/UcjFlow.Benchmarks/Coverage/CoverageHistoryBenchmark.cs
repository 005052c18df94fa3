using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using UcjFlow.Adapters.Registry;
using UcjFlow.App.Hosting;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using UcjFlow.Embedded.Registry;
using UcjFlow.Embedded.Storage;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;

namespace UcjFlow.Benchmarks.Coverage;

/// <summary>
/// `coverage-history` (issue 13): a regency of 150,000 people (Sarolangun, 15.03: 10 kecamatan, 158 desa, 7 segments) over
/// five years of campaigns — each year an APBD campaign (12 months, January–December) and a DBH Sawit one (6 months,
/// July–December) for the sawit workers — most people renewed each year, some leaving and some joining. The enrolments
/// are seeded with bulk SQL straight into a fresh registry (SQLite; PostgreSQL too when a server is given), the running
/// tallies computed from them, then the registry's coverage reads are timed against that registry:
/// <see cref="IEnrollmentRegistry.GetActiveCountsAsync"/> over every campaign of the regency for random dates, plus the
/// app's aggregation of its rows per kecamatan, funder and segment, and <see cref="IEnrollmentRegistry.GetEndingCountsAsync"/>
/// for the 1, 3 and 6 months after random dates. As a ratio: the same figures counted straight from the enrolments.
/// Each read is checked against that direct count, so the benchmark also fails when the tallies are wrong.
/// Then the whole of <c>GET /api/coverage?asOf=</c> as the app answers it (issue 13: under 200 ms): the app's
/// <see cref="CoveragePublisher.ComputeAsync"/> over the ten campaigns (every registry read: active counts on the date and
/// on the lapse windows' days, ending counts, the presenting campaign's tallies and batches, the trend blob; the
/// calculation with the lapse ahead and the warning) and the JSON it sends, for the same random dates, its approved
/// figure checked against the direct count.
/// Options: --people N (150000), --years N (5), --dates N (50), --app-only (only the app's path: skips the registry reads
/// timed alone and their slow direct counts), --postgres "Npgsql connection string" (else
/// UCJ_TEST_POSTGRES, else Host=127.0.0.1;Port=$UCJ_CI_PG_PORT;Username=postgres;Database=postgres when UCJ_CI_PG_PORT is set).
/// </summary>
public static class CoverageHistoryBenchmark
{
    private const string Regency = "1503";
    private const int Districts = 10;
    private const int Villages = 158;
    private static readonly string[] Segments = ["petani", "pekebun", "nelayan", "pedagang", "buruh-harian", "ojek", "pu"];
    private const int FirstYear = 2021;

    public static async Task<int> RunAsync(string[] args)
    {
        var people = IntOption(args, "--people", 150_000);
        var years = IntOption(args, "--years", 5);
        var dates = IntOption(args, "--dates", 50);
        var appOnly = args.Contains("--app-only");
        var postgres = Option(args, "--postgres")
            ?? (Environment.GetEnvironmentVariable("UCJ_TEST_POSTGRES") is { Length: > 0 } env ? env : null)
            ?? (Environment.GetEnvironmentVariable("UCJ_CI_PG_PORT") is { Length: > 0 } port
                ? $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres" : null);

        var history = History.Generate(people, years);
        Console.WriteLine($"coverage-history benchmark: .NET {Environment.Version}, {Environment.ProcessorCount} cores; " +
                          $"{people:N0} people, {Villages} villages in {Districts} kecamatan, {Segments.Length} segments, " +
                          $"{history.Campaigns.Count} campaigns over {years} years, {history.Enrolments.Count:N0} enrolments");

        var dir = Directory.CreateTempSubdirectory("ucj-coverage-bench-");
        try
        {
            var path = Path.Combine(dir.FullName, "registry.db");
            await using (var registry = await SqliteEnrollmentRegistry.OpenAsync(path, TimeProvider.System))
            {
                var seed = Stopwatch.StartNew();
                await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
                {
                    await connection.OpenAsync();
                    await SeedSqliteAsync(connection, history);
                    Console.WriteLine($"sqlite: seeded in {seed.Elapsed.TotalSeconds:F1} s, {new FileInfo(path).Length / 1048576.0:F0} MB, " +
                                      $"{await CountAsync(connection, "SELECT COUNT(*) FROM enrolment_changes"):N0} tally rows");
                    if (!appOnly) await MeasureAsync("sqlite", registry, connection, history, dates);
                    await MeasureAppAsync("sqlite", registry, connection, history, dates, dir.FullName);
                }
            }
            SqliteConnection.ClearAllPools();
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        if (postgres is null)
        {
            Console.WriteLine("postgresql: skipped (give --postgres, UCJ_TEST_POSTGRES or UCJ_CI_PG_PORT)");
            return 0;
        }
        var schema = "ucj_coverage_bench_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await ExecuteAsync(admin, $"CREATE SCHEMA {schema}");
        }
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema }.ToString();
            await using var registry = await PostgresEnrollmentRegistry.OpenAsync(connectionString, TimeProvider.System);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var seed = Stopwatch.StartNew();
            await SeedPostgresAsync(connection, history);
            Console.WriteLine($"postgresql: seeded in {seed.Elapsed.TotalSeconds:F1} s, " +
                              $"{await CountAsync(connection, "SELECT COUNT(*) FROM enrolment_changes"):N0} tally rows");
            if (!appOnly) await MeasureAsync("postgresql", registry, connection, history, dates);
            var blobs = Directory.CreateTempSubdirectory("ucj-coverage-bench-blobs-");
            try { await MeasureAppAsync("postgresql", registry, connection, history, dates, blobs.FullName); }
            finally { blobs.Delete(recursive: true); }
        }
        finally
        {
            await using var admin = new NpgsqlConnection(postgres);
            await admin.OpenAsync();
            await ExecuteAsync(admin, $"DROP SCHEMA {schema} CASCADE");
        }
        return 0;
    }

    // ---- the generated regency ----

    private sealed record CampaignInfo(string Id, string Funder, DateOnly From, DateOnly To);

    private readonly record struct Person(string Nik, int Village, int Segment, bool Sawit, DateOnly BirthDate);

    private readonly record struct EnrolmentRow(int Person, int Campaign);

    private sealed record History(IReadOnlyList<Person> People, IReadOnlyList<CampaignInfo> Campaigns, IReadOnlyList<EnrolmentRow> Enrolments)
    {
        public static History Generate(int people, int years)
        {
            var random = new Random(13);
            var persons = Enumerable.Range(0, people).Select(i => new Person(
                Regency + (i + 1).ToString("D12", CultureInfo.InvariantCulture),
                random.Next(Villages), random.Next(Segments.Length), random.NextDouble() < 0.08,
                new DateOnly(1960, 1, 1).AddDays(random.Next(40 * 365)))).ToList();
            var campaigns = new List<CampaignInfo>();
            var enrolments = new List<EnrolmentRow>();
            var enrolled = new bool[people];
            for (var y = 0; y < years; y++)
            {
                var year = FirstYear + y;
                var apbd = campaigns.Count;
                campaigns.Add(new CampaignInfo($"sarolangun-apbd-{year}", "APBD", new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)));
                var sawit = campaigns.Count;
                campaigns.Add(new CampaignInfo($"sarolangun-dbh-sawit-{year}", "DBH Sawit", new DateOnly(year, 7, 1), new DateOnly(year, 12, 31)));
                for (var p = 0; p < people; p++)
                {
                    // The first year enrols 70%; later, 90% of last year's are renewed and 30% of the others join.
                    var chance = y == 0 ? 0.70 : enrolled[p] ? 0.90 : 0.30;
                    enrolled[p] = random.NextDouble() < chance;
                    if (enrolled[p]) enrolments.Add(new EnrolmentRow(p, persons[p].Sawit ? sawit : apbd));
                }
            }
            return new History(persons, campaigns, enrolments);
        }

        public static string VillageCodeOf(int village) =>
            Regency + DistrictOf(village).ToString("D2", CultureInfo.InvariantCulture) + (2001 + village).ToString(CultureInfo.InvariantCulture);

        public static int DistrictOf(int village) => 1 + village % Districts;

        public IReadOnlyList<string> CampaignIds => Campaigns.Select(c => c.Id).ToList();
    }

    // ---- seeding: bulk SQL, then the tallies from the enrolments (as the schema migration backfills them) ----

    private const string EnrolmentInsert =
        "INSERT INTO enrolments (campaign_id, nik, name, birth_date, sex, village_code, district_code, segment_code, batch_id, decision_id, coverage_from, coverage_to, enrolled_at) " +
        "VALUES ($c, $nik, $name, $bd, $sex, $v, $d, $seg, $b, $dec, $from, $to, $at)";

    private const string TalliesFromEnrolments =
        "INSERT INTO enrolment_changes (campaign_id, village_code, segment_code, day, started, ended) " +
        "SELECT campaign_id, village_code, segment_code, day, SUM(started), SUM(ended) FROM (" +
        "SELECT campaign_id, village_code, segment_code, coverage_from AS day, 1 AS started, 0 AS ended FROM enrolments " +
        "UNION ALL SELECT campaign_id, village_code, segment_code, coverage_to, 0, 1 FROM enrolments) changes " +
        "GROUP BY campaign_id, village_code, segment_code, day";

    private static async Task SeedSqliteAsync(SqliteConnection connection, History history)
    {
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = EnrolmentInsert;
        string[] names = ["$c", "$nik", "$name", "$bd", "$sex", "$v", "$d", "$seg", "$b", "$dec", "$from", "$to", "$at"];
        var p = names.Select(n => command.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        command.Prepare();
        foreach (var (person, campaign, row) in Rows(history))
        {
            p[0].Value = campaign.Id; p[1].Value = person.Nik; p[2].Value = row.Name; p[3].Value = person.BirthDate;
            p[4].Value = row.Sex; p[5].Value = row.Village; p[6].Value = row.District; p[7].Value = Segments[person.Segment];
            p[8].Value = row.Batch; p[9].Value = row.Decision; p[10].Value = campaign.From; p[11].Value = campaign.To; p[12].Value = row.At;
            await command.ExecuteNonQueryAsync();
        }
        command.Parameters.Clear();
        command.CommandText = TalliesFromEnrolments;
        await command.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    private static async Task SeedPostgresAsync(NpgsqlConnection connection, History history)
    {
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY enrolments (campaign_id, nik, name, birth_date, sex, village_code, district_code, segment_code, batch_id, decision_id, coverage_from, coverage_to, enrolled_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (person, campaign, row) in Rows(history))
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(campaign.Id, NpgsqlDbType.Text);
                await writer.WriteAsync(person.Nik, NpgsqlDbType.Text);
                await writer.WriteAsync(row.Name, NpgsqlDbType.Text);
                await writer.WriteAsync(person.BirthDate, NpgsqlDbType.Date);
                await writer.WriteAsync(row.Sex, NpgsqlDbType.Text);
                await writer.WriteAsync(row.Village, NpgsqlDbType.Text);
                await writer.WriteAsync(row.District, NpgsqlDbType.Text);
                await writer.WriteAsync(Segments[person.Segment], NpgsqlDbType.Text);
                await writer.WriteAsync(row.Batch, NpgsqlDbType.Text);
                await writer.WriteAsync(row.Decision, NpgsqlDbType.Text);
                await writer.WriteAsync(campaign.From, NpgsqlDbType.Date);
                await writer.WriteAsync(campaign.To, NpgsqlDbType.Date);
                await writer.WriteAsync(row.At, NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }
        await ExecuteAsync(connection, TalliesFromEnrolments);
        await ExecuteAsync(connection, "ANALYZE"); // what autovacuum does shortly after a bulk load
    }

    private readonly record struct RowText(string Name, string Sex, string Village, string District, string Batch, string Decision, DateTimeOffset At);

    private static IEnumerable<(Person, CampaignInfo, RowText)> Rows(History history)
    {
        foreach (var e in history.Enrolments)
        {
            var person = history.People[e.Person];
            var campaign = history.Campaigns[e.Campaign];
            var village = History.VillageCodeOf(person.Village);
            var batch = $"{campaign.Id}/{village}";
            var at = new DateTimeOffset(campaign.From.AddDays(-20).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            yield return (person, campaign, new RowText("PESERTA " + (e.Person + 1).ToString(CultureInfo.InvariantCulture),
                e.Person % 2 == 0 ? "Female" : "Male", village, village[..6], batch, "d-" + batch, at));
        }
    }

    // ---- measuring ----

    private static async Task MeasureAsync(string store, IEnrollmentRegistry registry, DbConnection connection, History history, int dates)
    {
        var campaignIds = history.CampaignIds;
        var funderOf = history.Campaigns.ToDictionary(c => c.Id, c => c.Funder, StringComparer.Ordinal);
        var first = history.Campaigns.Min(c => c.From).AddDays(-30);
        var last = history.Campaigns.Max(c => c.To).AddDays(30);
        var random = new Random(29);
        var days = Enumerable.Range(0, dates).Select(_ => first.AddDays(random.Next(last.DayNumber - first.DayNumber + 1))).ToList();

        // Warm-up: connections opened, statements compiled, pages cached — as on a running host.
        await registry.GetActiveCountsAsync(campaignIds, days[0]);
        await registry.GetEndingCountsAsync(campaignIds, days[0], days[0].AddMonths(6));

        var active = new List<double>();
        var direct = new List<double>();
        foreach (var day in days)
        {
            var watch = Stopwatch.StartNew();
            var counts = await registry.GetActiveCountsAsync(campaignIds, day);
            // The app's share: per kecamatan, funder and segment (what the coverage page shows), and the regency total.
            var page = new Dictionary<(string District, string Funder, string Segment), int>();
            var total = 0;
            foreach (var c in counts)
            {
                var key = (c.VillageCode[..6], funderOf[c.CampaignId], c.SegmentCode);
                page[key] = page.GetValueOrDefault(key) + c.Active;
                total += c.Active;
            }
            active.Add(watch.Elapsed.TotalMilliseconds);

            watch.Restart();
            var expected = await SumOfGroupsAsync(connection,
                "SELECT campaign_id, village_code, segment_code, COUNT(*) FROM enrolments WHERE coverage_from <= @asOf AND coverage_to >= @asOf " +
                "GROUP BY campaign_id, village_code, segment_code", ("@asOf", day));
            direct.Add(watch.Elapsed.TotalMilliseconds);
            if (total != expected)
                throw new InvalidOperationException($"{store}: {total} active on {day:yyyy-MM-dd} from the tallies, {expected} counted from the enrolments.");
        }

        var ending = new List<double>();
        var endingDirect = new List<double>();
        foreach (var day in days)
            foreach (var months in (int[])[1, 3, 6])
            {
                var watch = Stopwatch.StartNew();
                var counts = await registry.GetEndingCountsAsync(campaignIds, day, day.AddMonths(months));
                var total = counts.Sum(c => c.Count);
                ending.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                var expected = await SumOfGroupsAsync(connection,
                    "SELECT campaign_id, village_code, segment_code, coverage_to, COUNT(*) FROM enrolments WHERE coverage_to > @from AND coverage_to <= @to " +
                    "GROUP BY campaign_id, village_code, segment_code, coverage_to", ("@from", day), ("@to", day.AddMonths(months)));
                endingDirect.Add(watch.Elapsed.TotalMilliseconds);
                if (total != expected)
                    throw new InvalidOperationException($"{store}: {total} ending after {day:yyyy-MM-dd} within {months} months from the tallies, {expected} from the enrolments.");
            }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store}: coverage on a date (GetActiveCountsAsync over {campaignIds.Count} campaigns + aggregation per kecamatan, funder, segment), {dates} random dates: " +
            $"median {Median(active):F1} ms, p95 {P95(active):F1} ms, max {active.Max():F1} ms (target < 200 ms: {(P95(active) < 200 ? "met" : "NOT met")}); " +
            $"counting the enrolments instead: median {Median(direct):F1} ms (ratio {Median(direct) / Median(active):F0}×)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store}: lapse ahead (GetEndingCountsAsync, 1, 3 and 6 months after each date), {ending.Count} reads: " +
            $"median {Median(ending):F1} ms, p95 {P95(ending):F1} ms, max {ending.Max():F1} ms; " +
            $"counting the enrolments instead: median {Median(endingDirect):F1} ms (ratio {Median(endingDirect) / Median(ending):F0}×)"));
    }

    /// <summary>
    /// The generated campaigns as the app holds them: the shipped sample with each one's id, funder, period, the seven
    /// segments (the last one PU), one tariff for all five years and the 158 generated villages.
    /// </summary>
    private static CampaignCatalog Catalog(History history)
    {
        var sample = CampaignLoader.LoadFile(UcjFlowServices.SampleCampaignPath);
        var villages = Enumerable.Range(0, Villages).Select(v =>
        {
            var code = History.VillageCodeOf(v);
            var dotted = $"{code[..2]}.{code[2..4]}.{code[4..6]}.{code[6..]}";
            return new CampaignVillage(dotted, "Desa " + (v + 1), "Desa", dotted[..8], "Kecamatan " + History.DistrictOf(v), null);
        }).ToList();
        var segments = Segments.Select((code, i) => new Segment(code, code, [code], IsDefault: i == 0, Kind: code == "pu" ? SegmentKind.Pu : SegmentKind.Bpu)).ToList();
        return CampaignCatalog.Of(history.Campaigns.Select(c => sample with
        {
            Id = c.Id, Name = c.Id, Funder = Funder.Parse(c.Funder)!, CoverageStart = c.From,
            MonthsFunded = (c.To.Year - c.From.Year) * 12 + c.To.Month - c.From.Month + 1, SubmissionDeadline = c.From.AddDays(-10),
            Tariffs = [new TariffPeriod(new DateOnly(2020, 1, 1), null, 10_000, 6_800)], Segments = segments, Villages = villages,
        }).ToArray());
    }

    private static async Task MeasureAppAsync(string store, IEnrollmentRegistry registry, DbConnection connection, History history, int dates, string blobFolder)
    {
        var publisher = new CoveragePublisher(new CampaignStore(Catalog(history)), registry, new FolderBlobStore(blobFolder), TimeProvider.System);
        var first = history.Campaigns.Min(c => c.From).AddDays(-30);
        var last = history.Campaigns.Max(c => c.To).AddDays(30);
        var random = new Random(31);
        var days = Enumerable.Range(0, dates).Select(_ => first.AddDays(random.Next(last.DayNumber - first.DayNumber + 1))).ToList();
        CoverageJson.Serialize(await publisher.ComputeAsync("15.03", days[0])); // warm-up, as on a running host

        var times = new List<double>();
        var oneRead = new List<double>();
        var lapseWindows = 0;
        foreach (var day in days)
        {
            var watch = Stopwatch.StartNew();
            var summary = await publisher.ComputeAsync("15.03", day);
            var json = CoverageJson.Serialize(summary);
            times.Add(watch.Elapsed.TotalMilliseconds);
            // Checked against the tallies on every date, and against counting the enrolments (seconds each) on the first three;
            // the one read timed alone gives the ratio (the machine's load moves both alike).
            watch.Restart();
            long expected = (await registry.GetActiveCountsAsync(history.CampaignIds, day)).Sum(c => (long)c.Active);
            oneRead.Add(watch.Elapsed.TotalMilliseconds);
            if (times.Count <= 3)
                expected = await SumOfGroupsAsync(connection,
                    "SELECT campaign_id, village_code, segment_code, COUNT(*) FROM enrolments WHERE coverage_from <= @asOf AND coverage_to >= @asOf " +
                    "GROUP BY campaign_id, village_code, segment_code", ("@asOf", day));
            if (summary.Approved != expected || json.Length == 0)
                throw new InvalidOperationException($"{store}: the app shows {summary.Approved} approved on {day:yyyy-MM-dd}, {expected} counted from the enrolments.");
            lapseWindows += summary.Lapse.Count;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store}: GET /api/coverage?asOf= through the app (CoveragePublisher.ComputeAsync over {history.Campaigns.Count} campaigns with the lapse ahead + JSON), {dates} random dates: " +
            $"median {Median(times):F1} ms, p95 {P95(times):F1} ms, max {times.Max():F1} ms (target < 200 ms: {(P95(times) < 200 && Median(times) < 200 ? "met" : "NOT met")}); {lapseWindows / dates} lapse windows each; " +
            $"one GetActiveCountsAsync alone: median {Median(oneRead):F1} ms (the whole path = {Median(times) / Median(oneRead):F1}× one read); " +
            $"load average {LoadAverage()}"));
    }

    /// <summary>The 1-minute load average (Linux), "?" elsewhere: the figures above mean little on a busy machine.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double P95(List<double> values) => Percentile(values, 0.95);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    // ---- plumbing ----

    private static async Task<long> CountAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a grouped count (the count last) and adds up its rows, as the page would read them.</summary>
    private static async Task<long> SumOfGroupsAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var sum = 0L;
        while (await reader.ReadAsync()) sum += Convert.ToInt64(reader.GetValue(reader.FieldCount - 1), CultureInfo.InvariantCulture);
        return sum;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
