using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using UcjFlow.Core.Roster;

using UcjFlow.Adapters.Registry;

namespace UcjFlow.Embedded.Registry;

/// <summary>
/// The embedded registry: one SQLite file in WAL mode. Its writes go through one writer that commits the writes asked for
/// meanwhile together (<see cref="SqliteGroupCommit"/>); readers use pooled connections.
/// </summary>
public sealed class SqliteEnrollmentRegistry : SqlEnrollmentRegistry, IAsyncDisposable
{
    // Each entry moves the schema one version up; never edit a shipped entry, append a new one.
    // staged_rows and enrolments carry no foreign keys on purpose: only this class writes them, inside the transaction that
    // holds the batch (and inserts the decision), and a per-row key check roughly doubled a 110k-row commit.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE batches (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            batch_id TEXT NOT NULL UNIQUE,
            campaign_id TEXT NOT NULL,
            village_code TEXT NOT NULL,
            village_name TEXT,
            district_code TEXT NOT NULL,
            file_name TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            upload_blob TEXT NOT NULL,
            report_blob TEXT,
            status TEXT NOT NULL,
            rows_total INTEGER NOT NULL,
            rows_valid INTEGER NOT NULL,
            rows_rejected INTEGER NOT NULL,
            rows_valid_with_warnings INTEGER NOT NULL,
            file_code TEXT,
            superseded_by TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (campaign_id, village_code, content_hash));
        CREATE INDEX batches_by_status ON batches (campaign_id, status, village_code);
        CREATE TABLE staged_rows (
            batch_id TEXT NOT NULL,
            row_number INTEGER NOT NULL,
            nik TEXT NOT NULL,
            kk TEXT,
            name TEXT NOT NULL,
            birth_place TEXT,
            birth_date TEXT NOT NULL,
            sex TEXT NOT NULL,
            address TEXT,
            village_code TEXT NOT NULL,
            phone TEXT,
            segment_code TEXT NOT NULL,
            occupation TEXT,
            source TEXT,
            PRIMARY KEY (batch_id, row_number)) WITHOUT ROWID;
        CREATE INDEX staged_rows_by_nik ON staged_rows (nik, batch_id);
        CREATE TABLE decisions (
            decision_id TEXT PRIMARY KEY,
            batch_id TEXT NOT NULL UNIQUE REFERENCES batches (batch_id),
            campaign_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            reason TEXT,
            enrolled INTEGER NOT NULL,
            skipped INTEGER NOT NULL);
        CREATE INDEX decisions_by_campaign ON decisions (campaign_id, decided_at);
        CREATE TABLE enrolments (
            campaign_id TEXT NOT NULL,
            nik TEXT NOT NULL,
            name TEXT NOT NULL,
            birth_date TEXT NOT NULL,
            sex TEXT NOT NULL,
            village_code TEXT NOT NULL,
            district_code TEXT NOT NULL,
            segment_code TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            decision_id TEXT NOT NULL,
            coverage_from TEXT NOT NULL,
            coverage_to TEXT NOT NULL,
            enrolled_at TEXT NOT NULL,
            PRIMARY KEY (campaign_id, nik)) WITHOUT ROWID;
        CREATE INDEX enrolments_by_batch ON enrolments (batch_id);
        CREATE INDEX enrolments_by_village ON enrolments (campaign_id, village_code, coverage_from, coverage_to);
        """,
        // 2: decide-once. A coordinator's decision is claimed here before the orchestration hears of it (IEnrollmentRegistry.ClaimDecisionAsync).
        """
        CREATE TABLE decision_claims (
            batch_id TEXT PRIMARY KEY REFERENCES batches (batch_id),
            decision_id TEXT NOT NULL,
            approve INTEGER NOT NULL,
            reason TEXT,
            decided_by TEXT NOT NULL,
            claimed_at TEXT NOT NULL) WITHOUT ROWID;
        """,
        // 3 (access links): villages' personal access links, for listing, revocation and last use (never the token).
        """
        CREATE TABLE access_links (
            link_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            village_code TEXT NOT NULL,
            issued_by TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT,
            revoked_by TEXT,
            last_used_at TEXT) WITHOUT ROWID;
        CREATE INDEX access_links_by_village ON access_links (campaign_id, village_code, issued_at);
        """,
        // 4: revocation (until the BPJS export is marked sent) and the audit trail of decisions, revocations and export-sent
        // marks (IEnrollmentRegistry.RevokeAsync, MarkExportSentAsync, ListAuditAsync). Decisions made before get their entry here.
        """
        CREATE TABLE revocations (
            batch_id TEXT PRIMARY KEY REFERENCES batches (batch_id),
            revocation_id TEXT NOT NULL UNIQUE,
            campaign_id TEXT NOT NULL,
            revoked_by TEXT NOT NULL,
            revoked_at TEXT NOT NULL,
            reason TEXT NOT NULL,
            unenrolled INTEGER NOT NULL);
        CREATE INDEX revocations_by_campaign ON revocations (campaign_id, revoked_at);
        CREATE TABLE export_marks (
            batch_id TEXT PRIMARY KEY REFERENCES batches (batch_id),
            marked_by TEXT NOT NULL,
            marked_at TEXT NOT NULL);
        CREATE TABLE audit_entries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            campaign_id TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            acted_at TEXT NOT NULL,
            reason TEXT);
        CREATE INDEX audit_entries_by_campaign ON audit_entries (campaign_id, seq);
        CREATE INDEX audit_entries_by_batch ON audit_entries (batch_id, seq);
        INSERT INTO audit_entries (campaign_id, batch_id, action, actor, acted_at, reason)
            SELECT campaign_id, batch_id, kind, decided_by, decided_at, reason FROM decisions ORDER BY decided_at, decision_id;
        """,
        // 5 (campaigns, issue 13.1): the deployment's campaigns, added, edited and closed at run time (page, API, `ucjflow campaign`).
        """
        CREATE TABLE campaigns (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            campaign_id TEXT NOT NULL UNIQUE,
            regency_code TEXT NOT NULL,
            document TEXT NOT NULL,
            saved_by TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            closed_at TEXT,
            closed_by TEXT,
            version INTEGER NOT NULL);
        """,
        // 6 (periods): enrolments across campaigns (a NIK once per campaign, periods never overlapping: the NIK index serves
        // the overlap look-up) and the running tallies of enrolments starting and ending per campaign, village, segment and
        // day (IEnrollmentRegistry.GetActiveCountsAsync), filled here from the enrolments already made.
        """
        CREATE INDEX enrolments_by_nik ON enrolments (nik, coverage_from, coverage_to);
        CREATE TABLE enrolment_changes (
            campaign_id TEXT NOT NULL,
            village_code TEXT NOT NULL,
            segment_code TEXT NOT NULL,
            day TEXT NOT NULL,
            started INTEGER NOT NULL,
            ended INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, village_code, segment_code, day)) WITHOUT ROWID;
        INSERT INTO enrolment_changes (campaign_id, village_code, segment_code, day, started, ended)
            SELECT campaign_id, village_code, segment_code, day, SUM(started), SUM(ended) FROM (
                SELECT campaign_id, village_code, segment_code, coverage_from AS day, 1 AS started, 0 AS ended FROM enrolments
                UNION ALL SELECT campaign_id, village_code, segment_code, coverage_to, 0, 1 FROM enrolments)
            GROUP BY campaign_id, village_code, segment_code, day;
        """,
        // 7 (issue 11.1): enrolments in a rowid table, so an approval appends its rows where a table keyed by (campaign,
        // NIK) took each of them in a random page of the kecamatan's range (an approval of 700 people rewrote about 500
        // pages); one unique index (NIK, campaign) keeps a NIK once per campaign and serves the overlap look-up. Measured
        // on the intake benchmark's registry (110,600 enrolments): 700 enrolments 24 ms → 11 ms.
        """
        CREATE TABLE enrolments_7 (
            campaign_id TEXT NOT NULL,
            nik TEXT NOT NULL,
            name TEXT NOT NULL,
            birth_date TEXT NOT NULL,
            sex TEXT NOT NULL,
            village_code TEXT NOT NULL,
            district_code TEXT NOT NULL,
            segment_code TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            decision_id TEXT NOT NULL,
            coverage_from TEXT NOT NULL,
            coverage_to TEXT NOT NULL,
            enrolled_at TEXT NOT NULL);
        INSERT INTO enrolments_7 SELECT campaign_id, nik, name, birth_date, sex, village_code, district_code, segment_code,
            batch_id, decision_id, coverage_from, coverage_to, enrolled_at FROM enrolments ORDER BY enrolled_at, batch_id, nik;
        DROP TABLE enrolments;
        ALTER TABLE enrolments_7 RENAME TO enrolments;
        CREATE UNIQUE INDEX enrolments_by_nik ON enrolments (nik, campaign_id);
        CREATE INDEX enrolments_by_batch ON enrolments (batch_id);
        CREATE INDEX enrolments_by_village ON enrolments (campaign_id, village_code, coverage_from, coverage_to);
        """,
        // 8 (issue 11.1): each batch's staged NIKs as one sorted value (StagedNikSet) instead of the staged rows' NIK index.
        // The index took 700 random inserts per roster and held every row ever staged: on the intake benchmark's registry
        // (442,400 staged rows) staging one roster wrote 3.8 MB to the log with it and 0.14 MB without.
        """
        CREATE TABLE staged_nik_sets (
            batch_id TEXT PRIMARY KEY,
            niks BLOB NOT NULL) WITHOUT ROWID;
        INSERT INTO staged_nik_sets
            SELECT batch_id, CAST(group_concat(nik, '' ORDER BY nik) AS BLOB)
            FROM (SELECT DISTINCT batch_id, nik FROM staged_rows WHERE length(nik) = 16)
            GROUP BY batch_id;
        DROP INDEX staged_rows_by_nik;
        """,
    ];

    private readonly string _connectionString;
    private readonly SqliteGroupCommit _writer;

    private SqliteEnrollmentRegistry(string connectionString, string path, TimeProvider time) : base(time)
    {
        _connectionString = connectionString;
        _writer = new SqliteGroupCommit(path, ConnectWriterAsync);
    }

    // Writes run in groups on one connection (SqliteGroupCommit); a work is never run twice in one committed transaction.
    protected override Task<T> RunWriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct) => _writer.RunAsync(work, ct);

    private async Task<SqliteConnection> ConnectWriterAsync(CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        // Its own connection, outside the pool: the large cache stays with the writer, and after an error it is closed for good.
        var connection = await ConnectAsync(ct, new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        await using var cache = connection.CreateCommand();
        // The writer's pages stay cached between its transactions (until another connection writes, e.g. an access link's
        // last use): 64 MB holds the NIK indexes of a regency's enrolments (110,600 people: about 30 MB).
        cache.CommandText = "PRAGMA cache_size = -65536;";
        await cache.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>The registry in the database file at <paramref name="path"/> (created if needed); the schema is brought up to date on first use.</summary>
    public static SqliteEnrollmentRegistry Create(string path, TimeProvider time) =>
        new(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString(), path, time);

    /// <summary>Opens (creating if needed) the registry database at <paramref name="path"/> and brings its schema up to date now.</summary>
    public static async Task<SqliteEnrollmentRegistry> OpenAsync(string path, TimeProvider time, CancellationToken ct = default)
    {
        var registry = Create(path, time);
        await registry.EnsureSchemaAsync(ct);
        return registry;
    }

    protected override async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await ConnectAsync(ct);
        await using (var wal = connection.CreateCommand())
        {
            // WAL lets readers (web UI, summaries) run while an approval writes; the setting is stored in the file.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(ct);
        }
        await using var tx = (SqliteTransaction)await BeginWriteAsync(connection, ct);
        await using var version = connection.CreateCommand();
        version.Transaction = tx;
        version.CommandText = "PRAGMA user_version;";
        var current = Convert.ToInt32(await version.ExecuteScalarAsync(ct));
        for (var i = current; i < Migrations.Length; i++)
        {
            await using var step = connection.CreateCommand();
            step.Transaction = tx;
            step.CommandText = Migrations[i] + $"\nPRAGMA user_version = {i + 1};";
            await step.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        return await ConnectAsync(ct);
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken ct, string? connectionString = null)
    {
        var connection = new SqliteConnection(connectionString ?? _connectionString);
        await connection.OpenAsync(ct);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;";
        await pragmas.ExecuteNonQueryAsync(ct);
        return connection;
    }

    // Deferred = false: BEGIN IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
    protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    protected override string LockRowClause => "";

    protected override Task LockVillageAsync(DbTransaction tx, string campaignId, string villageCode, CancellationToken ct) => Task.CompletedTask;

    protected override async Task<int> InsertStagedRowsAsync(DbTransaction tx, string batchId, IAsyncEnumerable<Enrollee> rows, CancellationToken ct)
    {
        // One statement prepared on the connection's own handle and bound by position: Microsoft.Data.Sqlite looks every
        // parameter up by name on every execution, which was half of staging's time in the intake benchmark (perf, 110k
        // rows). The statement runs inside the caller's transaction (same connection).
        var db = ((SqliteConnection)tx.Connection!).Handle!;
        Check(db, raw.sqlite3_prepare_v2(db,
            "INSERT INTO staged_rows (batch_id, row_number, nik, kk, name, birth_place, birth_date, sex, address, village_code, phone, segment_code, occupation, source) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", out var insert));
        var niks = new List<string>();
        using (insert)
        {
            Check(db, raw.sqlite3_bind_text(insert, 1, batchId));
            await foreach (var r in rows.WithCancellation(ct))
            {
                Check(db, raw.sqlite3_bind_int64(insert, 2, r.Row));
                Text(3, r.Nik);
                Text(4, r.Kk);
                Text(5, r.Name);
                Text(6, r.BirthPlace);
                Text(7, r.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                Text(8, r.Sex.ToString());
                Text(9, r.Address);
                Text(10, r.VillageCode);
                Text(11, r.Phone);
                Text(12, r.SegmentCode);
                Text(13, r.Occupation);
                Text(14, r.Source);
                if (raw.sqlite3_step(insert) != raw.SQLITE_DONE) throw Error(db);
                Check(db, raw.sqlite3_reset(insert));
                niks.Add(r.Nik);
            }
        }
        // One value per batch (StagedNikSet), where an index of the staged rows by NIK took a random insert per row.
        if (niks.Count > 0)
        {
            await using var set = tx.Connection!.CreateCommand();
            set.Transaction = tx;
            set.CommandText = "INSERT OR REPLACE INTO staged_nik_sets (batch_id, niks) VALUES (@b, @n)";
            set.Parameters.Add(new SqliteParameter("@b", batchId));
            set.Parameters.Add(new SqliteParameter("@n", StagedNikSet.Pack(niks)));
            await set.ExecuteNonQueryAsync(ct);
        }
        return niks.Count;

        void Text(int index, string? value) =>
            Check(db, value is null ? raw.sqlite3_bind_null(insert, index) : raw.sqlite3_bind_text(insert, index, value));
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK) throw Error(db);
    }

    private static SqliteException Error(sqlite3 db) =>
        new(raw.sqlite3_errmsg(db).utf8_to_string(), raw.sqlite3_errcode(db), raw.sqlite3_extended_errcode(db));

    // Every blocking batch of the campaign from another village, each one's NIK set merged with the sorted look-up; a NIK
    // found is then checked against the enrolments that batch made, as the staged rows' index query did.
    protected override async IAsyncEnumerable<StagedElsewhere> FindStagedElsewhereAsync(DbConnection connection,
        string campaignId, string villageCode, IReadOnlyCollection<string> niks, DateOnly coverageFrom, DateOnly coverageTo,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var wanted = StagedNikSet.Pack(niks.Where(StagedNikSet.Fits));
        var found = new List<(StagedElsewhere Staged, string BatchId)>();
        await using (var command = Command(connection, null,
            "SELECT b.batch_id, b.village_code, b.village_name, b.created_at, n.niks FROM batches b " +
            "JOIN staged_nik_sets n ON n.batch_id = b.batch_id " +
            $"WHERE b.campaign_id = @c AND b.village_code <> @v AND b.status IN {BlockingStatuses} ORDER BY b.seq",
            ("@c", campaignId), ("@v", villageCode)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var batchId = reader.GetString(0);
                foreach (var nik in StagedNikSet.Common(wanted, (byte[])reader.GetValue(4)))
                    found.Add((new StagedElsewhere(nik, reader.GetString(1), NullableString(reader, 2),
                        reader.GetFieldValue<DateTimeOffset>(3)), batchId));
            }
        if (found.Count == 0) yield break;

        var enrolled = new HashSet<(string Nik, string BatchId)>();
        var (enrolledIn, enrolledValue) = InSet("e.nik", "@niks", found.Select(f => f.Staged.Nik).Distinct().ToList());
        await using (var command = Command(connection, null,
            $"SELECT e.nik, e.batch_id FROM enrolments e WHERE e.campaign_id = @c AND {enrolledIn} AND {Overlaps("e")}",
            ("@c", campaignId), ("@from", coverageFrom), ("@to", coverageTo), ("@niks", enrolledValue)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                enrolled.Add((reader.GetString(0), reader.GetString(1)));
        foreach (var (staged, batchId) in found)
            if (!enrolled.Contains((staged.Nik, batchId)))
                yield return staged;
    }

    // One JSON array parameter instead of chunked IN lists: no limit on the number of NIKs per lookup.
    protected override (string Condition, object Value) InSet(string column, string parameterName, IReadOnlyCollection<string> values) =>
        ($"{column} IN (SELECT value FROM json_each({parameterName}))", JsonSerializer.Serialize(values, RegistryJson.Default.IReadOnlyCollectionString));

    // BEGIN IMMEDIATE already makes every writer wait for the one before.
    protected override Task LockEnrolmentsAsync(DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        // Pooled connections keep the file open; release them so the data folder can be moved or deleted.
        await using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
