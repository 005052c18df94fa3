using System.Diagnostics;
using System.Net.Http.Headers;

namespace UcjFlow.Host.Tests.Support;

/// <summary>The built <c>ucjflow serve</c> as a child process on a data folder, with a coordinator token of the test's choosing.</summary>
public sealed class ServeProcess(Process process, Uri url) : IAsyncDisposable
{
    public Uri Url { get; } = url;

    /// <summary>
    /// Starts serve on <paramref name="data"/> and returns once it printed its URL. Mail goes to <paramref name="mail"/>
    /// when given, else to the data folder's outbox; <paramref name="campaignFile"/> null: the sample campaign.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(string data, string? campaignFile, int port, string token, Maildev? mail = null)
    {
        var start = Ucjflow("serve", "--data", data, "--urls", $"http://127.0.0.1:{port}");
        if (campaignFile is not null) foreach (var a in new[] { "--campaign", campaignFile }) start.ArgumentList.Add(a);
        start.Environment["UcjFlow__CoordinatorTokens__tester"] = token;
        if (mail is not null)
        {
            start.Environment["UcjFlow__Mail__Host"] = mail.Host;
            start.Environment["UcjFlow__Mail__Port"] = mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["UcjFlow__Mail__StartTls"] = "false";
        }
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { }; // drain the log
        process.BeginErrorReadLine();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null) Assert.Fail($"ucjflow serve exited ({process.ExitCode}) before printing its URL");
            if (line!.StartsWith("URL: ", StringComparison.Ordinal)) return new ServeProcess(process, new Uri(line[5..].Trim() + "/"));
            if (DateTime.UtcNow > until) Assert.Fail("ucjflow serve printed no URL line");
        }
    }

    /// <summary>The built host (<c>dotnet ucjflow.dll</c>) with <paramref name="args"/>, output redirected, UcjFlow variables of this process removed.</summary>
    public static ProcessStartInfo Ucjflow(params string[] args)
    {
        var dll = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "ucjflow.dll");
        Assert.True(File.Exists(dll), $"the built host is missing: {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("UCJFLOW", StringComparison.OrdinalIgnoreCase)))
            start.Environment.Remove(key);
        return start;
    }

    /// <summary>Runs the built host to its end: exit code, stdout, stderr.</summary>
    public static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Ucjflow(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>An HTTP client on this serve with the coordinator token.</summary>
    public HttpClient Client(string token)
    {
        var http = new HttpClient { BaseAddress = Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>SIGKILL: no shutdown, as a crash.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited) Kill();
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
