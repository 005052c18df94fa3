using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using UcjFlow.Core.Roster;

namespace UcjFlow.Adapters.Registry;

/// <summary>
/// The scale-out registry on PostgreSQL. Tables go into the first schema of the connection's search path.
/// Deciders of one batch queue on its row lock; validators of one village on an advisory lock; enrolment commits
/// (approvals, revocations) take turns on one advisory lock, since a NIK's periods may not overlap across campaigns.
/// </summary>
public sealed class PostgresEnrollmentRegistry : SqlEnrollmentRegistry, IAsyncDisposable
{
    // Each entry moves the schema one version up; never edit a shipped entry, append a new one.
    // staged_rows and enrolments carry no foreign keys on purpose: only this class writes them, inside the transaction that
    // holds the batch (and inserts the decision), and a per-row key check roughly doubled a 110k-row commit.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE batches (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            batch_id text NOT NULL UNIQUE,
            campaign_id text NOT NULL,
            village_code text NOT NULL,
            village_name text,
            district_code text NOT NULL,
            file_name text NOT NULL,
            content_hash text NOT NULL,
            upload_blob text NOT NULL,
            report_blob text,
            status text NOT NULL,
            rows_total integer NOT NULL,
            rows_valid integer NOT NULL,
            rows_rejected integer NOT NULL,
            rows_valid_with_warnings integer NOT NULL,
            file_code text,
            superseded_by text,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            UNIQUE (campaign_id, village_code, content_hash));
        CREATE INDEX batches_by_status ON batches (campaign_id, status, village_code);
        CREATE TABLE staged_rows (
            batch_id text NOT NULL,
            row_number integer NOT NULL,
            nik text NOT NULL,
            kk text,
            name text NOT NULL,
            birth_place text,
            birth_date date NOT NULL,
            sex text NOT NULL,
            address text,
            village_code text NOT NULL,
            phone text,
            segment_code text NOT NULL,
            occupation text,
            source text,
            PRIMARY KEY (batch_id, row_number));
        CREATE INDEX staged_rows_by_nik ON staged_rows (nik, batch_id);
        CREATE TABLE decisions (
            decision_id text PRIMARY KEY,
            batch_id text NOT NULL UNIQUE REFERENCES batches (batch_id),
            campaign_id text NOT NULL,
            kind text NOT NULL,
            decided_by text NOT NULL,
            decided_at timestamptz NOT NULL,
            reason text,
            enrolled integer NOT NULL,
            skipped integer NOT NULL);
        CREATE INDEX decisions_by_campaign ON decisions (campaign_id, decided_at);
        CREATE TABLE enrolments (
            campaign_id text NOT NULL,
            nik text NOT NULL,
            name text NOT NULL,
            birth_date date NOT NULL,
            sex text NOT NULL,
            village_code text NOT NULL,
            district_code text NOT NULL,
            segment_code text NOT NULL,
            batch_id text NOT NULL,
            decision_id text NOT NULL,
            coverage_from date NOT NULL,
            coverage_to date NOT NULL,
            enrolled_at timestamptz NOT NULL,
            PRIMARY KEY (campaign_id, nik));
        CREATE INDEX enrolments_by_batch ON enrolments (batch_id);
        CREATE INDEX enrolments_by_village ON enrolments (campaign_id, village_code, coverage_from, coverage_to);
        """,
        // 2: decide-once. A coordinator's decision is claimed here before the orchestration hears of it (IEnrollmentRegistry.ClaimDecisionAsync).
        """
        CREATE TABLE decision_claims (
            batch_id text PRIMARY KEY REFERENCES batches (batch_id),
            decision_id text NOT NULL,
            approve boolean NOT NULL,
            reason text,
            decided_by text NOT NULL,
            claimed_at timestamptz NOT NULL);
        """,
        // 3 (access links): villages' personal access links, for listing, revocation and last use (never the token).
        """
        CREATE TABLE access_links (
            link_id text PRIMARY KEY,
            campaign_id text NOT NULL,
            village_code text NOT NULL,
            issued_by text NOT NULL,
            issued_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            revoked_at timestamptz,
            revoked_by text,
            last_used_at timestamptz);
        CREATE INDEX access_links_by_village ON access_links (campaign_id, village_code, issued_at);
        """,
        // 4: revocation (until the BPJS export is marked sent) and the audit trail of decisions, revocations and export-sent
        // marks (IEnrollmentRegistry.RevokeAsync, MarkExportSentAsync, ListAuditAsync). Decisions made before get their entry here.
        """
        CREATE TABLE revocations (
            batch_id text PRIMARY KEY REFERENCES batches (batch_id),
            revocation_id text NOT NULL UNIQUE,
            campaign_id text NOT NULL,
            revoked_by text NOT NULL,
            revoked_at timestamptz NOT NULL,
            reason text NOT NULL,
            unenrolled integer NOT NULL);
        CREATE INDEX revocations_by_campaign ON revocations (campaign_id, revoked_at);
        CREATE TABLE export_marks (
            batch_id text PRIMARY KEY REFERENCES batches (batch_id),
            marked_by text NOT NULL,
            marked_at timestamptz NOT NULL);
        CREATE TABLE audit_entries (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            campaign_id text NOT NULL,
            batch_id text NOT NULL,
            action text NOT NULL,
            actor text NOT NULL,
            acted_at timestamptz NOT NULL,
            reason text);
        CREATE INDEX audit_entries_by_campaign ON audit_entries (campaign_id, seq);
        CREATE INDEX audit_entries_by_batch ON audit_entries (batch_id, seq);
        INSERT INTO audit_entries (campaign_id, batch_id, action, actor, acted_at, reason)
            SELECT campaign_id, batch_id, kind, decided_by, decided_at, reason FROM decisions ORDER BY decided_at, decision_id;
        """,
        // 5 (campaigns, issue 13.1): the deployment's campaigns, added, edited and closed at run time (page, API, `ucjflow campaign`).
        """
        CREATE TABLE campaigns (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            campaign_id text NOT NULL UNIQUE,
            regency_code text NOT NULL,
            document text NOT NULL,
            saved_by text NOT NULL,
            saved_at timestamptz NOT NULL,
            closed_at timestamptz,
            closed_by text,
            version bigint NOT NULL);
        """,
        // 6 (periods): enrolments across campaigns (a NIK once per campaign, periods never overlapping: the NIK index serves
        // the overlap look-up) and the running tallies of enrolments starting and ending per campaign, village, segment and
        // day (IEnrollmentRegistry.GetActiveCountsAsync), filled here from the enrolments already made.
        """
        CREATE INDEX enrolments_by_nik ON enrolments (nik, coverage_from, coverage_to);
        CREATE TABLE enrolment_changes (
            campaign_id text NOT NULL,
            village_code text NOT NULL,
            segment_code text NOT NULL,
            day date NOT NULL,
            started integer NOT NULL,
            ended integer NOT NULL,
            PRIMARY KEY (campaign_id, village_code, segment_code, day));
        INSERT INTO enrolment_changes (campaign_id, village_code, segment_code, day, started, ended)
            SELECT campaign_id, village_code, segment_code, day, SUM(started), SUM(ended) FROM (
                SELECT campaign_id, village_code, segment_code, coverage_from AS day, 1 AS started, 0 AS ended FROM enrolments
                UNION ALL SELECT campaign_id, village_code, segment_code, coverage_to, 0, 1 FROM enrolments) changes
            GROUP BY campaign_id, village_code, segment_code, day;
        """,
    ];

    private readonly NpgsqlDataSource _dataSource;

    private PostgresEnrollmentRegistry(NpgsqlDataSource dataSource, TimeProvider time) : base(time) => _dataSource = dataSource;

    /// <summary>The registry on <paramref name="connectionString"/>; connects, and migrates the schema, on first use.</summary>
    public static PostgresEnrollmentRegistry Create(string connectionString, TimeProvider time) =>
        new(NpgsqlDataSource.Create(connectionString), time);

    /// <summary>Connects and brings the schema up to date now (several hosts may start at once: an advisory lock orders them).</summary>
    public static async Task<PostgresEnrollmentRegistry> OpenAsync(string connectionString, TimeProvider time, CancellationToken ct = default)
    {
        var registry = Create(connectionString, time);
        try
        {
            await registry.EnsureSchemaAsync(ct);
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    protected override async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Run("SELECT pg_advisory_xact_lock(hashtext('ucjflow.registry.migrate'))");
        await Run("CREATE TABLE IF NOT EXISTS registry_schema (version integer NOT NULL)");
        await using var version = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM registry_schema", connection, tx);
        var current = Convert.ToInt32(await version.ExecuteScalarAsync(ct));
        for (var i = current; i < Migrations.Length; i++)
        {
            await Run(Migrations[i]);
            await Run($"INSERT INTO registry_schema (version) VALUES ({i + 1})");
        }
        await tx.CommitAsync(ct);

        async Task Run(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        return await _dataSource.OpenConnectionAsync(ct);
    }

    protected override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(ct);

    protected override string LockRowClause => " FOR UPDATE";

    protected override async Task LockVillageAsync(DbTransaction tx, string campaignId, string villageCode, CancellationToken ct) =>
        await ExecuteAsync(tx, "SELECT pg_advisory_xact_lock(hashtext(@key))", ct, ("@key", "ucjflow.village:" + campaignId + "/" + villageCode));

    protected override async Task<int> InsertStagedRowsAsync(DbTransaction tx, string batchId, IAsyncEnumerable<Enrollee> rows, CancellationToken ct)
    {
        // Binary COPY: the fastest bulk path PostgreSQL has, one round trip stream for the whole batch.
        var connection = (NpgsqlConnection)tx.Connection!;
        var count = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY staged_rows (batch_id, row_number, nik, kk, name, birth_place, birth_date, sex, address, village_code, phone, segment_code, occupation, source) FROM STDIN (FORMAT BINARY)", ct))
        {
            await foreach (var r in rows.WithCancellation(ct))
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(batchId, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(r.Row, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(r.Nik, NpgsqlDbType.Text, ct);
                await WriteNullable(r.Kk);
                await writer.WriteAsync(r.Name, NpgsqlDbType.Text, ct);
                await WriteNullable(r.BirthPlace);
                await writer.WriteAsync(r.BirthDate, NpgsqlDbType.Date, ct);
                await writer.WriteAsync(r.Sex.ToString(), NpgsqlDbType.Text, ct);
                await WriteNullable(r.Address);
                await writer.WriteAsync(r.VillageCode, NpgsqlDbType.Text, ct);
                await WriteNullable(r.Phone);
                await writer.WriteAsync(r.SegmentCode, NpgsqlDbType.Text, ct);
                await WriteNullable(r.Occupation);
                await WriteNullable(r.Source);
                count++;
            }
            await writer.CompleteAsync(ct);

            async Task WriteNullable(string? value)
            {
                if (value is null) await writer.WriteNullAsync(ct);
                else await writer.WriteAsync(value, NpgsqlDbType.Text, ct);
            }
        }
        return count;
    }

    protected override (string Condition, object Value) InSet(string column, string parameterName, IReadOnlyCollection<string> values) =>
        ($"{column} = ANY({parameterName})", values.ToArray());

    // One lock for all enrolment writers: the overlap rule looks across campaigns, which no unique index can hold without
    // the btree_gist extension. Approvals and revocations are a coordinator's acts, rare enough to take turns.
    protected override async Task LockEnrolmentsAsync(DbTransaction tx, CancellationToken ct) =>
        await ExecuteAsync(tx, "SELECT pg_advisory_xact_lock(hashtext('ucjflow.enrolments'))", ct);

    // 40P01 deadlock, 40001 serialization failure: PostgreSQL rolled the whole transaction back, so running it again is safe.
    // 23505 unique violation: two first registrations of one batch id raced; the retry finds the winner's row.
    protected override bool IsTransient(Exception e) => e is PostgresException { SqlState: "40P01" or "40001" or "23505" };

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
