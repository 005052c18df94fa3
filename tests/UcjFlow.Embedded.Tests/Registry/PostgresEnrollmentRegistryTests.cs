using Npgsql;
using UcjFlow.Core.Registry;
using UcjFlow.Adapters.Registry;
using UcjFlow.Embedded.Registry;
using Xunit.Abstractions;

namespace UcjFlow.Embedded.Tests.Registry;

/// <summary>The same contract on PostgreSQL (UCJ_TEST_POSTGRES, set by .ci/run); each test gets its own fresh schema.</summary>
public sealed class PostgresEnrollmentRegistryTests(ITestOutputHelper output) : EnrollmentRegistryContract(output)
{
    private readonly string _schema = "ucj_registry_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("UCJ_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "UCJ_TEST_POSTGRES is not set: run the tests through .ci/run, which starts PostgreSQL and sets it " +
                "(or set it to an Npgsql connection string, e.g. Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres).");

    protected override async Task<SqlEnrollmentRegistry> OpenRegistryAsync(TimeProvider time)
    {
        if (_connectionString is null)
        {
            await using var connection = new NpgsqlConnection(ServerConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
            await create.ExecuteNonQueryAsync();
            _connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = _schema }.ToString();
        }
        return await PostgresEnrollmentRegistry.OpenAsync(_connectionString, time);
    }

    protected override Task ArmCrashBeforeApprovedAsync() => ExecuteAsync("""
        CREATE TABLE test_crash (armed integer);
        INSERT INTO test_crash VALUES (1);
        CREATE FUNCTION test_crash_fn() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.status = 'Approved' AND EXISTS (SELECT 1 FROM test_crash) THEN RAISE EXCEPTION 'simulated crash'; END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER test_crash_on_approve BEFORE UPDATE ON batches FOR EACH ROW EXECUTE FUNCTION test_crash_fn();
        """);

    protected override Task DisarmCrashAsync() => ExecuteAsync("DELETE FROM test_crash");

    protected override Task RollBackToBeforeAuditAsync() => ExecuteAsync("""
        DROP TABLE enrolment_changes, campaigns, audit_entries, export_marks, revocations;
        DROP INDEX enrolments_by_nik;
        DELETE FROM registry_schema WHERE version >= 4;
        """);

    protected override Task RollBackToBeforePeriodsAsync() => ExecuteAsync("""
        DROP TABLE enrolment_changes;
        DROP INDEX enrolments_by_nik;
        DELETE FROM registry_schema WHERE version >= 6;
        """);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is null) return;
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Opening_again_finds_the_schema_up_to_date()
    {
        await Registry.RegisterBatchAsync(new NewBatch("b1", Campaign, "1503012001", null, "150301", "f.csv", "h", "uploads/f.csv"));

        await using var reopened = (PostgresEnrollmentRegistry)await OpenRegistryAsync(Clock);

        Assert.Equal("b1", (await reopened.GetBatchAsync("b1"))?.BatchId);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(version::text, ',') FROM registry_schema", connection);
        Assert.Equal("1,2,3,4,5,6", await command.ExecuteScalarAsync());
    }
}
