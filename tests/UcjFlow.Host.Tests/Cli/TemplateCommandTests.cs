using UcjFlow.Host.Cli;

namespace UcjFlow.Host.Tests.Cli;

public class TemplateCommandTests
{
    [Fact]
    public async Task Writes_the_template_to_the_given_file()
    {
        var dir = Directory.CreateTempSubdirectory("ucj-template-");
        try
        {
            var path = Path.Combine(dir.FullName, "desa.xlsx");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Assert.Equal(0, await TemplateCommand.RunAsync(["--out", path], stdout, stderr));
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.True(bytes.Length > 1000);
            Assert.Equal((byte)'P', bytes[0]); // a zip: an xlsx
            Assert.Empty(stderr.ToString());
            Assert.Empty(Directory.GetFiles(dir.FullName, "*.tmp"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Default_file_name_inside_a_directory()
    {
        var dir = Directory.CreateTempSubdirectory("ucj-template-");
        try
        {
            Assert.Equal(0, await TemplateCommand.RunAsync(["--out", dir.FullName], new StringWriter(), new StringWriter()));
            Assert.True(File.Exists(Path.Combine(dir.FullName, "template-roster-ucj.xlsx")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("--bogus")]
    [InlineData("--out", "a.xlsx", "--out", "b.xlsx")]
    public async Task Bad_usage_exits_64_with_one_line(params string[] args)
    {
        var stderr = new StringWriter();
        Assert.Equal(64, await TemplateCommand.RunAsync(args, new StringWriter(), stderr));
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
    }
}
