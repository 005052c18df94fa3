using Microsoft.Data.Sqlite;

namespace UcjFlow.Host.Api;

/// <summary>A coordinator's decision as claimed over HTTP, before the orchestration has acted on it.</summary>
public sealed record DecisionClaim(string BatchId, string DecisionId, bool Approve, string? Reason, string DecidedBy, DateTimeOffset ClaimedAt);

/// <summary>
/// One row per decided batch (batch id is the primary key) in {data}/host.db: two POSTs arriving together cannot both
/// pass, so a batch is decided once. The claim is also how a decision survives a crash between claiming and raising
/// the event: at start the host raises again the events of claims whose batch still waits.
/// </summary>
public sealed class DecisionClaims
{
    readonly string connectionString;

    public DecisionClaims(string path)
    {
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS decision_claims (
                batch_id TEXT PRIMARY KEY,
                decision_id TEXT NOT NULL,
                approve INTEGER NOT NULL,
                reason TEXT NULL,
                decided_by TEXT NOT NULL,
                claimed_at TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>True when this claim is the batch's first; false when the batch was already claimed.</summary>
    public bool TryClaim(DecisionClaim claim)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO decision_claims (batch_id, decision_id, approve, reason, decided_by, claimed_at)
            VALUES ($batch, $decision, $approve, $reason, $by, $at) ON CONFLICT (batch_id) DO NOTHING;
            """;
        command.Parameters.AddWithValue("$batch", claim.BatchId);
        command.Parameters.AddWithValue("$decision", claim.DecisionId);
        command.Parameters.AddWithValue("$approve", claim.Approve ? 1 : 0);
        command.Parameters.AddWithValue("$reason", (object?)claim.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("$by", claim.DecidedBy);
        command.Parameters.AddWithValue("$at", claim.ClaimedAt.ToString("O"));
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Gives a claim back (the event could not be raised), so the coordinator can try again.</summary>
    public void Release(string batchId, string decisionId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM decision_claims WHERE batch_id = $batch AND decision_id = $decision;";
        command.Parameters.AddWithValue("$batch", batchId);
        command.Parameters.AddWithValue("$decision", decisionId);
        command.ExecuteNonQuery();
    }

    public DecisionClaim? Get(string batchId) => Query("WHERE batch_id = $batch", batchId).FirstOrDefault();

    public IReadOnlyList<DecisionClaim> All() => Query("", null);

    IReadOnlyList<DecisionClaim> Query(string where, string? batchId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT batch_id, decision_id, approve, reason, decided_by, claimed_at FROM decision_claims {where};";
        if (batchId is not null) command.Parameters.AddWithValue("$batch", batchId);
        using var reader = command.ExecuteReader();
        var list = new List<DecisionClaim>();
        while (reader.Read())
            list.Add(new DecisionClaim(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) == 1,
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), DateTimeOffset.Parse(reader.GetString(5), System.Globalization.CultureInfo.InvariantCulture)));
        return list;
    }

    SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }
}
