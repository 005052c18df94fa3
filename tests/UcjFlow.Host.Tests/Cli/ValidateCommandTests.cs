using System.Diagnostics;
using System.Text;
using System.Text.Json;
using UcjFlow.Host.Cli;

namespace UcjFlow.Host.Tests.Cli;

/// <summary><c>ucjflow validate</c>: outputs and exit codes 0 (read), 2 (Unreadable), 64 (usage), run in-process and once as the real binary.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private const string Xlsx = "13.11.01.2001-lubuk-gadang.xlsx";
    private const string Csv = "16.09.01.1014-bumi-agung.csv";
    private readonly string _dir = Directory.CreateTempSubdirectory("ucjflow-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ValidateCommand.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Json_of_a_sample_matches_expected_json_with_exit_0()
    {
        var (exit, stdout, stderr) = await RunAsync(Sample(Xlsx), "--as-of", "2024-11-01", "--json");
        Assert.Equal((0, ""), (exit, stderr));
        using var actual = JsonDocument.Parse(stdout);
        using var expected = JsonDocument.Parse(File.ReadAllText(Sample("expected.json")));
        foreach (var field in expected.RootElement.GetProperty(Xlsx).EnumerateObject())
            Assert.True(JsonElement.DeepEquals(field.Value, actual.RootElement.GetProperty(field.Name)), field.Name);
    }

    [Fact]
    public async Task Summary_without_an_output_flag_is_short_and_masks_niks()
    {
        var (exit, stdout, _) = await RunAsync(Sample(Xlsx), "--as-of=2024-11-01");
        Assert.Equal(0, exit);
        Assert.Contains("Status: Valid", stdout);
        Assert.Contains("Baris data 24: sah 20", stdout);
        Assert.Contains("NIK_PRECISION_LOST", stdout);
        Assert.DoesNotMatch(@"\d{16}", stdout);
        Assert.True(stdout.Split('\n').Length < 40);
    }

    [Fact]
    public async Task Html_and_csv_are_written_to_the_given_files()
    {
        var html = Path.Combine(_dir, "report.html");
        var csv = Path.Combine(_dir, "report.csv");
        Assert.Equal(0, (await RunAsync(Sample(Csv), "--as-of", "2024-11-01", "--html", html)).Exit);
        Assert.Equal(0, (await RunAsync(Sample(Csv), "--as-of", "2024-11-01", "--csv", csv)).Exit);
        Assert.Contains("<h3>Baris 14</h3>", File.ReadAllText(html));
        var lines = File.ReadAllLines(csv, Encoding.UTF8);
        Assert.Equal(4, lines.Length); // header + 3 issues
        Assert.Contains("PHONE_INVALID", lines[3]);
    }

    [Fact]
    public async Task A_file_with_no_valid_row_still_exits_0()
    {
        var path = Path.Combine(_dir, "15.03.01.2001-bad.csv");
        File.WriteAllText(path, "NIK,Nama\n123,ANI\n");
        var (exit, stdout, _) = await RunAsync(path, "--json");
        Assert.Equal(0, exit);
        Assert.Equal("Invalid", JsonDocument.Parse(stdout).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unreadable_file_exits_2()
    {
        var path = Path.Combine(_dir, "15.03.01.2001-scan.xlsx");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("%PDF-1.4\n\0\0\u0001binary"));
        var (exit, stdout, _) = await RunAsync(path, "--json");
        Assert.Equal(2, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(("Unreadable", "FILE_UNSUPPORTED"), (root.GetProperty("status").GetString(), root.GetProperty("fileCode").GetString()));
    }

    [Fact]
    public async Task A_reference_list_gives_NOT_IN_REFERENCE()
    {
        var reference = Path.Combine(_dir, "dtks.csv");
        // Every NIK of the sample but two valid ones (rows 2 and 3 of the CSV).
        var niks = File.ReadAllLines(Sample(Csv)).Skip(1).Select(l => l.Split(',')[0]).Skip(2);
        File.WriteAllLines(reference, ["No;NIK;Nama", .. niks.Select((n, i) => $"{i + 1};{n};X")]);
        var (exit, stdout, stderr) = await RunAsync(Sample(Csv), "--as-of", "2024-11-01", "--reference", reference, "--json");
        Assert.Equal((0, ""), (exit, stderr));
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(2, root.GetProperty("byCode").GetProperty("NOT_IN_REFERENCE").GetInt32());
        Assert.Equal(3, root.GetProperty("validWithWarnings").GetInt32());
    }

    [Fact]
    public async Task A_nik_only_reference_list_gives_NOT_IN_REFERENCE()
    {
        var reference = Path.Combine(_dir, "p3ke.csv");
        // A realistic extract: one NIK column, no names; every NIK of the sample but the first two rows' (rows 2 and 3).
        var niks = File.ReadAllLines(Sample(Csv)).Skip(1).Select(l => l.Split(',')[0]).Skip(2);
        File.WriteAllLines(reference, ["NIK", .. niks]);
        var (exit, stdout, stderr) = await RunAsync(Sample(Csv), "--as-of", "2024-11-01", "--reference", reference, "--json");
        Assert.Equal((0, ""), (exit, stderr));
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(2, root.GetProperty("byCode").GetProperty("NOT_IN_REFERENCE").GetInt32());
        var flagged = root.GetProperty("issues").EnumerateArray()
            .Where(i => i.GetProperty("code").GetString() == "NOT_IN_REFERENCE").Select(i => i.GetProperty("row").GetInt32());
        Assert.Equal([2, 3], flagged);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--as-of", "2024-13-01")]
    [InlineData("--as-of", "01-11-2024")]
    [InlineData("--village", "15.03.01")]
    [InlineData("--village", "15.03.01.9999")]
    [InlineData("--json", "--csv", "out.csv")]
    [InlineData("--html")]
    [InlineData("--reference", "/nonexistent/dtks.csv")]
    public async Task Usage_errors_exit_64_with_one_line_on_stderr(params string[] flags)
    {
        var (exit, stdout, stderr) = await RunAsync([Sample(Xlsx), .. flags]);
        Assert.Equal(64, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n', '\r').Split('\n'));
        Assert.StartsWith("ucjflow validate:", stderr);
    }

    [Fact]
    public async Task A_missing_file_no_file_and_no_village_code_are_usage_errors()
    {
        Assert.Equal(64, (await RunAsync(Path.Combine(_dir, "15.03.01.2001-missing.xlsx"))).Exit);
        Assert.Equal(64, (await RunAsync()).Exit);
        var unnamed = Path.Combine(_dir, "daftar.csv");
        File.Copy(Sample(Csv), unnamed);
        var (exit, _, stderr) = await RunAsync(unnamed);
        Assert.Equal(64, exit);
        Assert.Contains("--village", stderr);
        Assert.Equal(0, (await RunAsync(unnamed, "--village", "1609011014")).Exit);
    }

    [Fact]
    public async Task The_built_binary_runs_with_the_same_exit_codes()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ucjflow.dll");
        Assert.True(File.Exists(dll), $"{dll} missing");
        async Task<(int, string)> Run(params string[] args)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(dll);
            foreach (var a in args) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output + await error);
        }
        var (ok, okOut) = await Run("validate", Sample(Csv), "--as-of", "2024-11-01", "--json");
        Assert.Equal(0, ok);
        Assert.Equal(14, JsonDocument.Parse(okOut).RootElement.GetProperty("rows").GetInt32());
        var empty = Path.Combine(_dir, "15.03.01.2001-empty.csv");
        File.WriteAllText(empty, "NIK,Nama\n");
        Assert.Equal(2, (await Run("validate", empty)).Item1);
        Assert.Equal(64, (await Run("validate", Sample(Csv), "--nope")).Item1);
    }
}
