using System.Security.Cryptography;
using System.Text;
using UcjFlow.Core.Storage;
using UcjFlow.Embedded.Storage;

namespace UcjFlow.Embedded.Tests.Storage;

public sealed class FolderBlobStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ucj-blob-" + Guid.NewGuid().ToString("N"));
    private readonly FolderBlobStore _store;

    public FolderBlobStoreTests() => _store = new FolderBlobStore(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static MemoryStream Bytes(string s) => new(Encoding.UTF8.GetBytes(s));

    private async Task<string> ReadAll(string container, string name)
    {
        await using var s = await _store.OpenReadAsync(container, name);
        using var r = new StreamReader(s);
        return await r.ReadToEndAsync();
    }

    [Fact]
    public async Task Write_then_read_back_with_sub_paths_as_folders()
    {
        await _store.WriteAsync(BlobContainers.Uploads, "1503/150301/1503012001/roster.csv", Bytes("NIK;Nama"));

        Assert.Equal("NIK;Nama", await ReadAll(BlobContainers.Uploads, "1503/150301/1503012001/roster.csv"));
        Assert.True(File.Exists(Path.Combine(_root, "uploads", "1503", "150301", "1503012001", "roster.csv")));
        Assert.True(await _store.ExistsAsync(BlobContainers.Uploads, "1503/150301/1503012001/roster.csv"));
        Assert.False(await _store.ExistsAsync(BlobContainers.Uploads, "1503/150301/1503012001/other.csv"));
    }

    [Fact]
    public async Task Overwrite_replaces_content_and_leaves_no_temp_files()
    {
        await _store.WriteAsync(BlobContainers.Reports, "coverage/latest.json", Bytes("{\"v\":1}"));
        await _store.WriteAsync(BlobContainers.Reports, "coverage/latest.json", Bytes("{\"v\":2}"));

        Assert.Equal("{\"v\":2}", await ReadAll(BlobContainers.Reports, "coverage/latest.json"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".tmp")));
    }

    [Fact]
    public async Task A_reader_never_sees_a_half_written_blob()
    {
        const string name = "coverage/latest.json";
        await _store.WriteAsync(BlobContainers.Reports, name, Bytes(new string('a', 100_000)));
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var ch = (char)('b' + i % 20);
                // A slow writer: many small chunks, so a non-atomic store would expose partial files.
                await _store.WriteAsync(BlobContainers.Reports, name, async (s, ct) =>
                {
                    var chunk = Encoding.ASCII.GetBytes(new string(ch, 1000));
                    for (var k = 0; k < 100; k++) await s.WriteAsync(chunk, ct);
                });
            }
        });
        var reads = 0;
        while (!writer.IsCompleted || reads == 0)
        {
            var text = await ReadAll(BlobContainers.Reports, name);
            Assert.Equal(100_000, text.Length);
            Assert.True(text.All(c => c == text[0]), "a blob mixed two writes");
            reads++;
        }
        await writer;
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task A_failing_writer_publishes_nothing()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.WriteAsync(BlobContainers.Exports, "batch-1/export.xlsx", async (s, ct) =>
        {
            await s.WriteAsync(new byte[10], ct);
            throw new InvalidOperationException("boom");
        }));

        Assert.False(await _store.ExistsAsync(BlobContainers.Exports, "batch-1/export.xlsx"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".tmp")));
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("a/../../secret.txt")]
    [InlineData("a/./b.txt")]
    [InlineData("..")]
    [InlineData("a\\..\\b.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b.txt")]
    [InlineData("c:/x.txt")]
    [InlineData("")]
    public async Task Path_traversal_and_odd_names_are_refused(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.WriteAsync(BlobContainers.Uploads, name, Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(BlobContainers.Uploads, name));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.ExistsAsync(BlobContainers.Uploads, name));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeleteAsync(BlobContainers.Uploads, name));
        Assert.False(File.Exists(Path.Combine(_root, "secret.txt")));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".tmp")]
    [InlineData("Uploads")]
    [InlineData("a/b")]
    public async Task Bad_container_names_are_refused(string container)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.WriteAsync(container, "x.txt", Bytes("x")));
    }

    [Fact]
    public async Task List_by_prefix_in_name_order()
    {
        foreach (var n in new[] { "1503/150301/1503012002/b.xlsx", "1503/150301/1503012001/a.csv", "1503/150302/1503022001/c.csv", "1504/150401/1504012001/d.csv" })
            await _store.WriteAsync(BlobContainers.Uploads, n, Bytes(n));

        var all = await _store.ListAsync(BlobContainers.Uploads).ToListAsync();
        var district = await _store.ListAsync(BlobContainers.Uploads, "1503/150301/").ToListAsync();
        var partial = await _store.ListAsync(BlobContainers.Uploads, "1503/15030").ToListAsync();
        var none = await _store.ListAsync(BlobContainers.Reports, "x").ToListAsync();

        Assert.Equal(["1503/150301/1503012001/a.csv", "1503/150301/1503012002/b.xlsx", "1503/150302/1503022001/c.csv", "1504/150401/1504012001/d.csv"], all.Select(b => b.Name));
        Assert.Equal(["1503/150301/1503012001/a.csv", "1503/150301/1503012002/b.xlsx"], district.Select(b => b.Name));
        Assert.Equal(3, partial.Count);
        Assert.Empty(none);
        Assert.Equal("1503/150301/1503012001/a.csv".Length, all[0].Length);
        Assert.All(all, b => Assert.Equal(BlobContainers.Uploads, b.Container));
    }

    [Fact]
    public async Task Properties_and_delete()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        await _store.WriteAsync(BlobContainers.Reports, "r/1.json", Bytes("hello"));

        var plain = await _store.GetPropertiesAsync(BlobContainers.Reports, "r/1.json");
        var hashed = await _store.GetPropertiesAsync(BlobContainers.Reports, "r/1.json", withHash: true);

        Assert.NotNull(plain);
        Assert.Equal(5, plain.Length);
        Assert.Null(plain.ContentHash);
        Assert.True(plain.LastModified > before);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("hello"u8)), hashed!.ContentHash);
        Assert.Null(await _store.GetPropertiesAsync(BlobContainers.Reports, "r/2.json"));

        Assert.True(await _store.DeleteAsync(BlobContainers.Reports, "r/1.json"));
        Assert.False(await _store.DeleteAsync(BlobContainers.Reports, "r/1.json"));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => _store.OpenReadAsync(BlobContainers.Reports, "r/1.json"));
    }
}
