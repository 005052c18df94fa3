using Microsoft.Data.Sqlite;
using UcjFlow.Embedded.Durable;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Embedded.Tests.Durable;

/// <summary>A runner on a fresh SQLite file in a temp folder, with a manual clock.</summary>
public sealed class DurableHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2024, 10, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    readonly Action<DurableTaskRegistry> register;
    readonly int cache;

    DurableHarness(string folder, ManualTimeProvider clock, Action<DurableTaskRegistry> register, int cache)
    {
        Folder = folder;
        Clock = clock;
        this.register = register;
        this.cache = cache;
    }

    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, "durable.db");
    public ManualTimeProvider Clock { get; }
    public EmbeddedDurableRunner Runner { get; private set; } = null!;
    public DurableTaskClient Client => Runner.Client;

    public static async Task<DurableHarness> StartAsync(Action<DurableTaskRegistry> register, int cache = 10_000)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ucj-durable-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var harness = new DurableHarness(folder, new ManualTimeProvider(Start), register, cache);
        await harness.RestartAsync(register);
        return harness;
    }

    /// <summary>Stops the runner (if any) and starts a new one on the same database, optionally with other code.</summary>
    public async Task RestartAsync(Action<DurableTaskRegistry>? registerInstead = null)
    {
        if (Runner is not null) await Runner.DisposeAsync();
        var registry = new DurableTaskRegistry();
        (registerInstead ?? register)(registry);
        Runner = EmbeddedDurableRunner.Create(DatabasePath, registry,
            new EmbeddedDurableOptions { TimeProvider = Clock, MaxCachedOrchestrations = cache });
        await Runner.StartAsync();
    }

    public async Task StopAsync() => await Runner.DisposeAsync();

    public async Task<OrchestrationMetadata> CompletionAsync(string instanceId)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
    }

    /// <summary>Waits (with a deadline) until the instance's stored state satisfies <paramref name="condition"/>.</summary>
    public async Task<OrchestrationMetadata> UntilAsync(string instanceId, Func<OrchestrationMetadata, bool> condition)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var changed = Runner.StateChanged;
            if (await Client.GetInstanceAsync(instanceId, true) is { } m && condition(m)) return m;
            try { await changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Instance {instanceId} did not reach the expected state: {await Client.GetInstanceAsync(instanceId, true)}");
            }
        }
    }

    /// <summary>Waits until the instance's history holds at least <paramref name="count"/> events of <paramref name="kind"/>.</summary>
    internal async Task UntilHistoryAsync(string instanceId, EventKind kind, int count = 1)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (History(instanceId).Count(e => e.Kind == kind) < count)
        {
            var changed = Runner.StateChanged;
            if (History(instanceId).Count(e => e.Kind == kind) >= count) return;
            try { await changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"History of {instanceId} has no {count}× {kind}."); }
        }
    }

    /// <summary>The stored history of an instance, read straight from the database with a separate connection.</summary>
    internal List<HistoryEvent> History(string instanceId) => ReadHistory(DatabasePath, instanceId);

    /// <summary>The stored history of an instance in any runner database (also one a child process wrote).</summary>
    internal static List<HistoryEvent> ReadHistory(string databasePath, string instanceId)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT event FROM durable_history WHERE instance_id=$id ORDER BY seq";
        cmd.Parameters.AddWithValue("$id", instanceId);
        using var reader = cmd.ExecuteReader();
        var list = new List<HistoryEvent>();
        while (reader.Read()) list.Add(System.Text.Json.JsonSerializer.Deserialize(reader.GetString(0), HistoryJson.Default.HistoryEvent)!);
        return list;
    }

    public long Count(string table)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
