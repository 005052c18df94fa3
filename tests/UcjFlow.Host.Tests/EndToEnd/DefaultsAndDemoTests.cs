using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using UcjFlow.Core.Registry;
using UcjFlow.Host.Cli;
using UcjFlow.Host.Demo;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.EndToEnd;

public sealed class DefaultsAndDemoTests
{
    /// <summary>With nothing configured: ./ucjflow-data, the sample campaign, two lines a script reads, a token kept across restarts.</summary>
    [Fact]
    public async Task Serve_with_no_settings_creates_the_data_folder_and_prints_url_and_a_lasting_token()
    {
        using var cwd = new TempFolder();
        var port = InProcessApp.FreePort();
        var (url, token) = await RunServeAsync(cwd.Path, port);
        Assert.Equal($"http://127.0.0.1:{port}", url);
        Assert.True(Directory.Exists(Path.Combine(cwd.Path, "ucjflow-data")));
        foreach (var file in new[] { "registry.db", "durable.db" })
            Assert.True(File.Exists(Path.Combine(cwd.Path, "ucjflow-data", file)), file);

        var (_, again) = await RunServeAsync(cwd.Path, port);
        Assert.Equal(token, again);
    }

    static async Task<(string Url, string Token)> RunServeAsync(string cwd, int port)
    {
        var dll = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "ucjflow.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        // Only the port differs from the defaults (7071 may be taken on a shared machine).
        start.Environment["UcjFlow__Urls"] = $"http://127.0.0.1:{port}";
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("UCJFLOW", StringComparison.OrdinalIgnoreCase) && k != "UcjFlow__Urls"))
            start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var second = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.StartsWith("URL: ", first);
            Assert.StartsWith("Coordinator token: ", second);
            var (url, token) = (first![5..], second!["Coordinator token: ".Length..]);
            using var http = new HttpClient { BaseAddress = new Uri(url + "/") };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/campaign")).StatusCode);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Contains("Sarolangun 2024 P-APBD", await http.GetStringAsync("api/campaign"));
            Assert.Contains("<html lang=\"id\">", await http.GetStringAsync("/"));
            return (url, token);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>`ucjflow demo`: the whole flow on the sample campaign, its outcome read back from what it reports.</summary>
    [Fact]
    public async Task Demo_runs_the_whole_flow_with_reminders_and_escalation()
    {
        using var folder = new TempFolder();
        var result = await DemoCommand.RunFlowAsync(Path.Combine(folder.Path, "demo"), TextWriter.Null);

        Assert.Equal([BatchStatus.Approved, BatchStatus.Approved, BatchStatus.Approved, BatchStatus.Rejected, BatchStatus.AwaitingApproval, BatchStatus.Unreadable],
            result.Batches.Select(b => b.Status));
        // October 2024, before the 1 November coverage start: approved people start later (issue 13.3) — the P-APBD
        // batches and the DBH Sawit one: two campaigns, one regency.
        Assert.Equal((0L, 120 + 80 + 60 + 2L * DemoCommand.SawitRosterRows), (result.Coverage.Approved, result.Coverage.ApprovedStartingLater));
        Assert.Equal(40, result.Coverage.Pending);
        Assert.Equal(result.Batches.Where(b => b.Status == BatchStatus.Approved).Sum(b => b.Valid), result.Batches.Sum(b => b.Enrolled ?? 0));
        Assert.True(result.Batches[3].Rejected > 0);
        Assert.Contains(result.Mails, m => m.Subject.Contains("Eskalasi"));
        // The deadline escalation, once: the deadline reminders and their recap also name the "batas", so the subject is matched whole.
        var deadlinePassed = Assert.Single(result.Mails, m => m.Subject.Contains("] Batas waktu terlewati: ", StringComparison.Ordinal));
        Assert.NotEmpty(deadlinePassed.To);
        Assert.Contains(result.Mails, m => m.Subject.Contains("Pengingat ke-3"));
        Assert.Contains(result.Mails, m => m.Subject.Contains("tidak dapat dibaca"));

        // Campaigns over time (issue 13): two concurrent campaigns of the regency, then next year's renewing one; the
        // renewal round renews Tambak Ratu's 120 people but the two marked "Tidak".
        Assert.Equal([(DemoCommand.SawitCampaign, "DBH-SAWIT"), (DemoCommand.RenewalCampaign, "APBD")],
            result.Campaigns.Skip(1).Select(c => (c.Id, c.Funder)));
        Assert.Equal(2 * DemoCommand.SawitRosterRows, result.Renewal!.SawitEnrolled);
        // The sawit months end on 30 April 2025: the summary of 3 March warns (more than a point within 60 days), and on
        // 1 May coverage has fallen by exactly the sawit people; on 1 November only the renewed ones are active.
        Assert.StartsWith("Peringatan: cakupan akan turun", result.LapseWarning);
        Assert.Equal([120 + 80 + 60 + 2L * DemoCommand.SawitRosterRows, 120 + 80 + 60, 118], result.CoverageOn.Select(c => c.Approved));
        Assert.Equal((118, 118), (result.Renewal.Valid, result.Renewal.Enrolled));
        Assert.Equal("2 orang tidak dilanjutkan: 1 meninggal, 1 pindah.", result.Renewal.Removals);
    }
}
