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
}
