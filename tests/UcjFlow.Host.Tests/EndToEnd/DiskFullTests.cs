using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using UcjFlow.App.Api;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

/// <summary>
/// The data folder on a real, small tmpfs (mounted by the test; needs root or password-less sudo, as .ci/run has), filled
/// up while a village uploads.
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    readonly TempFolder folder = new();
    string mount = null!;

    public async Task InitializeAsync()
    {
        mount = Path.Combine(folder.Path, "disk");
        Directory.CreateDirectory(mount);
        await RunAsync(Sudo("mount", "-t", "tmpfs", "-o", "size=16m,mode=0777", "tmpfs", mount));
    }

    public async Task DisposeAsync()
    {
        await RunAsync(Sudo("umount", "--lazy", mount));
        folder.Dispose();
    }

    static string[] Sudo(params string[] command) => Environment.UserName == "root" ? command : ["sudo", "-n", .. command];

    static async Task RunAsync(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command[1..]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', command)} failed ({process.ExitCode}): {errors}");
    }

    [Fact]
    public async Task An_upload_that_does_not_fit_is_refused_in_Indonesian_and_nothing_of_it_is_kept()
    {
        var campaign = TestCampaign.Write(folder.Path);
        var data = Path.Combine(mount, "data");
        await using var app = await InProcessApp.StartAsync(data, configure: s => s with { CampaignFile = campaign.Path });
        var village = app.Campaign.Village("15.03.01.2001")!;
        var (name, content) = RosterGenerator.Csv(village, 70, 999);
        // Fill the disk up to less than the roster: the write runs out of space part-way.
        var filler = Path.Combine(mount, "filler");
        var fillBy = new DriveInfo(mount).AvailableFreeSpace - content.Length / 2;
        await using (var fill = new FileStream(filler, FileMode.CreateNew))
        {
            var zeros = new byte[64 * 1024]; // written, not a sparse length: tmpfs gives pages only to written bytes
            for (var written = 0L; written < fillBy; written += zeros.Length)
                await fill.WriteAsync(zeros.AsMemory(0, (int)Math.Min(zeros.Length, fillBy - written)));
        }
        Assert.InRange(new DriveInfo(mount).AvailableFreeSpace, 1, content.Length - 1);

        using var refused = await PostAsync(app, name, content);

        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        var error = JsonSerializer.Deserialize(await refused.Content.ReadAsStringAsync(), ApiJsonContext.Default.ApiError)!;
        Assert.Equal("storage_full", error.Code);
        Assert.Contains("Penyimpanan server penuh, berkas belum diterima", error.Error);
        Assert.Empty(Directory.GetFiles(data, "*.part", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(data, "uploads")) && Directory.EnumerateFiles(Path.Combine(data, "uploads"), "*", SearchOption.AllDirectories).Any(),
            "part of the upload was kept");
        Assert.Empty(await app.Registry.ListBatchesAsync(app.Campaign.Id));

        // Room again: the same file goes through.
        File.Delete(filler);
        using var accepted = await PostAsync(app, name, content);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var batch = JsonSerializer.Deserialize(await accepted.Content.ReadAsStringAsync(), ApiJsonContext.Default.UploadAccepted)!;
        Assert.Equal(BatchStatus.AwaitingApproval, (await app.WaitForBatchAsync(batch.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(60))).Status);
    }

    static async Task<HttpResponseMessage> PostAsync(InProcessApp app, string name, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return await app.Http.PostAsync("api/uploads/15.03.01.2001", form);
    }
}
