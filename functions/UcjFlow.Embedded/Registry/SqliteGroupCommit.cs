using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace UcjFlow.Embedded.Registry;

/// <summary>
/// The one writer of a <see cref="SqliteEnrollmentRegistry"/>: the write transactions asked for while one runs are run
/// next, together, each in a savepoint of one <c>BEGIN IMMEDIATE … COMMIT</c> (group commit), on one connection kept
/// open with a large page cache. Why: SQLite has one writer at a time, and in a burst of approvals (issue 11.1, the
/// intake benchmark: 158 villages) each commit paid an fsync of the log and each approval rewrote hundreds of pages of the
/// NIK indexes that the next approval of the same kecamatan rewrote again, while the others waited in line.
/// Each caller's task ends only after the commit that holds its work, so nothing is reported written that is not. A
/// work that throws is rolled back to its savepoint and gets its exception; the others of its group stand. Should SQLite
/// end the whole transaction (a full disk, an I/O error), the work that hit it gets the error and the others of the group
/// run again in the next one, as a retried transaction would.
/// </summary>
internal sealed class SqliteGroupCommit : IAsyncDisposable
{
    // Enough to take a burst of a regency's approvals in a few commits, few enough that a group ends in well under a second.
    const int MaxGroup = 64;

    // Writers of this process on one file (every registry instance opened on it, e.g. a test's reopened one) queue here, in
    // order, before BEGIN IMMEDIATE: left to SQLite's busy handler they would block threads sleeping in steps of up to
    // 100 ms while the lock may already be free. Other processes on the file still meet on the busy timeout.
    static readonly ConcurrentDictionary<string, SemaphoreSlim> Turns = new(StringComparer.Ordinal);

    readonly Func<CancellationToken, Task<SqliteConnection>> _connect;
    readonly SemaphoreSlim _turn;
    readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    readonly Lock _start = new();
    readonly List<Work> _again = [];
    Task? _loop;
    SqliteConnection? _connection;

    public SqliteGroupCommit(string path, Func<CancellationToken, Task<SqliteConnection>> connect)
    {
        _connect = connect;
        _turn = Turns.GetOrAdd(Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction; the task ends once that transaction is committed.</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public Task<T> RunAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        var item = new Work<T>(work, ct);
        lock (_start)
        {
            // The loop must not carry the first caller's ambient state (activity, log scopes) into every later write.
            using (ExecutionContext.SuppressFlow()) _loop ??= Task.Run(LoopAsync);
        }
        if (!_queue.Writer.TryWrite(item)) throw new ObjectDisposedException(nameof(SqliteEnrollmentRegistry));
        return item.Task;
    }

    async Task LoopAsync()
    {
        var group = new List<Work>();
        while (_again.Count > 0 || await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.AddRange(_again);
            _again.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var next)) group.Add(next);
            group.RemoveAll(w => w.Task.IsCompleted); // given up while queued
            try
            {
                if (group.Count > 0) await RunGroupAsync(group).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Never leave a caller waiting: whatever escaped fails its group, and the loop goes on.
                foreach (var work in group) work.Fail(e);
                _again.Clear();
            }
            group.Clear();
        }
    }

    async Task RunGroupAsync(List<Work> group)
    {
        var done = new List<Work>(group.Count);
        try
        {
            await _turn.WaitAsync().ConfigureAwait(false);
            try
            {
                var connection = _connection ??= await _connect(CancellationToken.None).ConfigureAwait(false);
                await using var tx = connection.BeginTransaction(deferred: false);
                for (var i = 0; i < group.Count; i++)
                {
                    var work = group[i];
                    if (!work.Start()) continue; // given up while earlier works of its group ran
                    tx.Save("work");
                    try
                    {
                        await work.RunAsync(tx).ConfigureAwait(false);
                        tx.Release("work");
                        done.Add(work);
                    }
                    catch (Exception e) when (raw.sqlite3_get_autocommit(connection.Handle) == 0)
                    {
                        // The transaction stands: only this work is undone.
                        tx.Rollback("work");
                        tx.Release("work");
                        work.Fail(e);
                    }
                    catch (Exception e)
                    {
                        // SQLite ended the whole transaction: the others run again in a fresh one.
                        work.Fail(e);
                        _again.AddRange(done.Where(w => w.Retry()));
                        _again.AddRange(group.Skip(i + 1));
                        done.Clear();
                        return;
                    }
                }
                await tx.CommitAsync().ConfigureAwait(false);
            }
            finally
            {
                _turn.Release();
            }
        }
        catch (Exception e)
        {
            // BEGIN or COMMIT failed: none of the group is written. A fresh connection for the next group.
            foreach (var work in group) work.Fail(e);
            _again.Clear();
            if (_connection is { } broken)
            {
                _connection = null;
                try { await broken.DisposeAsync().ConfigureAwait(false); }
                catch (Exception) { /* already failed: the next group opens its own */ }
            }
            return;
        }
        foreach (var work in done) work.Complete();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_start) loop = _loop;
        if (loop is not null) await loop.ConfigureAwait(false);
        if (_connection is { } connection) await connection.DisposeAsync().ConfigureAwait(false);
    }

    abstract class Work
    {
        int _attempts;

        public abstract Task Task { get; }
        public abstract Task RunAsync(DbTransaction tx);
        public abstract void Complete();
        public abstract void Fail(Exception e);

        /// <summary>False when the caller gave up while the work was queued; from here on its token no longer ends the wait.</summary>
        public abstract bool Start();

        /// <summary>True while this work may run again after its group's transaction was lost (three runs at most).</summary>
        public bool Retry()
        {
            if (++_attempts < 3) return true;
            Fail(new SqliteException("The registry's write transaction was ended by SQLite three times.", raw.SQLITE_ABORT));
            return false;
        }
    }

    sealed class Work<T> : Work
    {
        readonly Func<DbTransaction, Task<T>> work;
        readonly CancellationToken ct;
        readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // While queued, the caller's token ends its wait; once running, the work is committed or failed, never abandoned.
        CancellationTokenRegistration _queued;
        T _result = default!;

        public Work(Func<DbTransaction, Task<T>> work, CancellationToken ct)
        {
            this.work = work;
            this.ct = ct;
            _queued = ct.Register(static w => ((Work<T>)w!)._done.TrySetCanceled(((Work<T>)w!).ct), this);
        }

        public override Task<T> Task => _done.Task;

        public override async Task RunAsync(DbTransaction tx) => _result = await work(tx).ConfigureAwait(false);
        public override void Complete() => _done.TrySetResult(_result);

        public override void Fail(Exception e)
        {
            if (e is OperationCanceledException && ct.IsCancellationRequested) _done.TrySetCanceled(ct);
            else _done.TrySetException(e);
        }

        public override bool Start()
        {
            _queued.Dispose();
            return !_done.Task.IsCompleted;
        }
    }
}
