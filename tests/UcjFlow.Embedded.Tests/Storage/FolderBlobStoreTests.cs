using UcjFlow.Core.Storage;
using UcjFlow.Embedded.Storage;
using UcjFlow.Tests.Storage;

namespace UcjFlow.Embedded.Tests.Storage;

/// <summary>The blob-store contract on the folder store, and what only a folder shows: the files, the temporary folder.</summary>
public sealed class FolderBlobStoreTests : BlobStoreContract
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ucj-blob-" + Guid.NewGuid().ToString("N"));

    protected override Task<IBlobStore> OpenStoreAsync() => Task.FromResult<IBlobStore>(new FolderBlobStore(_root));

    public override Task DisposeAsync()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private string[] TempFiles() => Directory.GetFiles(Path.Combine(_root, ".tmp"));

    protected override Task AssertNothingLeftTheStoreAsync()
    {
        Assert.False(File.Exists(Path.Combine(_root, "secret.txt")));
        Assert.Empty(TempFiles());
        Assert.Equal([".tmp"], Directory.GetDirectories(_root).Select(Path.GetFileName));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Sub_paths_are_folders_and_names_are_files()
    {
        await Store.WriteAsync(BlobContainers.Uploads, "1503/150301/1503012001/roster.csv", Bytes("NIK;Nama"));

        Assert.Equal("NIK;Nama", await File.ReadAllTextAsync(Path.Combine(_root, "uploads", "1503", "150301", "1503012001", "roster.csv")));
        Assert.Equal(Path.Combine(_root, "uploads", "1503", "150301", "1503012001", "roster.csv"),
            ((FolderBlobStore)Store).PathOf(BlobContainers.Uploads, "1503/150301/1503012001/roster.csv"));
    }

    [Fact]
    public async Task Writes_leave_no_temporary_files()
    {
        await Store.WriteAsync(BlobContainers.Reports, "coverage/latest.json", Bytes("{\"v\":1}"));
        await Store.WriteAsync(BlobContainers.Reports, "coverage/latest.json", (s, ct) => s.WriteAsync("{\"v\":2}"u8.ToArray(), ct).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteAsync(BlobContainers.Exports, "batch-1/export.xlsx", async (s, ct) =>
        {
            await s.WriteAsync(new byte[10], ct);
            throw new InvalidOperationException("boom");
        }));

        Assert.Empty(TempFiles());
        Assert.False(Directory.Exists(Path.Combine(_root, "exports")), "a failing writer made its container's folder");
    }
}
