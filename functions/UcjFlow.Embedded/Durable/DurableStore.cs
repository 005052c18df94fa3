using System.Text.Json;
using Microsoft.Data.Sqlite;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Embedded.Durable;

/// <summary>One orchestration instance's row.</summary>
internal sealed record InstanceRow(
    string InstanceId, string Name, string ExecutionId, OrchestrationRuntimeStatus Status,
    string? Input, string? Output, string? CustomStatus, TaskFailureDetails? Failure,
    DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt,
    string? ParentInstanceId, string? ParentExecutionId, int ParentTaskId, string? ParentName)
{
    public bool IsTerminal => DurableStore.IsTerminal(Status);
}

/// <summary>A message waiting for its instance: becomes history when an episode consumes it.</summary>
internal sealed record InboxMessage(long Id, string InstanceId, string? ExecutionId, HistoryEvent Event);

/// <summary>An activity call waiting for (or running on) the worker pool.</summary>
internal sealed record ActivityWorkItem(long Id, string InstanceId, string ExecutionId, int TaskId, string Name, string? Input);

/// <summary>A message to put in some instance's inbox when an episode commits.</summary>
internal sealed record OutgoingMessage(string InstanceId, string? ExecutionId, DateTimeOffset VisibleAt, HistoryEvent Event);

/// <summary>Everything one episode of one instance writes, committed together with the other episodes of its batch.</summary>
internal sealed class EpisodeCommit(string instanceId, string executionId)
{
    public string InstanceId { get; } = instanceId;
    public string ExecutionId { get; } = executionId;
    public List<long> ConsumedInboxIds { get; } = [];
    /// <summary>Activity work items whose results this episode applies: removed in the same transaction as the history append.</summary>
    public List<long> CompletedActivityIds { get; } = [];
    public int FirstSeq { get; set; }
    public List<HistoryEvent> Append { get; } = [];
    public List<HistoryEvent> Activities { get; } = [];
    public List<OutgoingMessage> Messages { get; } = [];
    /// <summary>SubOrchestrationCreated actions: the child is created unless it already runs.</summary>
    public List<(HistoryEvent Created, string? ParentName)> Children { get; } = [];
    /// <summary>SendEvent actions: delivered only to instances that exist and run.</summary>
    public List<HistoryEvent> SentEvents { get; } = [];
    public OrchestrationRuntimeStatus Status { get; set; } = OrchestrationRuntimeStatus.Running;
    public bool CustomStatusChanged { get; set; }
    public string? CustomStatus { get; set; }
    public string? Output { get; set; }
    public TaskFailureDetails? Failure { get; set; }
    /// <summary>Set when the instance continues as new: its history is dropped and a new execution starts.</summary>
    public (string ExecutionId, string? Input, List<HistoryEvent> Carried)? ContinueAsNew { get; set; }
    /// <summary>Messages dropped without an episode (stale or for a finished instance): only delete them.</summary>
    public bool DropOnly { get; set; }
}

/// <summary>
/// The SQLite side of the embedded runner: instances, append-only history, the inbox (messages and durable timers,
/// by visibility time) and pending activity calls. One connection behind a lock: everything lives in one process, and
/// SQLite has one writer anyway. WAL keeps readers of other processes (a CLI) off the writer's back.
/// </summary>
internal sealed class DurableStore : IDisposable
{
    readonly SqliteConnection connection;
    readonly Lock gate = new();

    DurableStore(SqliteConnection connection) => this.connection = connection;

    public static bool IsTerminal(OrchestrationRuntimeStatus status)
        => status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    public static DurableStore Open(string path, bool synchronousFull)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        // WAL: commits append to the log, readers don't block the writer. synchronous=NORMAL survives a killed
        // process (the case here); FULL also survives power loss at the price of an fsync per commit.
        Exec(connection, $"""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous={(synchronousFull ? "FULL" : "NORMAL")};
            PRAGMA busy_timeout=10000;
            CREATE TABLE IF NOT EXISTS durable_instances(
                instance_id TEXT PRIMARY KEY, name TEXT NOT NULL, execution_id TEXT NOT NULL, status INTEGER NOT NULL,
                input TEXT, output TEXT, custom_status TEXT, failure TEXT,
                created_at INTEGER NOT NULL, last_updated_at INTEGER NOT NULL,
                parent_instance_id TEXT, parent_execution_id TEXT, parent_task_id INTEGER NOT NULL DEFAULT -1, parent_name TEXT);
            CREATE INDEX IF NOT EXISTS ix_durable_instances_created ON durable_instances(created_at);
            CREATE TABLE IF NOT EXISTS durable_history(
                instance_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY(instance_id, seq)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS durable_inbox(
                id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT,
                kind INTEGER NOT NULL, visible_at INTEGER NOT NULL, event TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_durable_inbox_visible ON durable_inbox(visible_at);
            CREATE INDEX IF NOT EXISTS ix_durable_inbox_instance ON durable_inbox(instance_id);
            CREATE TABLE IF NOT EXISTS durable_activities(
                id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT NOT NULL,
                task_id INTEGER NOT NULL, name TEXT NOT NULL, input TEXT);
            CREATE INDEX IF NOT EXISTS ix_durable_activities_instance ON durable_activities(instance_id);
            """);
        return new DurableStore(connection);
    }

    public void Dispose()
    {
        lock (gate) connection.Dispose();
    }

    // ---------- client side ----------

    /// <summary>Creates a Pending instance and its ExecutionStarted message; refuses an id that is still running.</summary>
    public void Schedule(string instanceId, string name, string? input, DateTimeOffset now, DateTimeOffset? startAt)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            var existing = GetInstanceCore(instanceId, tx);
            if (existing is not null && !existing.IsTerminal)
                throw new InvalidOperationException(
                    $"An orchestration instance with ID '{instanceId}' already exists and is {existing.Status}; it cannot be scheduled again until it finishes.");
            CreateInstance(tx, instanceId, name, input, now, startAt is { } s && s > now ? s : now, null, null, -1, null);
            tx.Commit();
        }
    }

    void CreateInstance(SqliteTransaction tx, string instanceId, string name, string? input, DateTimeOffset now, DateTimeOffset visibleAt,
        string? parentId, string? parentExecutionId, int parentTaskId, string? parentName)
    {
        DeleteInstanceRows(tx, instanceId, includeInstance: true);
        var executionId = Guid.NewGuid().ToString("N");
        Exec(tx, """
            INSERT INTO durable_instances(instance_id, name, execution_id, status, input, created_at, last_updated_at,
                parent_instance_id, parent_execution_id, parent_task_id, parent_name)
            VALUES($id, $name, $exec, $status, $input, $now, $now, $pid, $pexec, $ptask, $pname)
            """,
            ("$id", instanceId), ("$name", name), ("$exec", executionId), ("$status", (int)OrchestrationRuntimeStatus.Pending),
            ("$input", input), ("$now", now.UtcTicks), ("$pid", parentId), ("$pexec", parentExecutionId), ("$ptask", parentTaskId), ("$pname", parentName));
        InsertInbox(tx, instanceId, executionId, visibleAt, new HistoryEvent(EventKind.ExecutionStarted)
        {
            Name = name, Data = input, ExecutionId = executionId,
            ParentInstanceId = parentId, ParentExecutionId = parentExecutionId, ParentName = parentName, TaskId = parentTaskId,
        });
    }

    /// <summary>Queues an event for a Pending or Running instance; returns false (and drops it) otherwise.</summary>
    public bool RaiseEvent(string instanceId, string eventName, string? data, DateTimeOffset now)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            var ok = RaiseEventCore(tx, instanceId, eventName, data, now);
            tx.Commit();
            return ok;
        }
    }

    bool RaiseEventCore(SqliteTransaction tx, string instanceId, string eventName, string? data, DateTimeOffset now)
    {
        var instance = GetInstanceCore(instanceId, tx);
        if (instance is null || instance.IsTerminal) return false;
        // An instance scheduled for later gets its events when it starts, after its ExecutionStarted.
        var startAt = Scalar(tx, "SELECT MAX(visible_at) FROM durable_inbox WHERE instance_id=$id AND kind=$k",
            ("$id", instanceId), ("$k", (int)EventKind.ExecutionStarted));
        var visibleAt = startAt is long ticks && ticks > now.UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : now;
        InsertInbox(tx, instanceId, null, visibleAt, new HistoryEvent(EventKind.EventRaised) { Name = eventName, Data = data });
        return true;
    }

    public bool Terminate(string instanceId, string? output, DateTimeOffset now)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            var instance = GetInstanceCore(instanceId, tx);
            if (instance is null || instance.IsTerminal) return false;
            InsertInbox(tx, instanceId, null, now, new HistoryEvent(EventKind.ExecutionTerminated) { Data = output });
            tx.Commit();
            return true;
        }
    }

    public InstanceRow? GetInstance(string instanceId)
    {
        lock (gate) return GetInstanceCore(instanceId, null);
    }

    const string InstanceColumns = """
        instance_id, name, execution_id, status, input, output, custom_status, failure, created_at, last_updated_at,
        parent_instance_id, parent_execution_id, parent_task_id, parent_name
        """;

    InstanceRow? GetInstanceCore(string instanceId, SqliteTransaction? tx)
    {
        using var cmd = Command(tx, $"SELECT {InstanceColumns} FROM durable_instances WHERE instance_id=$id", ("$id", instanceId));
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? ReadInstance(reader) : null;
    }

    static InstanceRow ReadInstance(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), (OrchestrationRuntimeStatus)r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : JsonSerializer.Deserialize(r.GetString(7), HistoryJson.Default.TaskFailureDetails),
        new DateTimeOffset(r.GetInt64(8), TimeSpan.Zero), new DateTimeOffset(r.GetInt64(9), TimeSpan.Zero),
        r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), r.GetInt32(12), r.IsDBNull(13) ? null : r.GetString(13));

    public List<InstanceRow> Query(OrchestrationQuery query, int offset, int limit)
    {
        var (where, args) = Filter(query.CreatedFrom, query.CreatedTo, query.Statuses, query.InstanceIdPrefix);
        lock (gate)
        {
            using var cmd = Command(null, $"SELECT {InstanceColumns} FROM durable_instances {where} ORDER BY created_at, instance_id LIMIT $limit OFFSET $offset",
                [.. args, ("$limit", limit), ("$offset", offset)]);
            using var reader = cmd.ExecuteReader();
            var rows = new List<InstanceRow>();
            while (reader.Read()) rows.Add(ReadInstance(reader));
            return rows;
        }
    }

    static (string Where, (string, object?)[] Args) Filter(DateTimeOffset? from, DateTimeOffset? to, IEnumerable<OrchestrationRuntimeStatus>? statuses, string? prefix)
    {
        var clauses = new List<string>();
        var args = new List<(string, object?)>();
        if (from is { } f) { clauses.Add("created_at >= $from"); args.Add(("$from", f.UtcTicks)); }
        if (to is { } t) { clauses.Add("created_at <= $to"); args.Add(("$to", t.UtcTicks)); }
        if (statuses is not null)
        {
            var list = statuses.Select(s => (int)s).Distinct().ToList();
            clauses.Add(list.Count == 0 ? "0" : $"status IN ({string.Join(",", list)})");
        }
        if (!string.IsNullOrEmpty(prefix))
        {
            clauses.Add("substr(instance_id, 1, length($prefix)) = $prefix");
            args.Add(("$prefix", prefix));
        }
        return (clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses), args.ToArray());
    }

    public int Purge(string instanceId)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            var instance = GetInstanceCore(instanceId, tx);
            if (instance is null || !instance.IsTerminal) return 0;
            DeleteInstanceRows(tx, instanceId, includeInstance: true);
            tx.Commit();
            return 1;
        }
    }

    public int PurgeAll(PurgeInstancesFilter filter)
    {
        var terminal = new[] { OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated };
        var statuses = filter.Statuses is null ? terminal : filter.Statuses.Where(IsTerminal).ToArray();
        var (where, args) = Filter(filter.CreatedFrom, filter.CreatedTo, statuses, null);
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            var ids = new List<string>();
            using (var cmd = Command(tx, $"SELECT instance_id FROM durable_instances {where}", args))
            using (var reader = cmd.ExecuteReader())
                while (reader.Read()) ids.Add(reader.GetString(0));
            foreach (var id in ids) DeleteInstanceRows(tx, id, includeInstance: true);
            tx.Commit();
            return ids.Count;
        }
    }

    void DeleteInstanceRows(SqliteTransaction tx, string instanceId, bool includeInstance)
    {
        Exec(tx, "DELETE FROM durable_history WHERE instance_id=$id", ("$id", instanceId));
        Exec(tx, "DELETE FROM durable_inbox WHERE instance_id=$id", ("$id", instanceId));
        Exec(tx, "DELETE FROM durable_activities WHERE instance_id=$id", ("$id", instanceId));
        if (includeInstance) Exec(tx, "DELETE FROM durable_instances WHERE instance_id=$id", ("$id", instanceId));
    }

    // ---------- dispatcher side ----------

    /// <summary>Visible inbox messages, oldest first.</summary>
    public List<InboxMessage> FetchReady(DateTimeOffset now, int limit)
    {
        lock (gate)
        {
            using var cmd = Command(null, "SELECT id, instance_id, execution_id, event FROM durable_inbox WHERE visible_at <= $now ORDER BY id LIMIT $limit",
                ("$now", now.UtcTicks), ("$limit", limit));
            using var reader = cmd.ExecuteReader();
            var list = new List<InboxMessage>();
            while (reader.Read())
                list.Add(new InboxMessage(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    JsonSerializer.Deserialize(reader.GetString(3), HistoryJson.Default.HistoryEvent)!));
            return list;
        }
    }

    /// <summary>When the next message (usually a durable timer) becomes visible; null when the inbox is empty.</summary>
    public DateTimeOffset? NextVisibleAt()
    {
        lock (gate)
            return Scalar(null, "SELECT MIN(visible_at) FROM durable_inbox") is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    public List<HistoryEvent> LoadHistory(string instanceId)
    {
        lock (gate)
        {
            using var cmd = Command(null, "SELECT event FROM durable_history WHERE instance_id=$id ORDER BY seq", ("$id", instanceId));
            using var reader = cmd.ExecuteReader();
            var list = new List<HistoryEvent>();
            while (reader.Read()) list.Add(JsonSerializer.Deserialize(reader.GetString(0), HistoryJson.Default.HistoryEvent)!);
            return list;
        }
    }

    public List<ActivityWorkItem> LoadActivities()
    {
        lock (gate)
        {
            using var cmd = Command(null, "SELECT id, instance_id, execution_id, task_id, name, input FROM durable_activities ORDER BY id");
            using var reader = cmd.ExecuteReader();
            var list = new List<ActivityWorkItem>();
            while (reader.Read())
                list.Add(new ActivityWorkItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            return list;
        }
    }

    /// <summary>
    /// Commits a batch of episodes in one transaction: consumed messages leave the inbox as their history is appended,
    /// new activity calls, timers and messages are written, instance rows updated. Returns the new activity work items.
    /// </summary>
    public List<ActivityWorkItem> CommitEpisodes(IReadOnlyList<EpisodeCommit> episodes, DateTimeOffset now)
    {
        var scheduled = new List<ActivityWorkItem>();
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            using var deleteInbox = Command(tx, "DELETE FROM durable_inbox WHERE id=$id", ("$id", 0L));
            using var deleteActivity = Command(tx, "DELETE FROM durable_activities WHERE id=$id", ("$id", 0L));
            using var appendHistory = Command(tx, "INSERT INTO durable_history(instance_id, seq, event) VALUES($id, $seq, $event)",
                ("$id", ""), ("$seq", 0), ("$event", ""));
            using var insertActivity = Command(tx, """
                INSERT INTO durable_activities(instance_id, execution_id, task_id, name, input) VALUES($id, $exec, $task, $name, $input) RETURNING id
                """, ("$id", ""), ("$exec", ""), ("$task", 0), ("$name", ""), ("$input", null));
            foreach (var e in episodes)
            {
                foreach (var id in e.ConsumedInboxIds)
                {
                    deleteInbox.Parameters["$id"].Value = id;
                    deleteInbox.ExecuteNonQuery();
                }
                foreach (var id in e.CompletedActivityIds)
                {
                    deleteActivity.Parameters["$id"].Value = id;
                    deleteActivity.ExecuteNonQuery();
                }
                if (e.DropOnly) continue;

                for (var i = 0; i < e.Append.Count; i++)
                {
                    appendHistory.Parameters["$id"].Value = e.InstanceId;
                    appendHistory.Parameters["$seq"].Value = e.FirstSeq + i;
                    appendHistory.Parameters["$event"].Value = JsonSerializer.Serialize(e.Append[i], HistoryJson.Default.HistoryEvent);
                    appendHistory.ExecuteNonQuery();
                }
                foreach (var a in e.Activities)
                {
                    insertActivity.Parameters["$id"].Value = e.InstanceId;
                    insertActivity.Parameters["$exec"].Value = e.ExecutionId;
                    insertActivity.Parameters["$task"].Value = a.TaskId;
                    insertActivity.Parameters["$name"].Value = a.Name;
                    insertActivity.Parameters["$input"].Value = (object?)a.Data ?? DBNull.Value;
                    var id = (long)insertActivity.ExecuteScalar()!;
                    scheduled.Add(new ActivityWorkItem(id, e.InstanceId, e.ExecutionId, a.TaskId, a.Name!, a.Data));
                }
                foreach (var m in e.Messages) InsertInbox(tx, m.InstanceId, m.ExecutionId, m.VisibleAt, m.Event);
                foreach (var sent in e.SentEvents) RaiseEventCore(tx, sent.InstanceId!, sent.Name!, sent.Data, now);
                foreach (var (created, parentName) in e.Children)
                {
                    var child = GetInstanceCore(created.InstanceId!, tx);
                    if (child is not null && !child.IsTerminal)
                        InsertInbox(tx, e.InstanceId, e.ExecutionId, now, new HistoryEvent(EventKind.SubOrchestrationFailed)
                        {
                            TaskId = created.TaskId,
                            Failure = new TaskFailureDetails(typeof(InvalidOperationException).FullName!,
                                $"An orchestration instance with ID '{created.InstanceId}' already exists and is {child.Status}.", null, null),
                        });
                    else
                        CreateInstance(tx, created.InstanceId!, created.Name!, created.Data, now, now, e.InstanceId, e.ExecutionId, created.TaskId, parentName);
                }

                if (e.ContinueAsNew is { } next)
                {
                    Exec(tx, "DELETE FROM durable_history WHERE instance_id=$id", ("$id", e.InstanceId));
                    Exec(tx, "DELETE FROM durable_inbox WHERE instance_id=$id AND execution_id=$exec", ("$id", e.InstanceId), ("$exec", e.ExecutionId));
                    Exec(tx, "DELETE FROM durable_activities WHERE instance_id=$id", ("$id", e.InstanceId));
                    Exec(tx, """
                        UPDATE durable_instances SET execution_id=$exec, status=$status, input=$input, output=NULL, failure=NULL,
                            custom_status=CASE WHEN $setcs THEN $cs ELSE custom_status END, last_updated_at=$now WHERE instance_id=$id
                        """, ("$id", e.InstanceId), ("$exec", next.ExecutionId), ("$status", (int)OrchestrationRuntimeStatus.Running),
                        ("$input", next.Input), ("$setcs", e.CustomStatusChanged), ("$cs", e.CustomStatus), ("$now", now.UtcTicks));
                    var instance = GetInstanceCore(e.InstanceId, tx)!;
                    InsertInbox(tx, e.InstanceId, next.ExecutionId, now, new HistoryEvent(EventKind.ExecutionStarted)
                    {
                        Name = instance.Name, Data = next.Input, ExecutionId = next.ExecutionId,
                        ParentInstanceId = instance.ParentInstanceId, ParentExecutionId = instance.ParentExecutionId, TaskId = instance.ParentTaskId,
                    });
                    foreach (var carried in next.Carried) InsertInbox(tx, e.InstanceId, null, now, carried);
                    continue;
                }

                var terminal = IsTerminal(e.Status);
                if (terminal)
                {
                    Exec(tx, "DELETE FROM durable_inbox WHERE instance_id=$id", ("$id", e.InstanceId));
                    Exec(tx, "DELETE FROM durable_activities WHERE instance_id=$id", ("$id", e.InstanceId));
                }
                Exec(tx, """
                    UPDATE durable_instances SET status=$status, last_updated_at=$now,
                        custom_status=CASE WHEN $setcs THEN $cs ELSE custom_status END,
                        output=CASE WHEN $terminal THEN $output ELSE output END,
                        failure=CASE WHEN $terminal THEN $failure ELSE failure END
                    WHERE instance_id=$id
                    """, ("$id", e.InstanceId), ("$status", (int)e.Status), ("$now", now.UtcTicks), ("$setcs", e.CustomStatusChanged),
                    ("$cs", e.CustomStatus), ("$terminal", terminal), ("$output", e.Output),
                    ("$failure", e.Failure is null ? null : JsonSerializer.Serialize(e.Failure, HistoryJson.Default.TaskFailureDetails)));
            }
            tx.Commit();
        }
        return scheduled;
    }

    /// <summary>
    /// Records finished activity calls outside an episode (at shutdown): each work item leaves the table and its
    /// TaskCompleted/TaskFailed message enters the instance's inbox in the same transaction, so a result is never lost
    /// nor delivered twice. Results of calls whose work item is gone are dropped.
    /// </summary>
    public int CompleteActivities(IReadOnlyList<(ActivityWorkItem Item, HistoryEvent Result)> results, DateTimeOffset now)
    {
        var delivered = 0;
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            using var delete = Command(tx, "DELETE FROM durable_activities WHERE id=$id", ("$id", 0L));
            foreach (var (item, result) in results)
            {
                delete.Parameters["$id"].Value = item.Id;
                if (delete.ExecuteNonQuery() == 0) continue;
                InsertInbox(tx, item.InstanceId, item.ExecutionId, now, result);
                delivered++;
            }
            tx.Commit();
        }
        return delivered;
    }

    // ---------- helpers ----------

    void InsertInbox(SqliteTransaction tx, string instanceId, string? executionId, DateTimeOffset visibleAt, HistoryEvent ev)
        => Exec(tx, "INSERT INTO durable_inbox(instance_id, execution_id, kind, visible_at, event) VALUES($id, $exec, $kind, $visible, $event)",
            ("$id", instanceId), ("$exec", executionId), ("$kind", (int)ev.Kind), ("$visible", visibleAt.UtcTicks),
            ("$event", JsonSerializer.Serialize(ev, HistoryJson.Default.HistoryEvent)));

    SqliteCommand Command(SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    void Exec(SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(tx, sql, args);
        cmd.ExecuteNonQuery();
    }

    object? Scalar(SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(tx, sql, args);
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    static void Exec(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
