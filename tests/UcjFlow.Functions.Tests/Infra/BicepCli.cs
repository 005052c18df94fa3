using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace UcjFlow.Functions.Tests.Infra;

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (a PackageReference of this project, version
/// pinned in Directory.Packages.props). MSBuild writes the package's own <c>$(BicepPath)</c> (its <c>tools/bicep</c> in the
/// NuGet packages folder) and the repository's <c>infra/</c> folder into this assembly's metadata, so nothing here guesses
/// at folders. <c>bicep build</c> and <c>bicep lint</c> work offline as long as no file refers to a registry module.
/// </summary>
public static class BicepCli
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The repository's <c>infra/</c> folder.</summary>
    public static string InfraDirectory
    {
        get
        {
            var path = Metadata("InfraDirectory");
            Assert.True(Directory.Exists(path), $"The infra folder '{path}' (assembly metadata InfraDirectory) does not exist.");
            return path;
        }
    }

    /// <summary>The <c>bicep</c> executable, made executable when the package folder did not keep the mode bits.</summary>
    public static string Executable
    {
        get
        {
            if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
                Assert.Fail("The infra tests run the Bicep CLI from Azure.Bicep.CommandLine.linux-x64, which needs Linux on x64.");
            var path = Metadata("BicepPath");
            Assert.True(File.Exists(path), $"The Bicep CLI '{path}' (assembly metadata BicepPath, from the package's $(BicepPath)) does not exist: restore the test project.");
            if (OperatingSystem.IsLinux()) MakeExecutable(path);
            return path;
        }
    }

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static BicepRun Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bicep {string.Join(' ', arguments)} did not finish within {Timeout.TotalMinutes} minutes.");
        }
        process.WaitForExit();
        return new BicepRun(string.Join(' ', arguments), process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    // NuGet extracts packages without the mode bits on some machines; the CLI must be executable to run.
    [SupportedOSPlatform("linux")]
    static void MakeExecutable(string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) == 0)
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    static string Metadata(string key)
    {
        var value = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        Assert.False(string.IsNullOrEmpty(value), $"Assembly metadata '{key}' is missing: see the Bicep ItemGroup of UcjFlow.Functions.Tests.csproj.");
        return value!;
    }
}

/// <summary>One run of the CLI: its exit code and what it printed.</summary>
public sealed record BicepRun(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>
    /// The diagnostics that fail the infra: every warning and error line (the CLI exits 0 on warnings, so the exit code
    /// alone is not enough), plus the exit code when it is not 0.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = (Stdout + "\n" + Stderr)
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains(": Warning ", StringComparison.Ordinal) || line.Contains(": Error ", StringComparison.Ordinal))
            .ToList();
        if (ExitCode != 0) problems.Add($"bicep {Command} exited with {ExitCode}: {Stderr.Trim()}");
        return problems;
    }

    public override string ToString()
    {
        var text = new StringBuilder($"bicep {Command} (exit {ExitCode})");
        if (Stdout.Length > 0 && !Command.Contains("--stdout", StringComparison.Ordinal)) text.Append('\n').Append(Stdout.Trim());
        if (Stderr.Length > 0) text.Append('\n').Append(Stderr.Trim());
        return text.ToString();
    }
}
