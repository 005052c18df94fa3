using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Validation;
using UcjFlow.Adapters.Registry;
using UcjFlow.Embedded.Registry;
using Xunit.Abstractions;

namespace UcjFlow.Embedded.Tests.Registry;

public sealed class SqliteEnrollmentRegistryTests(ITestOutputHelper output) : EnrollmentRegistryContract(output)
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ucj-registry-").FullName;

    private string DatabasePath => Path.Combine(_folder, "registry.db");

    protected override async Task<SqlEnrollmentRegistry> OpenRegistryAsync(TimeProvider time) =>
        await SqliteEnrollmentRegistry.OpenAsync(DatabasePath, time);

    protected override Task ArmCrashBeforeApprovedAsync() => ExecuteAsync("""
        CREATE TABLE test_crash (armed INTEGER);
        INSERT INTO test_crash VALUES (1);
        CREATE TRIGGER test_crash_on_approve BEFORE UPDATE OF status ON batches
        WHEN NEW.status = 'Approved' AND EXISTS (SELECT 1 FROM test_crash)
        BEGIN SELECT RAISE(ABORT, 'simulated crash'); END;
        """);

    protected override Task DisarmCrashAsync() => ExecuteAsync("DELETE FROM test_crash");

    // Version 8 undone: the staged rows' NIK index back, no NIK sets (migration 8 turns the one into the other).
    private const string UndoStagedNikSets = "DROP TABLE staged_nik_sets; CREATE INDEX staged_rows_by_nik ON staged_rows (nik, batch_id);";

    protected override Task RollBackToBeforeAuditAsync() => ExecuteAsync(UndoStagedNikSets + """
        DROP TABLE enrolment_changes; DROP INDEX enrolments_by_nik; DROP TABLE campaigns;
        DROP TABLE audit_entries; DROP TABLE export_marks; DROP TABLE revocations;
        PRAGMA user_version = 3;
        """);

    protected override async Task RollBackToBeforePeriodsAsync()
    {
        await ExecuteAsync(UndoStagedNikSets + """
            DROP TABLE enrolment_changes; DROP INDEX enrolments_by_nik;
            PRAGMA user_version = 5;
            """);
        // As after a restart: pooled connections of this process would still hold the schema they last read.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Reopening_keeps_the_data_and_runs_in_wal_mode()
    {
        await Registry.RegisterBatchAsync(new NewBatch("b1", Campaign, "1503012001", null, "150301", "f.csv", "h", "uploads/f.csv"));

        await using var reopened = await SqliteEnrollmentRegistry.OpenAsync(DatabasePath, Clock);

        Assert.Equal("b1", (await reopened.GetBatchAsync("b1"))?.BatchId);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA user_version";
        Assert.Equal(8L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_write_whose_caller_gives_up_while_it_waits_its_turn_ends_at_once_and_is_never_made()
    {
        await Registry.RegisterBatchAsync(NewBatch("holding", "1503012001"));
        // The writer is busy inside a transaction until the test lets the rows of "holding" go on.
        var release = new TaskCompletionSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = Registry.CompleteValidationAsync("holding",
            new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(2, 2, 0, 0), null), HeldRows(release.Task));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var giveUp = new CancellationTokenSource();
        var waiting = Registry.RegisterBatchAsync(NewBatch("given-up", "1503012002"), giveUp.Token);

        try
        {
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.False(holding.IsCompleted);
        }
        finally
        {
            release.TrySetResult(); // a failed assertion must not leave the writer held (the registry's disposal waits for it)
        }
        await holding;
        Assert.Null(await Registry.GetBatchAsync("given-up"));
        Assert.Equal(2, (await Registry.ReadStagedRowsAsync("holding").ToListAsync()).Count);

        async IAsyncEnumerable<Enrollee> HeldRows(Task go)
        {
            entered.TrySetResult();
            await go;
            await foreach (var row in Rows("1503012001", 1, 2)) yield return row;
        }
    }

    [Fact]
    public async Task Enrolments_of_a_version_6_registry_move_to_the_rowid_table_whole_and_stay_once_per_campaign()
    {
        var outcome = new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(3, 3, 0, 0), null);
        await Registry.RegisterBatchAsync(NewBatch("a", "1503012001"));
        await Registry.CompleteValidationAsync("a", outcome, Rows("1503012001", 1, 3));
        await Registry.ApproveAsync(new Approval("d-a", "a", "coordinator", CoverageFrom, CoverageTo));
        // Version 6's enrolments: keyed by (campaign, NIK) without a rowid, with the NIK index of the overlap look-up.
        await ExecuteAsync(UndoStagedNikSets + """
            CREATE TABLE enrolments_6 (
                campaign_id TEXT NOT NULL, nik TEXT NOT NULL, name TEXT NOT NULL, birth_date TEXT NOT NULL, sex TEXT NOT NULL,
                village_code TEXT NOT NULL, district_code TEXT NOT NULL, segment_code TEXT NOT NULL, batch_id TEXT NOT NULL,
                decision_id TEXT NOT NULL, coverage_from TEXT NOT NULL, coverage_to TEXT NOT NULL, enrolled_at TEXT NOT NULL,
                PRIMARY KEY (campaign_id, nik)) WITHOUT ROWID;
            INSERT INTO enrolments_6 SELECT * FROM enrolments;
            DROP TABLE enrolments;
            ALTER TABLE enrolments_6 RENAME TO enrolments;
            CREATE INDEX enrolments_by_batch ON enrolments (batch_id);
            CREATE INDEX enrolments_by_village ON enrolments (campaign_id, village_code, coverage_from, coverage_to);
            CREATE INDEX enrolments_by_nik ON enrolments (nik, coverage_from, coverage_to);
            PRAGMA user_version = 6;
            """);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var reopened = await SqliteEnrollmentRegistry.OpenAsync(DatabasePath, Clock);
        Assert.Equal(3, await reopened.ReadEnrolmentsAsync(Campaign, "1503012001").CountAsync());
        // The same people in another batch of the campaign, for a period after the first: no overlap, so only the unique
        // (NIK, campaign) index keeps them from being enrolled twice in one campaign.
        await reopened.RegisterBatchAsync(NewBatch("b", "1503012002"));
        await reopened.CompleteValidationAsync("b", outcome, Rows("1503012002", 1, 3));
        var again = await reopened.ApproveAsync(new Approval("d-b", "b", "coordinator", CoverageTo.AddDays(1), CoverageTo.AddYears(1)));
        Assert.Equal((0, 3), (again.Record!.Enrolled, again.Record.Skipped));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        Assert.Equal(8L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Staged_NIKs_of_a_version_7_registry_move_into_NIK_sets_and_are_found_from_another_village()
    {
        var outcome = new ValidationOutcome(BatchStatus.AwaitingApproval, new BatchCounts(3, 3, 0, 0), null);
        await Registry.RegisterBatchAsync(NewBatch("a", "1503012001"));
        await Registry.CompleteValidationAsync("a", outcome, Rows("1503012001", 1, 3));
        // Version 7's staging: the staged rows' NIK index, no NIK sets.
        await ExecuteAsync(UndoStagedNikSets + "PRAGMA user_version = 7;");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var reopened = await SqliteEnrollmentRegistry.OpenAsync(DatabasePath, Clock);
        var conflicts = await reopened.FindConflictsAsync(Campaign, "1503012002", [Nik(3), Nik(1), Nik(9)], CoverageFrom, CoverageTo);
        Assert.Equal([(Nik(1), NikConflictKind.InOtherVillageBatch), (Nik(3), NikConflictKind.InOtherVillageBatch)],
            conflicts.Select(c => (c.Nik, c.Kind)).Order());
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE name = 'staged_rows_by_nik'";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
