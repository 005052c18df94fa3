using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using UcjFlow.Host.Demo;

namespace UcjFlow.Host.Tests.Support;

/// <summary>
/// A host as a child process (the built `ucjflow serve`, or the crash host's serve with a fault point) on a loopback
/// port, with an HTTP client holding a coordinator token. <see cref="KillHard"/> is kill -9; <see cref="StopAsync"/> SIGTERM.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder errors = new();

    ServeProcess(Process process) => this.process = process;

    public Uri Url { get; private set; } = null!;
    /// <summary>Sends the coordinator token with every request.</summary>
    public HttpClient Http { get; private set; } = null!;
    public int Id => process.Id;
    public bool HasExited => process.HasExited;

    /// <summary>What the process wrote on stderr so far (its log).</summary>
    public string Errors { get { lock (errors) return errors.ToString(); } }

    /// <summary>The built `ucjflow` next to the tests.</summary>
    public static string UcjflowDll => Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "ucjflow.dll");

    /// <summary>The crash host next to the tests (tests/UcjFlow.Embedded.CrashHost).</summary>
    public static string CrashHostDll => Path.Combine(AppContext.BaseDirectory, "UcjFlow.Embedded.CrashHost.dll");

    /// <summary>
    /// `dotnet {dll} {args} --data {data} --urls http://127.0.0.1:{free port} --campaign {campaign}` with the coordinator
    /// token <paramref name="token"/>, mail to the outbox; returns once it printed its URL line.
    /// </summary>
    /// <remarks>
    /// The free port is released before the child binds it, so another test may take it in between: a start that fails
    /// only on "address already in use" is tried again on a new port (at most three times).
    /// </remarks>
    public static async Task<ServeProcess> StartAsync(string dll, IEnumerable<string> args, string data, string? campaign, string token, Maildev? mail = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (serve, portTaken) = await TryStartAsync(dll, args, data, campaign, token, mail);
            if (serve is not null) return serve;
            if (attempt == 3) Assert.Fail($"{Path.GetFileName(dll)} found no free port in three tries: {portTaken}");
        }
    }

    static async Task<(ServeProcess? Serve, string PortTaken)> TryStartAsync(string dll, IEnumerable<string> args, string data, string? campaign, string token, Maildev? mail)
    {
        Assert.True(File.Exists(dll), $"not built next to the tests: {dll}");
        var start = Command(dll, args, data, campaign, token, InProcessApp.FreePort());
        if (mail is not null)
        {
            start.Environment["UcjFlow__Mail__Host"] = mail.Host;
            start.Environment["UcjFlow__Mail__Port"] = mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["UcjFlow__Mail__StartTls"] = "false";
        }
        var process = Process.Start(start)!;
        var serve = new ServeProcess(process);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (serve.errors) serve.errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
            if (line is null)
            {
                await process.WaitForExitAsync();
                if (serve.Errors.Contains("address already in use", StringComparison.Ordinal)) return (null, serve.Errors);
                Assert.Fail($"{Path.GetFileName(dll)} exited ({process.ExitCode}) before printing its URL: {serve.Errors}");
            }
            if (line!.StartsWith("URL: ", StringComparison.Ordinal))
            {
                serve.Url = new Uri(line[5..].Trim() + "/");
                serve.Http = new HttpClient { BaseAddress = serve.Url, Timeout = TimeSpan.FromSeconds(60) };
                serve.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return (serve, "");
            }
        }
    }

    /// <summary>Runs the command to its end (e.g. a start that is refused); returns its exit code and stderr.</summary>
    public static async Task<(int ExitCode, string Errors)> RunToEndAsync(string dll, IEnumerable<string> args, string data, string? campaign, string token)
    {
        using var process = Process.Start(Command(dll, args, data, campaign, token, InProcessApp.FreePort()))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            process.Kill();
            Assert.Fail($"{Path.GetFileName(dll)} {string.Join(' ', args)} kept running: {await stdout}");
        }
        return (process.ExitCode, await stderr);
    }

    /// <summary><paramref name="campaign"/> null: the sample campaign.</summary>
    static ProcessStartInfo Command(string dll, IEnumerable<string> args, string data, string? campaign, string token, int port)
    {
        var start = Ucjflow(dll, args.Concat(["--data", data, "--urls", $"http://127.0.0.1:{port}"])
            .Concat(campaign is null ? [] : ["--campaign", campaign]));
        start.Environment["UcjFlow__CoordinatorTokens__tester"] = token;
        return start;
    }

    /// <summary><c>dotnet {dll} {args}</c>, output redirected, the UcjFlow variables of this process removed.</summary>
    static ProcessStartInfo Ucjflow(string dll, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll }.Concat(args)) start.ArgumentList.Add(a);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("UCJFLOW", StringComparison.OrdinalIgnoreCase)))
            start.Environment.Remove(key);
        return start;
    }

    /// <summary>Runs the built `ucjflow` with <paramref name="args"/> to its end: exit code, stdout, stderr.</summary>
    public static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        Assert.True(File.Exists(UcjflowDll), $"not built next to the tests: {UcjflowDll}");
        using var process = Process.Start(Ucjflow(UcjflowDll, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>kill -9: the process gets no chance to finish anything.</summary>
    public void KillHard()
    {
        if (!process.HasExited) process.Kill(); // SIGKILL on Unix
        process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops it: the host shuts down gracefully.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public ValueTask DisposeAsync()
    {
        Http?.Dispose();
        KillHard();
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
