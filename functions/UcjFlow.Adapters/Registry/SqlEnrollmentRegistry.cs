using System.Data.Common;
using System.Runtime.CompilerServices;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Adapters.Registry;

/// <summary>
/// The registry logic once, in SQL both SQLite and PostgreSQL run; the two subclasses supply connections, the schema,
/// row locks, the bulk insert and the NIK-set condition. Keeping one code path is what makes them behave identically.
/// </summary>
public abstract class SqlEnrollmentRegistry : IEnrollmentRegistry
{
    private const string BatchColumns =
        "batch_id, campaign_id, village_code, village_name, district_code, file_name, content_hash, upload_blob, report_blob, " +
        "status, rows_total, rows_valid, rows_rejected, rows_valid_with_warnings, file_code, superseded_by, created_at, updated_at";

    private const string StagedColumns =
        "row_number, nik, kk, name, birth_place, birth_date, sex, address, village_code, phone, segment_code, occupation, source";

    private const string DecisionColumns =
        "decision_id, batch_id, campaign_id, kind, decided_by, decided_at, reason, enrolled, skipped";

    /// <summary>
    /// Batches a coordinator may still approve, or did approve: their staged NIKs block other villages' rosters of the
    /// campaign (DUPLICATE_IN_CAMPAIGN).
    /// </summary>
    protected const string BlockingStatuses = "('AwaitingApproval', 'Approved')";
    private const string CountedStatuses = "('AwaitingApproval', 'Approved', 'Rejected')";

    protected SqlEnrollmentRegistry(TimeProvider time) => Time = time;

    protected TimeProvider Time { get; }

    private Task? _schema;
    private readonly Lock _schemaGate = new();

    /// <summary>
    /// Brings the schema up to date, once per instance, on first use: hosts compose the registry without blocking on the
    /// database, and the first query waits for the migration. A failed attempt is tried again by the next call.
    /// </summary>
    protected async Task EnsureSchemaAsync(CancellationToken ct)
    {
        Task schema;
        lock (_schemaGate)
            schema = _schema is { IsFaulted: false, IsCanceled: false } started ? started : (_schema = MigrateAsync(CancellationToken.None));
        await schema.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Creates or upgrades the tables; safe when several hosts start at once.</summary>
    protected abstract Task MigrateAsync(CancellationToken ct);

    // ---- dialect hooks ----

    /// <summary>An open connection to a database whose schema is up to date (call <see cref="EnsureSchemaAsync"/> first).</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>A write transaction; SQLite takes the database write lock here (BEGIN IMMEDIATE).</summary>
    protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Appended to a SELECT of one batch inside a write transaction to lock its row (PostgreSQL "FOR UPDATE").</summary>
    protected abstract string LockRowClause { get; }

    /// <summary>Serialises writers that decide on the same village's batches (supersede); no-op where writes are already serial.</summary>
    protected abstract Task LockVillageAsync(DbTransaction tx, string campaignId, string villageCode, CancellationToken ct);

    /// <summary>Bulk-inserts staged rows of a batch inside tx; returns how many.</summary>
    protected abstract Task<int> InsertStagedRowsAsync(DbTransaction tx, string batchId, IAsyncEnumerable<Enrollee> rows, CancellationToken ct);

    /// <summary>A condition "column is in the set" (NIKs, campaign ids) and the one parameter value that carries the set.</summary>
    protected abstract (string Condition, object Value) InSet(string column, string parameterName, IReadOnlyCollection<string> values);

    /// <summary>
    /// Serialises the writers of enrolments (approvals, revocations) inside tx, taken after the batch row lock: the overlap
    /// rule spans campaigns, so two approvals of different campaigns holding one NIK would otherwise both see it free.
    /// No-op where writes are already serial.
    /// </summary>
    protected abstract Task LockEnrolmentsAsync(DbTransaction tx, CancellationToken ct);

    /// <summary>True for errors after which the whole transaction can simply run again (deadlock, serialization failure).</summary>
    protected virtual bool IsTransient(Exception e) => false;

    // ---- batches ----

    public async Task<BatchRegistration> RegisterBatchAsync(NewBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return await WriteAsync(async tx =>
        {
            await LockVillageAsync(tx, batch.CampaignId, batch.VillageCode, ct);
            var existing = await QueryBatchAsync(tx, "batch_id = @id", ct, ("@id", batch.BatchId))
                ?? await QueryBatchAsync(tx, "campaign_id = @c AND village_code = @v AND content_hash = @h", ct,
                    ("@c", batch.CampaignId), ("@v", batch.VillageCode), ("@h", batch.ContentHash));
            if (existing is not null) return new BatchRegistration(existing, false);

            var now = Now();
            await ExecuteAsync(tx,
                $"INSERT INTO batches ({BatchColumns}) VALUES (@id, @c, @v, @vn, @d, @f, @h, @u, NULL, 'Validating', 0, 0, 0, 0, NULL, NULL, @now, @now)",
                ct, ("@id", batch.BatchId), ("@c", batch.CampaignId), ("@v", batch.VillageCode), ("@vn", batch.VillageName),
                ("@d", batch.DistrictCode), ("@f", batch.FileName), ("@h", batch.ContentHash), ("@u", batch.UploadBlob), ("@now", now));
            return new BatchRegistration(
                new Batch(batch.BatchId, batch.CampaignId, batch.VillageCode, batch.VillageName, batch.DistrictCode, batch.FileName,
                    batch.ContentHash, batch.UploadBlob, null, BatchStatus.Validating, BatchCounts.Zero, null, null, now, now),
                true);
        }, ct);
    }

    public async Task<Batch?> GetBatchAsync(string batchId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await QueryBatchAsync(connection, null, "batch_id = @id", ct, ("@id", batchId));
    }

    public async Task<IReadOnlyList<Batch>> ListBatchesAsync(string campaignId, BatchStatus? status = null, string? villageCode = null, CancellationToken ct = default)
    {
        var where = "campaign_id = @c";
        if (status is not null) where += " AND status = @s";
        if (villageCode is not null) where += " AND village_code = @v";
        await using var connection = await OpenAsync(ct);
        return await QueryBatchesAsync(connection, null, where + " ORDER BY seq", ct,
            ("@c", campaignId), ("@s", status?.ToString()), ("@v", villageCode));
    }

    public async Task<Batch?> FindBatchByContentHashAsync(string campaignId, string villageCode, string contentHash, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await QueryBatchAsync(connection, null, "campaign_id = @c AND village_code = @v AND content_hash = @h", ct,
            ("@c", campaignId), ("@v", villageCode), ("@h", contentHash));
    }

    public async Task<IReadOnlyList<Batch>> FindWaitingBatchesAsync(string campaignId, string villageCode, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await QueryBatchesAsync(connection, null,
            "campaign_id = @c AND village_code = @v AND status = 'AwaitingApproval' ORDER BY seq", ct,
            ("@c", campaignId), ("@v", villageCode));
    }

    public async Task<ValidationCompletion> CompleteValidationAsync(string batchId, ValidationOutcome outcome, IAsyncEnumerable<Enrollee> validRows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status is not (BatchStatus.AwaitingApproval or BatchStatus.Unreadable or BatchStatus.Rejected))
            throw new ArgumentException($"Validation cannot end in status {outcome.Status}.", nameof(outcome));

        return await WriteAsync(async tx =>
        {
            var batch = await QueryBatchAsync(tx, "batch_id = @id" + LockRowClause, ct, ("@id", batchId))
                ?? throw new InvalidOperationException($"Unknown batch {batchId}.");
            await LockVillageAsync(tx, batch.CampaignId, batch.VillageCode, ct);
            if (batch.Status != BatchStatus.Validating)
                return new ValidationCompletion(batch, await SupersededByAsync(tx, batchId, ct)); // a retried activity

            await ExecuteAsync(tx, "DELETE FROM staged_rows WHERE batch_id = @id", ct, ("@id", batchId));
            await InsertStagedRowsAsync(tx, batchId, validRows, ct);

            var status = outcome.Status;
            string? supersededBy = null;
            IReadOnlyList<string> superseded = [];
            if (status == BatchStatus.AwaitingApproval)
            {
                // A newer upload of the village that already reached AwaitingApproval (waiting, or decided since) wins:
                // this one arrives stale. The same outcome as if the two had finished validation in upload order.
                supersededBy = await ScalarAsync<string>(tx,
                    "SELECT n.batch_id FROM batches n WHERE n.campaign_id = @c AND n.village_code = @v AND n.seq > (SELECT seq FROM batches WHERE batch_id = @id) " +
                    "AND (n.status IN ('AwaitingApproval', 'Approved') OR EXISTS (SELECT 1 FROM decisions d WHERE d.batch_id = n.batch_id)) " +
                    "ORDER BY n.seq DESC LIMIT 1",
                    ct, ("@c", batch.CampaignId), ("@v", batch.VillageCode), ("@id", batchId));
                if (supersededBy is not null) status = BatchStatus.Superseded;
                else superseded = await QueryStringsAsync(tx,
                    "UPDATE batches SET status = 'Superseded', superseded_by = @id, updated_at = @now " +
                    "WHERE campaign_id = @c AND village_code = @v AND status = 'AwaitingApproval' AND seq < (SELECT seq FROM batches WHERE batch_id = @id) " +
                    "RETURNING batch_id",
                    ct, ("@id", batchId), ("@now", Now()), ("@c", batch.CampaignId), ("@v", batch.VillageCode));
            }

            var now = Now();
            var counts = outcome.Counts;
            await ExecuteAsync(tx,
                "UPDATE batches SET status = @s, rows_total = @rt, rows_valid = @rv, rows_rejected = @rr, rows_valid_with_warnings = @rw, " +
                "report_blob = @rb, file_code = @fc, superseded_by = @sb, updated_at = @now WHERE batch_id = @id",
                ct, ("@s", status.ToString()), ("@rt", counts.Rows), ("@rv", counts.Valid), ("@rr", counts.Rejected),
                ("@rw", counts.ValidWithWarnings), ("@rb", outcome.ReportBlob), ("@fc", outcome.FileCode), ("@sb", supersededBy),
                ("@now", now), ("@id", batchId));
            var updated = batch with
            {
                Status = status, Counts = counts, ReportBlob = outcome.ReportBlob, FileCode = outcome.FileCode,
                SupersededBy = supersededBy, UpdatedAt = now,
            };
            return new ValidationCompletion(updated, superseded.Order(StringComparer.Ordinal).ToList());
        }, ct);
    }

    public async Task<bool> SupersedeAsync(string batchId, string supersededBy, CancellationToken ct = default) =>
        await WriteAsync(async tx => await ExecuteAsync(tx,
            "UPDATE batches SET status = 'Superseded', superseded_by = @by, updated_at = @now " +
            "WHERE batch_id = @id AND status IN ('Validating', 'AwaitingApproval')",
            ct, ("@by", supersededBy), ("@now", Now()), ("@id", batchId)) == 1, ct);

    // ---- staged rows ----

    public IAsyncEnumerable<Enrollee> ReadStagedRowsAsync(string batchId, CancellationToken ct = default) =>
        ReadEnrolleesAsync($"SELECT {StagedColumns} FROM staged_rows WHERE batch_id = @id ORDER BY row_number", batchId, ct);

    public IAsyncEnumerable<Enrollee> ReadEnrolledRowsAsync(string batchId, CancellationToken ct = default) =>
        ReadEnrolleesAsync(
            $"SELECT {string.Join(", ", StagedColumns.Split(", ").Select(c => "s." + c))} FROM staged_rows s " +
            "JOIN batches b ON b.batch_id = s.batch_id " +
            "JOIN enrolments e ON e.campaign_id = b.campaign_id AND e.nik = s.nik AND e.batch_id = s.batch_id " +
            "WHERE s.batch_id = @id ORDER BY s.row_number", batchId, ct);

    private async IAsyncEnumerable<Enrollee> ReadEnrolleesAsync(string sql, string batchId, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null, sql, ("@id", batchId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new Enrollee(
                Row: Convert.ToInt32(reader.GetValue(0)),
                Nik: reader.GetString(1),
                Kk: NullableString(reader, 2),
                Name: reader.GetString(3),
                BirthPlace: NullableString(reader, 4),
                BirthDate: reader.GetFieldValue<DateOnly>(5),
                Sex: Enum.Parse<Sex>(reader.GetString(6)),
                Address: NullableString(reader, 7),
                VillageCode: reader.GetString(8),
                Phone: NullableString(reader, 9),
                SegmentCode: reader.GetString(10),
                Occupation: NullableString(reader, 11),
                Source: NullableString(reader, 12));
    }

    // ---- conflicts ----

    public async ValueTask<IReadOnlyList<NikConflict>> FindConflictsAsync(
        string campaignId, string villageCode, IReadOnlyCollection<string> niks, DateOnly coverageFrom, DateOnly coverageTo, CancellationToken ct = default)
    {
        if (coverageTo < coverageFrom) throw new ArgumentException("The coverage period ends before it starts.", nameof(coverageTo));
        var conflicts = new List<NikConflict>();
        if (niks.Count == 0) return conflicts;
        await using var connection = await OpenAsync(ct);

        // Any campaign: one person is covered once at a time (issue 13). The earliest overlapping enrolment is named.
        var (enrolledIn, enrolledValue) = InSet("e.nik", "@niks", niks);
        var enrolled = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = Command(connection, null,
            "SELECT e.nik, e.village_code, b.village_name, e.coverage_from, e.campaign_id FROM enrolments e LEFT JOIN batches b ON b.batch_id = e.batch_id " +
            $"WHERE {enrolledIn} AND {Overlaps("e")} ORDER BY e.nik, e.coverage_from, e.campaign_id",
            ("@from", coverageFrom), ("@to", coverageTo), ("@niks", enrolledValue)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                if (enrolled.Add(reader.GetString(0)))
                    conflicts.Add(new NikConflict(reader.GetString(0), NikConflictKind.AlreadyEnrolled, reader.GetString(1), NullableString(reader, 2),
                        reader.GetFieldValue<DateOnly>(3), reader.GetString(4)));

        // Within the campaign only. The approved batch that enrolled a NIK (overlapping) is that enrolment, not a second conflict.
        var named = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var staged in FindStagedElsewhereAsync(connection, campaignId, villageCode, niks, coverageFrom, coverageTo, ct))
            if (named.Add(staged.Nik))
                conflicts.Add(new NikConflict(staged.Nik, NikConflictKind.InOtherVillageBatch, staged.VillageCode, staged.VillageName,
                    IndonesianFormat.JakartaDate(staged.UploadedAt), campaignId));
        return conflicts;
    }

    /// <summary>A NIK staged in another village's batch: the batch's village, its name and when the batch was uploaded.</summary>
    protected sealed record StagedElsewhere(string Nik, string VillageCode, string? VillageName, DateTimeOffset UploadedAt);

    /// <summary>
    /// The NIKs of <paramref name="niks"/> staged in batches of the campaign from other villages that block them (awaiting
    /// approval, or approved without enrolling that NIK from the batch for an overlapping period), in upload order
    /// (batches.seq); a NIK may come more than once. This one looks them up through the staged rows' NIK index.
    /// </summary>
    protected virtual async IAsyncEnumerable<StagedElsewhere> FindStagedElsewhereAsync(DbConnection connection,
        string campaignId, string villageCode, IReadOnlyCollection<string> niks, DateOnly coverageFrom, DateOnly coverageTo,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var (stagedIn, stagedValue) = InSet("s.nik", "@niks", niks);
        await using var command = Command(connection, null,
            "SELECT s.nik, b.village_code, b.village_name, b.created_at FROM staged_rows s JOIN batches b ON b.batch_id = s.batch_id " +
            $"WHERE b.campaign_id = @c AND b.village_code <> @v AND b.status IN {BlockingStatuses} AND {stagedIn} " +
            "AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.campaign_id = b.campaign_id AND e.nik = s.nik AND e.batch_id = s.batch_id " +
            $"AND {Overlaps("e")}) ORDER BY b.seq",
            ("@c", campaignId), ("@v", villageCode), ("@from", coverageFrom), ("@to", coverageTo), ("@niks", stagedValue));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new StagedElsewhere(reader.GetString(0), reader.GetString(1), NullableString(reader, 2), reader.GetFieldValue<DateTimeOffset>(3));
    }

    /// <summary>The one overlap rule: the enrolment (alias) covers at least one day of [@from, @to], both inclusive.</summary>
    protected static string Overlaps(string enrolment) => $"{enrolment}.coverage_from <= @to AND {enrolment}.coverage_to >= @from";

    // ---- decisions ----

    public Task<DecisionResult> ApproveAsync(Approval approval, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        if (approval.CoverageTo < approval.CoverageFrom)
            throw new ArgumentException("Coverage ends before it starts.", nameof(approval));
        return DecideAsync(approval.DecisionId, approval.BatchId, DecisionKind.Approve, approval.DecidedBy, approval.Reason,
            (approval.CoverageFrom, approval.CoverageTo), ct);
    }

    public Task<DecisionResult> RejectAsync(Rejection rejection, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        if (string.IsNullOrWhiteSpace(rejection.Reason))
            throw new ArgumentException("A rejection needs a reason.", nameof(rejection));
        return DecideAsync(rejection.DecisionId, rejection.BatchId, DecisionKind.Reject, rejection.DecidedBy, rejection.Reason, null, ct);
    }

    private async Task<DecisionResult> DecideAsync(string decisionId, string batchId, DecisionKind kind, string decidedBy, string? reason,
        (DateOnly From, DateOnly To)? coverage, CancellationToken ct) =>
        await WriteAsync(async tx =>
        {
            // The batch row lock first: concurrent deciders of one batch queue here and then see each other's decision.
            var batch = await QueryBatchAsync(tx, "batch_id = @id" + LockRowClause, ct, ("@id", batchId));
            var same = await QueryDecisionAsync(tx, "decision_id = @d", ct, ("@d", decisionId));
            if (same is not null) return new DecisionResult(DecisionOutcome.Replayed, same, batch?.Status);
            if (batch is null) return new DecisionResult(DecisionOutcome.BatchNotFound, null, null);
            var earlier = await QueryDecisionAsync(tx, "batch_id = @b", ct, ("@b", batchId));
            if (earlier is not null) return new DecisionResult(DecisionOutcome.AlreadyDecided, earlier, batch.Status);
            if (batch.Status != BatchStatus.AwaitingApproval)
                return new DecisionResult(DecisionOutcome.NotAwaitingApproval, null, batch.Status);

            var now = Now();
            // The decision row first: enrolments reference it.
            await ExecuteAsync(tx, $"INSERT INTO decisions ({DecisionColumns}) VALUES (@d, @b, @c, @k, @by, @at, @r, 0, 0)",
                ct, ("@d", decisionId), ("@b", batchId), ("@c", batch.CampaignId), ("@k", kind.ToString()), ("@by", decidedBy),
                ("@at", now), ("@r", reason));
            int enrolled = 0, skipped = 0;
            if (coverage is { } c)
            {
                await LockEnrolmentsAsync(tx, ct);
                // Set-based: the rows never leave the database. Sorted by NIK so index entries are taken in one order; a
                // NIK with an overlapping enrolment in any campaign (or already in this one) is left alone and counted as skipped.
                enrolled = await ExecuteAsync(tx,
                    "INSERT INTO enrolments (campaign_id, nik, name, birth_date, sex, village_code, district_code, segment_code, batch_id, decision_id, coverage_from, coverage_to, enrolled_at) " +
                    "SELECT @c, s.nik, s.name, s.birth_date, s.sex, @v, @dc, s.segment_code, @b, @d, @from, @to, @now " +
                    $"FROM staged_rows s WHERE s.batch_id = @b AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.nik = s.nik AND {Overlaps("e")}) " +
                    "ORDER BY s.nik ON CONFLICT (campaign_id, nik) DO NOTHING",
                    ct, ("@c", batch.CampaignId), ("@v", batch.VillageCode), ("@dc", batch.DistrictCode), ("@b", batchId),
                    ("@d", decisionId), ("@from", c.From), ("@to", c.To), ("@now", now));
                await CountEnrolmentChangesAsync(tx, batchId, +1, ct);
                var staged = await ScalarAsync<long>(tx, "SELECT COUNT(*) FROM staged_rows WHERE batch_id = @b", ct, ("@b", batchId));
                skipped = (int)staged - enrolled;
                await ExecuteAsync(tx, "UPDATE decisions SET enrolled = @e, skipped = @s WHERE decision_id = @d",
                    ct, ("@e", enrolled), ("@s", skipped), ("@d", decisionId));
            }

            await AppendAuditAsync(tx, batch.CampaignId, batchId, kind == DecisionKind.Approve ? AuditAction.Approve : AuditAction.Reject,
                decidedBy, now, reason, ct);
            var record = new DecisionRecord(decisionId, batchId, batch.CampaignId, kind, decidedBy, now, reason, enrolled, skipped);
            var status = kind == DecisionKind.Approve ? BatchStatus.Approved : BatchStatus.Rejected;
            await ExecuteAsync(tx, "UPDATE batches SET status = @s, updated_at = @now WHERE batch_id = @b",
                ct, ("@s", status.ToString()), ("@now", now), ("@b", batchId));
            return new DecisionResult(DecisionOutcome.Recorded, record, status);
        }, ct);

    // ---- decide-once claims ----

    private const string ClaimColumns = "c.batch_id, c.decision_id, c.approve, c.reason, c.decided_by, c.claimed_at";

    public async Task<bool> ClaimDecisionAsync(DecisionClaim claim, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return await WriteAsync(async tx =>
        {
            // The batch row lock first, as ExpireAsync takes it: a claim and the expiry queue here, and the later sees the earlier.
            var batch = await QueryBatchAsync(tx, "batch_id = @id" + LockRowClause, ct, ("@id", claim.BatchId));
            if (batch is not { Status: BatchStatus.AwaitingApproval }) return false;
            return await ExecuteAsync(tx,
                "INSERT INTO decision_claims (batch_id, decision_id, approve, reason, decided_by, claimed_at) " +
                "VALUES (@b, @d, @a, @r, @by, @at) ON CONFLICT (batch_id) DO NOTHING",
                ct, ("@b", claim.BatchId), ("@d", claim.DecisionId), ("@a", claim.Approve), ("@r", claim.Reason), ("@by", claim.DecidedBy),
                ("@at", Microseconds(claim.ClaimedAt))) == 1;
        }, ct);
    }

    public async Task<ExpiryOutcome> ExpireAsync(string batchId, CancellationToken ct = default) =>
        await WriteAsync(async tx =>
        {
            var batch = await QueryBatchAsync(tx, "batch_id = @id" + LockRowClause, ct, ("@id", batchId));
            if (batch is null) return ExpiryOutcome.BatchNotFound;
            if (batch.Status == BatchStatus.Expired) return ExpiryOutcome.Replayed;
            if (batch.Status != BatchStatus.AwaitingApproval) return ExpiryOutcome.NotAwaitingApproval;
            if (await ScalarAsync<string>(tx, "SELECT decision_id FROM decision_claims WHERE batch_id = @id", ct, ("@id", batchId)) is not null)
                return ExpiryOutcome.DecisionClaimed;
            await ExecuteAsync(tx, "UPDATE batches SET status = 'Expired', updated_at = @now WHERE batch_id = @id",
                ct, ("@now", Now()), ("@id", batchId));
            return ExpiryOutcome.Expired;
        }, ct);

    public async Task<DecisionClaim?> GetDecisionClaimAsync(string batchId, CancellationToken ct = default) =>
        (await QueryClaimsAsync("c.batch_id = @b", ct, ("@b", batchId))).SingleOrDefault();

    public Task<IReadOnlyList<DecisionClaim>> ListPendingDecisionClaimsAsync(string campaignId, CancellationToken ct = default) =>
        QueryClaimsAsync("b.campaign_id = @c AND b.status = 'AwaitingApproval' ORDER BY c.claimed_at, c.batch_id", ct, ("@c", campaignId));

    private async Task<IReadOnlyList<DecisionClaim>> QueryClaimsAsync(string where, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            $"SELECT {ClaimColumns} FROM decision_claims c JOIN batches b ON b.batch_id = c.batch_id WHERE {where}", parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var claims = new List<DecisionClaim>();
        while (await reader.ReadAsync(ct))
            claims.Add(new DecisionClaim(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), NullableString(reader, 3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        return claims;
    }

    public async Task<DecisionRecord?> GetDecisionAsync(string batchId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (await QueryDecisionsAsync(connection, null, "batch_id = @b", ct, ("@b", batchId))).SingleOrDefault();
    }

    public async Task<IReadOnlyList<DecisionRecord>> ListDecisionsAsync(string campaignId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await QueryDecisionsAsync(connection, null, "campaign_id = @c ORDER BY decided_at, decision_id", ct, ("@c", campaignId));
    }

    // ---- revocation, export-sent marks, audit ----

    private const string RevocationColumns = "revocation_id, batch_id, campaign_id, revoked_by, revoked_at, reason, unenrolled";

    public async Task<RevocationResult> RevokeAsync(Revocation revocation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        if (string.IsNullOrWhiteSpace(revocation.Reason))
            throw new ArgumentException("A revocation needs a reason.", nameof(revocation));
        return await WriteAsync(async tx =>
        {
            // The batch row lock first, as MarkExportSentAsync takes it: a revocation and the mark queue here, the later sees the earlier.
            var batch = await QueryBatchAsync(tx, "batch_id = @id" + LockRowClause, ct, ("@id", revocation.BatchId));
            var same = await QueryRevocationAsync(tx, "revocation_id = @r", ct, ("@r", revocation.RevocationId));
            if (same is not null) return new RevocationResult(RevocationOutcome.Replayed, same, batch?.Status);
            if (batch is null) return new RevocationResult(RevocationOutcome.BatchNotFound, null, null);
            var earlier = await QueryRevocationAsync(tx, "batch_id = @b", ct, ("@b", batch.BatchId));
            if (earlier is not null) return new RevocationResult(RevocationOutcome.AlreadyRevoked, earlier, batch.Status);
            if (batch.Status != BatchStatus.Approved) return new RevocationResult(RevocationOutcome.NotApproved, null, batch.Status);
            if (await ScalarAsync<string>(tx, "SELECT batch_id FROM export_marks WHERE batch_id = @b", ct, ("@b", batch.BatchId)) is not null)
                return new RevocationResult(RevocationOutcome.ExportSent, null, batch.Status);

            var now = Now();
            await LockEnrolmentsAsync(tx, ct);
            await CountEnrolmentChangesAsync(tx, batch.BatchId, -1, ct);
            await ExecuteAsync(tx, "DELETE FROM enrolment_changes WHERE campaign_id = @c AND started = 0 AND ended = 0", ct, ("@c", batch.CampaignId));
            // Set-based: exactly the enrolments this batch made; a NIK it skipped belongs to the batch that enrolled it.
            var unenrolled = await ExecuteAsync(tx, "DELETE FROM enrolments WHERE campaign_id = @c AND batch_id = @b",
                ct, ("@c", batch.CampaignId), ("@b", batch.BatchId));
            var record = new RevocationRecord(revocation.RevocationId, batch.BatchId, batch.CampaignId, revocation.RevokedBy, now,
                revocation.Reason.Trim(), unenrolled);
            await ExecuteAsync(tx, $"INSERT INTO revocations ({RevocationColumns}) VALUES (@r, @b, @c, @by, @at, @reason, @n)",
                ct, ("@r", record.RevocationId), ("@b", record.BatchId), ("@c", record.CampaignId), ("@by", record.RevokedBy),
                ("@at", now), ("@reason", record.Reason), ("@n", unenrolled));
            await ExecuteAsync(tx, "UPDATE batches SET status = 'Revoked', updated_at = @now WHERE batch_id = @b",
                ct, ("@now", now), ("@b", batch.BatchId));
            await AppendAuditAsync(tx, batch.CampaignId, batch.BatchId, AuditAction.Revoke, record.RevokedBy, now, record.Reason, ct);
            return new RevocationResult(RevocationOutcome.Revoked, record, BatchStatus.Revoked);
        }, ct);
    }

    public async Task<RevocationRecord?> GetRevocationAsync(string batchId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (await QueryRevocationsAsync(connection, null, "batch_id = @b", ct, ("@b", batchId))).SingleOrDefault();
    }

    public async Task<IReadOnlyList<RevocationRecord>> ListRevocationsAsync(string campaignId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await QueryRevocationsAsync(connection, null, "campaign_id = @c ORDER BY revoked_at, revocation_id", ct, ("@c", campaignId));
    }

    public async Task<ExportMarkResult> MarkExportSentAsync(string batchId, string markedBy, CancellationToken ct = default) =>
        await WriteAsync(async tx =>
        {
            var batch = await QueryBatchAsync(tx, "batch_id = @id" + LockRowClause, ct, ("@id", batchId));
            if (batch is null) return new ExportMarkResult(ExportMarkOutcome.BatchNotFound, null, null);
            await using (var command = Command(tx.Connection!, tx, "SELECT batch_id, marked_by, marked_at FROM export_marks WHERE batch_id = @b", ("@b", batchId)))
            await using (var reader = await command.ExecuteReaderAsync(ct))
                if (await reader.ReadAsync(ct))
                    return new ExportMarkResult(ExportMarkOutcome.AlreadyMarked,
                        new ExportSentMark(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)), batch.Status);
            if (batch.Status != BatchStatus.Approved) return new ExportMarkResult(ExportMarkOutcome.NotApproved, null, batch.Status);
            var now = Now();
            await ExecuteAsync(tx, "INSERT INTO export_marks (batch_id, marked_by, marked_at) VALUES (@b, @by, @at)",
                ct, ("@b", batchId), ("@by", markedBy), ("@at", now));
            await AppendAuditAsync(tx, batch.CampaignId, batchId, AuditAction.ExportSent, markedBy, now, null, ct);
            return new ExportMarkResult(ExportMarkOutcome.Marked, new ExportSentMark(batchId, markedBy, now), batch.Status);
        }, ct);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string campaignId, string? batchId = null, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            "SELECT seq, campaign_id, batch_id, action, actor, acted_at, reason FROM audit_entries WHERE campaign_id = @c" +
            (batchId is null ? "" : " AND batch_id = @b") + " ORDER BY seq", ("@c", campaignId), ("@b", batchId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(ct))
            entries.Add(new AuditEntry(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(1),
                reader.GetString(2), Enum.Parse<AuditAction>(reader.GetString(3)), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5),
                NullableString(reader, 6)));
        return entries;
    }

    /// <summary>The one writer of the audit trail: called inside the transaction of the act it records.</summary>
    private static Task<int> AppendAuditAsync(DbTransaction tx, string campaignId, string batchId, AuditAction action, string actor,
        DateTimeOffset at, string? reason, CancellationToken ct) =>
        ExecuteAsync(tx, "INSERT INTO audit_entries (campaign_id, batch_id, action, actor, acted_at, reason) VALUES (@c, @b, @a, @by, @at, @r)",
            ct, ("@c", campaignId), ("@b", batchId), ("@a", action.ToString()), ("@by", actor), ("@at", at), ("@r", reason));

    private static async Task<RevocationRecord?> QueryRevocationAsync(DbTransaction tx, string where, CancellationToken ct, params (string, object?)[] parameters) =>
        (await QueryRevocationsAsync(tx.Connection!, tx, where, ct, parameters)).FirstOrDefault();

    private static async Task<IReadOnlyList<RevocationRecord>> QueryRevocationsAsync(DbConnection connection, DbTransaction? tx, string where, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, tx, $"SELECT {RevocationColumns} FROM revocations WHERE {where}", parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var records = new List<RevocationRecord>();
        while (await reader.ReadAsync(ct))
            records.Add(new RevocationRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), ToInt(reader.GetValue(6))));
        return records;
    }

    // ---- enrolments and tallies ----

    private const string EnrolmentColumns =
        "campaign_id, nik, name, birth_date, sex, village_code, district_code, segment_code, batch_id, decision_id, coverage_from, coverage_to";

    public async Task<Enrolment?> GetEnrolmentAsync(string campaignId, string nik, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            $"SELECT {EnrolmentColumns} FROM enrolments WHERE campaign_id = @c AND nik = @n", ("@c", campaignId), ("@n", nik));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadEnrolment(reader) : null;
    }

    public async IAsyncEnumerable<Enrolment> ReadEnrolmentsAsync(string campaignId, string villageCode, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            $"SELECT {EnrolmentColumns} FROM enrolments WHERE campaign_id = @c AND village_code = @v ORDER BY nik",
            ("@c", campaignId), ("@v", villageCode));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return ReadEnrolment(reader);
    }

    private static Enrolment ReadEnrolment(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3),
            Enum.Parse<Sex>(reader.GetString(4)), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
            reader.GetString(9), reader.GetFieldValue<DateOnly>(10), reader.GetFieldValue<DateOnly>(11));

    // ---- running tallies (enrolment_changes) ----
    // Per (campaign, village, segment, day): started = enrolments whose coverage starts that day, ended = enrolments whose
    // coverage ends that day (its last covered day). Active on D = Σ started (day ≤ D) − Σ ended (day < D). Kept in the
    // transaction that enrols or unenrols, so the tallies never disagree with the enrolments; a few rows per village and
    // campaign instead of one per person is what keeps coverage on any date cheap (issue 13: 150,000 people × 5 years).

    /// <summary>Active on @asOf from enrolment_changes rows with day ≤ @asOf.</summary>
    private const string ActiveOnAsOf = "SUM(started) - SUM(CASE WHEN day < @asOf THEN ended ELSE 0 END)";

    /// <summary>Adds (sign +1) or takes out (−1) the batch's enrolments from the running tallies; call before deleting them.</summary>
    private static Task<int> CountEnrolmentChangesAsync(DbTransaction tx, string batchId, int sign, CancellationToken ct) =>
        ExecuteAsync(tx,
            "INSERT INTO enrolment_changes (campaign_id, village_code, segment_code, day, started, ended) " +
            "SELECT campaign_id, village_code, segment_code, day, SUM(started), SUM(ended) FROM (" +
            "SELECT campaign_id, village_code, segment_code, coverage_from AS day, @sign AS started, 0 AS ended FROM enrolments WHERE batch_id = @b " +
            "UNION ALL SELECT campaign_id, village_code, segment_code, coverage_to, 0, @sign FROM enrolments WHERE batch_id = @b) x " +
            "WHERE true GROUP BY campaign_id, village_code, segment_code, day " + // WHERE: SQLite's upsert-after-SELECT parse rule
            "ON CONFLICT (campaign_id, village_code, segment_code, day) DO UPDATE " +
            "SET started = enrolment_changes.started + excluded.started, ended = enrolment_changes.ended + excluded.ended",
            ct, ("@b", batchId), ("@sign", sign));

    public async Task<IReadOnlyList<ActiveCount>> GetActiveCountsAsync(IReadOnlyCollection<string> campaignIds, DateOnly asOf, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(campaignIds);
        var counts = new List<ActiveCount>();
        if (campaignIds.Count == 0) return counts;
        var (inCampaigns, campaignsValue) = InSet("campaign_id", "@campaigns", campaignIds);
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            $"SELECT campaign_id, village_code, segment_code, {ActiveOnAsOf} FROM enrolment_changes WHERE {inCampaigns} AND day <= @asOf " +
            $"GROUP BY campaign_id, village_code, segment_code HAVING {ActiveOnAsOf} <> 0",
            ("@campaigns", campaignsValue), ("@asOf", asOf));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            counts.Add(new ActiveCount(reader.GetString(0), reader.GetString(1), reader.GetString(2), ToInt(reader.GetValue(3))));
        // Ordinal in C#: a PostgreSQL ORDER BY would follow the database's collation.
        return counts.OrderBy(c => c.CampaignId, StringComparer.Ordinal).ThenBy(c => c.VillageCode, StringComparer.Ordinal)
            .ThenBy(c => c.SegmentCode, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<EndingCount>> GetEndingCountsAsync(IReadOnlyCollection<string> campaignIds, DateOnly fromExclusive, DateOnly toInclusive, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(campaignIds);
        if (toInclusive < fromExclusive) throw new ArgumentException("The window ends before it starts.", nameof(toInclusive));
        var counts = new List<EndingCount>();
        if (campaignIds.Count == 0) return counts;
        var (inCampaigns, campaignsValue) = InSet("campaign_id", "@campaigns", campaignIds);
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            $"SELECT campaign_id, village_code, segment_code, day, ended FROM enrolment_changes WHERE {inCampaigns} AND day > @from AND day <= @to AND ended <> 0",
            ("@campaigns", campaignsValue), ("@from", fromExclusive), ("@to", toInclusive));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            counts.Add(new EndingCount(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3), ToInt(reader.GetValue(4))));
        return counts.OrderBy(c => c.CampaignId, StringComparer.Ordinal).ThenBy(c => c.VillageCode, StringComparer.Ordinal)
            .ThenBy(c => c.SegmentCode, StringComparer.Ordinal).ThenBy(c => c.LastDay).ToList();
    }

    public async Task<IReadOnlyList<VillageTally>> GetVillageTalliesAsync(string campaignId, DateOnly asOf, CancellationToken ct = default)
    {
        var tallies = new SortedDictionary<string, VillageTally>(StringComparer.Ordinal);
        await using var connection = await OpenAsync(ct);
        await using (var command = Command(connection, null,
            "SELECT village_code, SUM(rows_valid), " +
            "SUM(CASE WHEN status = 'AwaitingApproval' THEN rows_valid ELSE 0 END), " +
            "SUM(CASE WHEN status = 'Rejected' THEN rows_valid ELSE 0 END) " +
            $"FROM batches WHERE campaign_id = @c AND status IN {CountedStatuses} GROUP BY village_code", ("@c", campaignId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var village = reader.GetString(0);
                tallies[village] = new VillageTally(village, ToInt(reader.GetValue(1)), 0, ToInt(reader.GetValue(2)), ToInt(reader.GetValue(3)));
            }

        await using (var command = Command(connection, null,
            $"SELECT village_code, {ActiveOnAsOf} FROM enrolment_changes WHERE campaign_id = @c AND day <= @asOf " +
            $"GROUP BY village_code HAVING {ActiveOnAsOf} <> 0",
            ("@c", campaignId), ("@asOf", asOf)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var village = reader.GetString(0);
                var approved = ToInt(reader.GetValue(1));
                tallies[village] = tallies.TryGetValue(village, out var t) ? t with { Approved = approved } : new VillageTally(village, 0, approved, 0, 0);
            }
        return tallies.Values.ToList();
    }

    // ---- village access links ----

    private const string AccessLinkColumns =
        "link_id, campaign_id, village_code, issued_by, issued_at, expires_at, revoked_at, revoked_by, last_used_at";

    public async Task IssueAccessLinkAsync(AccessLink link, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        await WriteAsync(async tx => await ExecuteAsync(tx,
            $"INSERT INTO access_links ({AccessLinkColumns}) VALUES (@id, @c, @v, @by, @at, @exp, NULL, NULL, NULL) ON CONFLICT (link_id) DO NOTHING",
            ct, ("@id", link.LinkId), ("@c", link.CampaignId), ("@v", link.VillageCode), ("@by", link.IssuedBy),
            ("@at", Microseconds(link.IssuedAt)), ("@exp", Microseconds(link.ExpiresAt))), ct);
    }

    public async Task<AccessLink?> GetAccessLinkAsync(string linkId, CancellationToken ct = default) =>
        (await QueryAccessLinksAsync("link_id = @id", ct, ("@id", linkId))).SingleOrDefault();

    public Task<IReadOnlyList<AccessLink>> ListAccessLinksAsync(string campaignId, string? villageCode = null, CancellationToken ct = default) =>
        QueryAccessLinksAsync((villageCode is null ? "campaign_id = @c" : "campaign_id = @c AND village_code = @v") + " ORDER BY issued_at DESC, link_id",
            ct, ("@c", campaignId), ("@v", villageCode));

    public async Task<bool> RevokeAccessLinkAsync(string linkId, string revokedBy, DateTimeOffset at, CancellationToken ct = default) =>
        await WriteAsync(async tx => await ExecuteAsync(tx,
            "UPDATE access_links SET revoked_at = @at, revoked_by = @by WHERE link_id = @id AND revoked_at IS NULL",
            ct, ("@at", Microseconds(at)), ("@by", revokedBy), ("@id", linkId)) == 1, ct);

    public async Task RecordAccessLinkUseAsync(string linkId, DateTimeOffset at, CancellationToken ct = default)
    {
        // Not through WriteAsync: SQLite's BEGIN IMMEDIATE would queue every page view behind an approval's commit;
        // one autocommitted conditional UPDATE is enough for a timestamp.
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            "UPDATE access_links SET last_used_at = @at WHERE link_id = @id AND (last_used_at IS NULL OR last_used_at <= @stale)",
            ("@at", Microseconds(at)), ("@id", linkId), ("@stale", Microseconds(at - AccessLinkUse.Interval)));
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<IReadOnlyList<AccessLink>> QueryAccessLinksAsync(string where, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null, $"SELECT {AccessLinkColumns} FROM access_links WHERE {where}", parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var links = new List<AccessLink>();
        while (await reader.ReadAsync(ct))
            links.Add(new AccessLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), NullableString(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        return links;
    }

    // ---- campaigns (issue 13.1) ----

    private const string CampaignColumns = "campaign_id, regency_code, document, saved_by, saved_at, closed_at, closed_by, version";

    // Every save takes the next version: the catalog's readers compare MAX(version) to what they loaded.
    private const string NextCampaignVersion = "(SELECT COALESCE(MAX(version), 0) + 1 FROM campaigns)";

    public async Task<bool> AddCampaignAsync(string campaignId, string regencyCode, string document, string savedBy, CancellationToken ct = default) =>
        await WriteAsync(async tx => await ExecuteAsync(tx,
            $"INSERT INTO campaigns ({CampaignColumns}) VALUES (@id, @r, @doc, @by, @at, NULL, NULL, {NextCampaignVersion}) ON CONFLICT (campaign_id) DO NOTHING",
            ct, ("@id", campaignId), ("@r", regencyCode), ("@doc", document), ("@by", savedBy), ("@at", Now())) == 1, ct);

    public async Task<bool> ReplaceCampaignAsync(string campaignId, string regencyCode, string document, string savedBy, CancellationToken ct = default) =>
        await WriteAsync(async tx => await ExecuteAsync(tx,
            $"UPDATE campaigns SET regency_code = @r, document = @doc, saved_by = @by, saved_at = @at, version = {NextCampaignVersion} WHERE campaign_id = @id",
            ct, ("@id", campaignId), ("@r", regencyCode), ("@doc", document), ("@by", savedBy), ("@at", Now())) == 1, ct);

    public async Task<bool> CloseCampaignAsync(string campaignId, string closedBy, CancellationToken ct = default) =>
        await WriteAsync(async tx => await ExecuteAsync(tx,
            $"UPDATE campaigns SET closed_at = @at, closed_by = @by, version = {NextCampaignVersion} WHERE campaign_id = @id AND closed_at IS NULL",
            ct, ("@id", campaignId), ("@by", closedBy), ("@at", Now())) == 1, ct);

    public async Task<IReadOnlyList<StoredCampaign>> ListCampaignsAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null, $"SELECT {CampaignColumns} FROM campaigns ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<StoredCampaign>();
        while (await reader.ReadAsync(ct))
            list.Add(new StoredCampaign(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                NullableString(reader, 6), reader.GetInt64(7)));
        return list;
    }

    public async Task<long> GetCampaignsVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM campaigns");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    // ---- plumbing ----

    protected DateTimeOffset Now() => Microseconds(Time.GetUtcNow());

    /// <summary>Whole microseconds in UTC: what PostgreSQL timestamptz keeps, so both stores return the value they were given.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    private Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct) => RunWriteAsync(work, ct);

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction and commits it. Here: its own transaction on a pooled connection,
    /// run again (up to five times in all) after an error <see cref="IsTransient"/> calls transient, so a work must only
    /// touch the database through the transaction it is given.
    /// </summary>
    protected virtual async Task<T> RunWriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await OpenAsync(ct);
            await using var tx = await BeginWriteAsync(connection, ct);
            try
            {
                var result = await work(tx);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < 5 && IsTransient(e))
            {
                await tx.RollbackAsync(CancellationToken.None);
            }
        }
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            if (!sql.Contains(name, StringComparison.Ordinal)) continue;
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    protected static async Task<int> ExecuteAsync(DbTransaction tx, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = Command(tx.Connection!, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T?> ScalarAsync<T>(DbTransaction tx, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = Command(tx.Connection!, tx, sql, parameters);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<string>> QueryStringsAsync(DbTransaction tx, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = Command(tx.Connection!, tx, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<string>();
        while (await reader.ReadAsync(ct)) values.Add(reader.GetString(0));
        return values;
    }

    private static Task<IReadOnlyList<string>> SupersededByAsync(DbTransaction tx, string batchId, CancellationToken ct) =>
        QueryStringsAsync(tx, "SELECT batch_id FROM batches WHERE superseded_by = @id AND status = 'Superseded' ORDER BY batch_id", ct, ("@id", batchId));

    private static Task<Batch?> QueryBatchAsync(DbTransaction tx, string where, CancellationToken ct, params (string, object?)[] parameters) =>
        QueryBatchAsync(tx.Connection!, tx, where, ct, parameters);

    private static async Task<Batch?> QueryBatchAsync(DbConnection connection, DbTransaction? tx, string where, CancellationToken ct, params (string, object?)[] parameters) =>
        (await QueryBatchesAsync(connection, tx, where, ct, parameters)).FirstOrDefault();

    private static async Task<IReadOnlyList<Batch>> QueryBatchesAsync(DbConnection connection, DbTransaction? tx, string where, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, tx, $"SELECT {BatchColumns} FROM batches WHERE {where}", parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var batches = new List<Batch>();
        while (await reader.ReadAsync(ct))
            batches.Add(new Batch(
                BatchId: reader.GetString(0),
                CampaignId: reader.GetString(1),
                VillageCode: reader.GetString(2),
                VillageName: NullableString(reader, 3),
                DistrictCode: reader.GetString(4),
                FileName: reader.GetString(5),
                ContentHash: reader.GetString(6),
                UploadBlob: reader.GetString(7),
                ReportBlob: NullableString(reader, 8),
                Status: Enum.Parse<BatchStatus>(reader.GetString(9)),
                Counts: new BatchCounts(ToInt(reader.GetValue(10)), ToInt(reader.GetValue(11)), ToInt(reader.GetValue(12)), ToInt(reader.GetValue(13))),
                FileCode: NullableString(reader, 14),
                SupersededBy: NullableString(reader, 15),
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(16),
                UpdatedAt: reader.GetFieldValue<DateTimeOffset>(17)));
        return batches;
    }

    private static async Task<DecisionRecord?> QueryDecisionAsync(DbTransaction tx, string where, CancellationToken ct, params (string, object?)[] parameters) =>
        (await QueryDecisionsAsync(tx.Connection!, tx, where, ct, parameters)).FirstOrDefault();

    private static async Task<IReadOnlyList<DecisionRecord>> QueryDecisionsAsync(DbConnection connection, DbTransaction? tx, string where, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, tx, $"SELECT {DecisionColumns} FROM decisions WHERE {where}", parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var decisions = new List<DecisionRecord>();
        while (await reader.ReadAsync(ct))
            decisions.Add(new DecisionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), Enum.Parse<DecisionKind>(reader.GetString(3)),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), NullableString(reader, 6), ToInt(reader.GetValue(7)), ToInt(reader.GetValue(8))));
        return decisions;
    }

    protected static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static int ToInt(object value) => value is DBNull ? 0 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
}
