using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.Cli;

public sealed class HelpTests
{
    [Theory]
    [InlineData("--help", Program.ExitOk)]
    [InlineData("-h", Program.ExitOk)]
    [InlineData("help", Program.ExitOk)]
    [InlineData("serv", Program.ExitUsage)]
    public async Task Help_is_asked_for_with_the_usual_flags_and_an_unknown_command_is_a_usage_error(string command, int exit) =>
        Assert.Equal(exit, await Program.Main([command]));

    [Fact]
    public async Task Help_lists_every_command_the_host_runs()
    {
        var (exit, stdout, _) = await ServeProcess.RunAsync("--help");
        Assert.Equal(Program.ExitOk, exit);
        var listed = stdout.Split('\n').Select(l => l.Trim().Split(' ')[0]).ToHashSet();
        foreach (var command in new[] { "serve", "demo", "validate", "template", "backup", "restore", "campaign" })
        {
            Assert.Contains(command, listed);
            // Dispatched, not an unknown command: without its arguments each answers with its own usage line.
            var (code, _, error) = await ServeProcess.RunAsync(command, "--no-such-option");
            Assert.True(code == Program.ExitUsage && !error.Contains("unknown command"), $"{command}: {code} {error}");
        }
    }

    [Fact]
    public async Task Backup_refuses_a_folder_that_is_no_data_folder_and_restore_a_folder_that_is_no_snapshot()
    {
        using var folder = new TempFolder();
        var empty = Directory.CreateDirectory(Path.Combine(folder.Path, "empty")).FullName;
        var backup = await ServeProcess.RunAsync("backup", Path.Combine(folder.Path, "out"), "--data", empty);
        Assert.Equal(Program.ExitFailed, backup.Exit);
        Assert.Contains("is not a UcjFlow data folder", backup.Error);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "out")));

        var restore = await ServeProcess.RunAsync("restore", empty, "--data", Path.Combine(folder.Path, "data"));
        Assert.Equal(Program.ExitFailed, restore.Exit);
        Assert.Contains("is not a UcjFlow snapshot", restore.Error);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "data")));
    }
}
