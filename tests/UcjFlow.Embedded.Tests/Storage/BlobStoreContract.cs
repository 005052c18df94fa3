using System.Security.Cryptography;
using System.Text;
using UcjFlow.Core.Storage;

namespace UcjFlow.Tests.Storage;

/// <summary>
/// Everything <see cref="IBlobStore"/> promises, run against every store by the subclasses: the folder store
/// (UcjFlow.Embedded.Tests) and the Azure blob store on Azurite (UcjFlow.Functions.Tests, which compiles this file too).
/// Each test class instance gets an empty store; the three container names are the subclass's, so a store shared by
/// several tests (Azurite) can give each test containers of its own.
/// </summary>
public abstract class BlobStoreContract : IAsyncLifetime
{
    private IBlobStore? _store;

    protected IBlobStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>The containers the tests write to: the real names in the folder store, names of the test's own on Azurite.</summary>
    protected virtual string Uploads => BlobContainers.Uploads;
    protected virtual string Reports => BlobContainers.Reports;
    protected virtual string Exports => BlobContainers.Exports;

    /// <summary>A store with none of the three containers in it yet.</summary>
    protected abstract Task<IBlobStore> OpenStoreAsync();

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static MemoryStream Bytes(string s) => new(Encoding.UTF8.GetBytes(s));

    /// <summary>The whole listing (System.Linq.Async and .NET's own AsyncEnumerable both offer ToListAsync in the Functions tests).</summary>
    protected async Task<List<BlobProperties>> ListAsync(string container, string prefix = "")
    {
        var list = new List<BlobProperties>();
        await foreach (var blob in Store.ListAsync(container, prefix)) list.Add(blob);
        return list;
    }

    protected async Task<string> ReadAllAsync(string container, string name)
    {
        await using var s = await Store.OpenReadAsync(container, name);
        using var r = new StreamReader(s);
        return await r.ReadToEndAsync();
    }

    // ---- write and read ----

    [Fact]
    public async Task Write_then_read_back()
    {
        await Store.WriteAsync(Uploads, "1503/150301/1503012001/roster.csv", Bytes("NIK;Nama"));
        await Store.WriteAsync(Reports, "empty.json", new MemoryStream());

        Assert.Equal("NIK;Nama", await ReadAllAsync(Uploads, "1503/150301/1503012001/roster.csv"));
        Assert.Equal("", await ReadAllAsync(Reports, "empty.json"));
        Assert.True(await Store.ExistsAsync(Uploads, "1503/150301/1503012001/roster.csv"));
        Assert.True(await Store.ExistsAsync(Reports, "empty.json"));
        Assert.False(await Store.ExistsAsync(Uploads, "1503/150301/1503012001/other.csv"));
        Assert.False(await Store.ExistsAsync(Uploads, "1503/150301"));
        Assert.False(await Store.ExistsAsync(Exports, "never/written.xlsx"));
    }

    [Fact]
    public async Task A_streaming_writer_fills_a_seekable_stream()
    {
        await Store.WriteAsync(Exports, "batch-1/export.csv", async (s, ct) =>
        {
            Assert.True(s.CanSeek);
            await s.WriteAsync("xxxxNama"u8.ToArray(), ct);
            s.Position = 0; // writers such as OpenXML go back to patch what they wrote
            await s.WriteAsync("NIK;"u8.ToArray(), ct);
            s.Seek(0, SeekOrigin.End);
            await s.WriteAsync("\n1"u8.ToArray(), ct);
        });

        Assert.Equal("NIK;Nama\n1", await ReadAllAsync(Exports, "batch-1/export.csv"));
    }

    [Fact]
    public async Task Overwrite_replaces_the_whole_content()
    {
        await Store.WriteAsync(Reports, "coverage/latest.json", Bytes("{\"version\":1,\"long\":true}"));
        await Store.WriteAsync(Reports, "coverage/latest.json", Bytes("{\"v\":2}"));
        Assert.Equal("{\"v\":2}", await ReadAllAsync(Reports, "coverage/latest.json"));
        Assert.Equal(7, (await Store.GetPropertiesAsync(Reports, "coverage/latest.json"))!.Length);

        await Store.WriteAsync(Reports, "coverage/latest.json", (s, ct) => s.WriteAsync("{\"v\":3}"u8.ToArray(), ct).AsTask());
        Assert.Equal("{\"v\":3}", await ReadAllAsync(Reports, "coverage/latest.json"));
        Assert.Single(await ListAsync(Reports));
    }

    // ---- atomic replace ----

    [Fact]
    public async Task While_a_write_is_under_way_readers_see_the_old_blob_whole()
    {
        const string name = "coverage/latest.json";
        await Store.WriteAsync(Reports, name, Bytes(new string('a', 100_000)));

        await Store.WriteAsync(Reports, name, async (s, ct) =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes(new string('b', 50_000)), ct);
            await s.FlushAsync(ct);
            // Half written: nothing of it may show yet.
            Assert.Equal(new string('a', 100_000), await ReadAllAsync(Reports, name));
            Assert.Equal(100_000, (await Store.GetPropertiesAsync(Reports, name, withHash: true))!.Length);
            Assert.Equal([100_000L], (await ListAsync(Reports)).Select(b => b.Length));
            await s.WriteAsync(Encoding.ASCII.GetBytes(new string('b', 50_000)), ct);
        });

        Assert.Equal(new string('b', 100_000), await ReadAllAsync(Reports, name));
    }

    [Fact]
    public async Task A_reader_never_sees_a_half_written_blob()
    {
        const string name = "coverage/latest.json";
        await Store.WriteAsync(Reports, name, Bytes(new string('a', 100_000)));
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 40 && !stop.IsCancellationRequested; i++)
            {
                var ch = (char)('b' + i % 20);
                // A slow writer: many small chunks, each flushed, so a non-atomic store would expose partial blobs.
                await Store.WriteAsync(Reports, name, async (s, ct) =>
                {
                    var chunk = Encoding.ASCII.GetBytes(new string(ch, 1000));
                    for (var k = 0; k < 100; k++)
                    {
                        await s.WriteAsync(chunk, ct);
                        await s.FlushAsync(ct);
                    }
                });
            }
        });
        var reads = 0;
        try
        {
            while (!writer.IsCompleted || reads == 0)
            {
                var text = await ReadAllAsync(Reports, name);
                Assert.Equal(100_000, text.Length);
                Assert.True(text.All(c => c == text[0]), "a blob mixed two writes");
                reads++;
            }
        }
        finally
        {
            await StopAsync(stop, writer);
        }
        await writer;
    }

    [Fact]
    public async Task A_reader_opened_before_a_replace_reads_the_old_blob_whole()
    {
        // Larger than the chunks a store might read in (Azure's OpenRead reads 4 MiB at a time).
        const int size = 9 * 1024 * 1024;
        await Store.WriteAsync(Uploads, "big.csv", new MemoryStream(Filled((byte)'a', size)));

        await using var reader = await Store.OpenReadAsync(Uploads, "big.csv");
        var head = new byte[1000];
        await reader.ReadExactlyAsync(head);
        await Store.WriteAsync(Uploads, "big.csv", new MemoryStream(Filled((byte)'b', size)));
        using var rest = new MemoryStream();
        await reader.CopyToAsync(rest);

        Assert.Equal(size - head.Length, rest.Length);
        Assert.True(head.All(b => b == 'a') && rest.ToArray().All(b => b == 'a'), "the reader mixed the old and the new blob");
        Assert.Equal(size, (await Store.GetPropertiesAsync(Uploads, "big.csv"))!.Length);
        Assert.Equal('b', (await ReadAllAsync(Uploads, "big.csv"))[0]);
    }

    [Fact]
    public async Task A_failing_writer_publishes_nothing()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteAsync(Exports, "batch-1/export.xlsx", async (s, ct) =>
        {
            await s.WriteAsync(new byte[10], ct);
            throw new InvalidOperationException("boom");
        }));

        Assert.False(await Store.ExistsAsync(Exports, "batch-1/export.xlsx"));
        Assert.Empty(await ListAsync(Exports));
    }

    [Fact]
    public async Task A_failing_writer_leaves_the_previous_blob_as_it_was()
    {
        await Store.WriteAsync(Exports, "batch-1/export.csv", Bytes("old"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteAsync(Exports, "batch-1/export.csv", async (s, ct) =>
        {
            await s.WriteAsync(new byte[10], ct);
            throw new InvalidOperationException("boom");
        }));
        await Assert.ThrowsAsync<IOException>(() => Store.WriteAsync(Exports, "batch-1/export.csv", new FailingStream(Filled(1, 10_000))));

        Assert.Equal("old", await ReadAllAsync(Exports, "batch-1/export.csv"));
    }

    [Fact]
    public async Task Properties_with_hash_describe_one_version_while_the_blob_is_replaced()
    {
        const string name = "1503/150301/1503012001/roster.xlsx";
        byte[][] versions = [Filled((byte)'a', 300_000), Filled((byte)'b', 100_000)];
        var expected = versions.Select(v => (long)v.Length + ":" + Convert.ToHexStringLower(SHA256.HashData(v))).ToHashSet();
        await Store.WriteAsync(Uploads, name, new MemoryStream(versions[0]));
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 1; !stop.IsCancellationRequested; i++)
                await Store.WriteAsync(Uploads, name, new MemoryStream(versions[i % 2]));
        });
        try
        {
            for (var i = 0; i < 60; i++)
            {
                var p = await Store.GetPropertiesAsync(Uploads, name, withHash: true);
                Assert.Contains(p!.Length + ":" + p.ContentHash, expected);
            }
        }
        finally
        {
            await StopAsync(stop, writer);
        }
        await writer;
    }

    /// <summary>Stops a background writer and waits for it whatever happened, so it never outlives its test's store.</summary>
    private static async Task StopAsync(CancellationTokenSource stop, Task writer)
    {
        await stop.CancelAsync();
        await writer.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    // ---- list ----

    [Fact]
    public async Task List_by_prefix_in_ordinal_name_order()
    {
        string[] names =
        [
            "1503/150301/1503012002/b.xlsx", "1503/150301/1503012001/a.csv", "1503/150302/1503022001/c.csv", "1504/150401/1504012001/d.csv",
            "1503/150301/1503012001/B.csv", "1503/150301/1503012001/a-b.csv", "1503/150301/1503012001/a_b.csv", "1503/150301/1503012001/é.csv",
            "1503/150301/1503012001/z.csv", "1503/150301/1503012001/A.csv", "15030.csv",
        ];
        foreach (var n in names)
            await Store.WriteAsync(Uploads, n, Bytes(n));

        var all = await ListAsync(Uploads);
        var village = await ListAsync(Uploads, "1503/150301/1503012001/");
        var partial = await ListAsync(Uploads, "1503/15030");
        var noSlash = await ListAsync(Uploads, "15030");
        var none = await ListAsync(Uploads, "1505/");

        var ordinal = names.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ordinal, all.Select(b => b.Name));
        Assert.Equal(
            ["1503/150301/1503012001/A.csv", "1503/150301/1503012001/B.csv", "1503/150301/1503012001/a-b.csv", "1503/150301/1503012001/a.csv",
             "1503/150301/1503012001/a_b.csv", "1503/150301/1503012001/z.csv", "1503/150301/1503012001/é.csv"],
            village.Select(b => b.Name));
        Assert.Equal(ordinal.Where(n => n.StartsWith("1503/15030", StringComparison.Ordinal)), partial.Select(b => b.Name));
        Assert.Equal(ordinal.Where(n => n.StartsWith("15030", StringComparison.Ordinal)), noSlash.Select(b => b.Name));
        Assert.Empty(none);
        Assert.All(all, b =>
        {
            Assert.Equal(Uploads, b.Container);
            Assert.Equal(Encoding.UTF8.GetByteCount(b.Name), b.Length);
            Assert.Null(b.ContentHash);
        });
    }

    [Fact]
    public async Task List_carries_length_and_last_modified()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        await Store.WriteAsync(Reports, "r/1.json", Bytes("hello"));
        var after = DateTimeOffset.UtcNow.AddSeconds(2);

        var listed = Assert.Single(await ListAsync(Reports, "r/"));
        var properties = await Store.GetPropertiesAsync(Reports, "r/1.json");

        Assert.Equal(5, listed.Length);
        Assert.InRange(listed.LastModified, before, after);
        Assert.Equal(properties!.LastModified, listed.LastModified);
    }

    [Fact]
    public async Task Listing_a_container_that_was_never_written_is_empty()
    {
        Assert.Empty(await ListAsync(Exports));
        Assert.Empty(await ListAsync(Exports, "batch-1/"));
    }

    // ---- properties, delete, not found ----

    [Fact]
    public async Task Properties_with_and_without_hash()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        await Store.WriteAsync(Reports, "r/1.json", Bytes("hello"));
        var after = DateTimeOffset.UtcNow.AddSeconds(2);

        var plain = await Store.GetPropertiesAsync(Reports, "r/1.json");
        var hashed = await Store.GetPropertiesAsync(Reports, "r/1.json", withHash: true);

        Assert.NotNull(plain);
        Assert.Equal(Reports, plain.Container);
        Assert.Equal("r/1.json", plain.Name);
        Assert.Equal(5, plain.Length);
        Assert.Null(plain.ContentHash);
        Assert.InRange(plain.LastModified, before, after);
        Assert.Equal(plain with { ContentHash = Convert.ToHexStringLower(SHA256.HashData("hello"u8)) }, hashed);
        Assert.Null(await Store.GetPropertiesAsync(Reports, "r/2.json"));
        Assert.Null(await Store.GetPropertiesAsync(Reports, "r/2.json", withHash: true));
        Assert.Null(await Store.GetPropertiesAsync(Exports, "r/1.json", withHash: true));
    }

    [Fact]
    public async Task Delete_removes_the_blob_once()
    {
        await Store.WriteAsync(Reports, "r/1.json", Bytes("hello"));
        await Store.WriteAsync(Reports, "r/2.json", Bytes("stays"));

        Assert.True(await Store.DeleteAsync(Reports, "r/1.json"));
        Assert.False(await Store.DeleteAsync(Reports, "r/1.json"));
        Assert.False(await Store.DeleteAsync(Exports, "r/1.json"));

        Assert.False(await Store.ExistsAsync(Reports, "r/1.json"));
        Assert.Null(await Store.GetPropertiesAsync(Reports, "r/1.json"));
        Assert.Equal(["r/2.json"], (await ListAsync(Reports)).Select(b => b.Name));
        Assert.Equal("stays", await ReadAllAsync(Reports, "r/2.json"));
    }

    [Fact]
    public async Task Reading_a_missing_blob_throws_blob_not_found()
    {
        await Store.WriteAsync(Reports, "r/1.json", Bytes("hello"));

        var missing = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(Reports, "r/2.json"));
        var noContainer = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(Exports, "batch-1/export.csv"));

        Assert.Equal((Reports, "r/2.json"), (missing.Container, missing.Name));
        Assert.Equal((Exports, "batch-1/export.csv"), (noContainer.Container, noContainer.Name));
    }

    // ---- names ----

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("a/../../secret.txt")]
    [InlineData("a/./b.txt")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a\\..\\b.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b.txt")]
    [InlineData("a/")]
    [InlineData("c:/x.txt")]
    [InlineData("a\nb.txt")]
    [InlineData("")]
    public async Task Path_traversal_and_odd_names_are_refused(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(Uploads, name, Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(Uploads, name, (s, ct) => s.WriteAsync(new byte[1], ct).AsTask()));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(Uploads, name));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(Uploads, name));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(Uploads, name));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetPropertiesAsync(Uploads, name, withHash: true));
        Assert.Empty(await ListAsync(Uploads));
        await AssertNothingLeftTheStoreAsync();
    }

    [Fact]
    public async Task A_name_longer_than_1024_characters_is_refused()
    {
        // Ten 99-character folders (no file system takes a 1024-character file name), then the rest.
        var folders = string.Concat(Enumerable.Repeat(new string('n', 99) + "/", 10));
        var longest = folders + new string('n', 1024 - folders.Length);

        await Store.WriteAsync(Uploads, longest, Bytes("x"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(Uploads, longest + "n", Bytes("x")));

        Assert.Equal([longest], (await ListAsync(Uploads)).Select(b => b.Name));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".tmp")]
    [InlineData("Uploads")]
    [InlineData("a/b")]
    [InlineData("up")]
    [InlineData("")]
    public async Task Bad_container_names_are_refused(string container)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(container, "x.txt", Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(container, "x.txt"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(container, "x.txt"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await ListAsync(container));
        await AssertNothingLeftTheStoreAsync();
    }

    /// <summary>A store-specific look for anything a refused name may have created outside its container.</summary>
    protected virtual Task AssertNothingLeftTheStoreAsync() => Task.CompletedTask;

    protected static byte[] Filled(byte value, int length)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }

    /// <summary>Content that breaks down half-way, as an upload whose client disconnects.</summary>
    private sealed class FailingStream(byte[] head) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= head.Length) throw new IOException("The client went away.");
            var n = Math.Min(count, head.Length - _position);
            Array.Copy(head, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
