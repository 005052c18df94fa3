using System.Security.Cryptography;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Hosting;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.Hosting;

/// <summary>What the local host does with its data folder before it opens anything in it (<see cref="DataFolder"/>).</summary>
public sealed class DataFolderTests
{
    [Fact]
    public async Task A_second_serve_on_the_same_data_folder_refuses_until_the_first_is_killed()
    {
        using var folder = new TempFolder();
        var campaign = TestCampaign.Write(folder.Path);
        var data = Path.Combine(folder.Path, "data");
        var token = Guid.NewGuid().ToString("N");

        await using (var first = await ServeProcess.StartAsync(ServeProcess.UcjflowDll, ["serve"], data, campaign.Path, token))
        {
            var (exitCode, errors) = await ServeProcess.RunToEndAsync(ServeProcess.UcjflowDll, ["serve"], data, campaign.Path, token);
            Assert.Equal(Program.ExitFailed, exitCode);
            Assert.Contains($"The data folder {data} is in use by another ucjflow process", errors);
            Assert.DoesNotContain("   at ", errors); // a message, not a stack trace
            Assert.False(first.HasExited);
            first.KillHard(); // kill -9: the OS releases the lock with the process
        }

        await using var again = await ServeProcess.StartAsync(ServeProcess.UcjflowDll, ["serve"], data, campaign.Path, token);
        Assert.True((await again.Http.GetAsync("api/campaign")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_start_deletes_the_temp_files_of_interrupted_writes_and_nothing_else()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        // What a crash mid-write leaves (each owner's temp name), next to what was published.
        var left = new[] { ".tmp/0a1b2c3d4e5f.part", "outbox/.0123456789abcdef.0a1b2c3d4e5f.tmp", "secrets/coordinator-token.tmp" };
        var kept = new[] { "uploads/1503/150301/1503012001/peserta.csv", "outbox/20241014T020000000Z_b-1-Received_0123456789abcdef.eml", "secrets/link-signing-key" };
        foreach (var file in left.Concat(kept))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(data, file))!);
            await File.WriteAllTextAsync(Path.Combine(data, file), file == "secrets/link-signing-key" ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : "x");
        }

        await using (await InProcessApp.StartAsync(data))
        {
            Assert.All(left, file => Assert.False(File.Exists(Path.Combine(data, file)), file));
            Assert.All(kept, file => Assert.True(File.Exists(Path.Combine(data, file)), file));
        }
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "registry.db", "truncated" }, { "registry.db", "overwritten" },
        { "durable.db", "truncated" }, { "durable.db", "overwritten" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_database_stops_serve_with_a_message_and_is_left_as_it_is(string database, string damage)
    {
        using var folder = new TempFolder();
        var campaign = TestCampaign.Write(folder.Path);
        var data = Path.Combine(folder.Path, "data");
        await using (var app = await InProcessApp.StartAsync(data, configure: s => s with { CampaignFile = campaign.Path }))
        {
            var (name, content) = RosterGenerator.Csv(app.Campaign.Village("15.03.01.2001")!, 60, 40);
            var upload = await app.UploadAsync("15.03.01.2001", name, content);
            Assert.Equal(BatchStatus.AwaitingApproval, (await app.WaitForBatchAsync(upload.BatchId, InProcessApp.Validated, TimeSpan.FromSeconds(30))).Status);
        }
        var path = Path.Combine(data, database);
        var bytes = await File.ReadAllBytesAsync(path);
        if (damage == "truncated") bytes = bytes[..(bytes.Length / 2)];
        else "kein SQLite, hanya sampah"u8.CopyTo(bytes); // the header's magic string and more
        await File.WriteAllBytesAsync(path, bytes);
        var before = Directory.GetFiles(data).Order(StringComparer.Ordinal).ToList();

        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await ServeCommand.RunAsync(["--data", data, "--urls", $"http://127.0.0.1:{InProcessApp.FreePort()}", "--campaign", campaign.Path], stdout, stderr)
            .WaitAsync(TimeSpan.FromSeconds(60)); // a start that went through would serve until stopped

        Assert.Equal(Program.ExitFailed, exit);
        Assert.Contains($"{path} is damaged (", stderr.ToString());
        Assert.Contains("left as it is", stderr.ToString());
        Assert.Equal("", stdout.ToString()); // no URL line: nothing started
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.Equal(before, Directory.GetFiles(data).Order(StringComparer.Ordinal).ToList()); // no journal, no new database
    }
}
