using System.Diagnostics;

namespace UcjFlow.Core.Tests.Fixtures;

/// <summary>
/// Converts files with LibreOffice (`soffice --headless --convert-to`), with a private profile so parallel runs and a
/// user's own LibreOffice do not interfere. Start-up costs seconds: convert many files in one call.
/// </summary>
public static class LibreOffice
{
    public const string Soffice = "/usr/bin/soffice";
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>Converts every file to <paramref name="target"/> (e.g. "xls", or "xlsx:Calc MS Excel 2007 XML:{json options}") into <paramref name="outDir"/>; returns the output paths in input order.</summary>
    public static async Task<IReadOnlyList<string>> ConvertAsync(IReadOnlyList<string> files, string target, string outDir)
    {
        var path = File.Exists(Soffice) ? Soffice : "soffice";
        Directory.CreateDirectory(outDir);
        var profile = Path.Combine(Path.GetTempPath(), "ucj-lo-profile-" + Environment.ProcessId);
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-env:UserInstallation=file://" + profile);
        psi.ArgumentList.Add("--headless");
        psi.ArgumentList.Add("--norestore");
        psi.ArgumentList.Add("--convert-to");
        psi.ArgumentList.Add(target);
        psi.ArgumentList.Add("--outdir");
        psi.ArgumentList.Add(outDir);
        foreach (var f in files) psi.ArgumentList.Add(f);
        await OneAtATime.WaitAsync();
        try
        {
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("soffice did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            var extension = target.Split(':')[0];
            var outputs = files.Select(f => Path.Combine(outDir, Path.GetFileNameWithoutExtension(f) + "." + extension)).ToList();
            var missing = outputs.Where(o => !File.Exists(o)).ToList();
            if (process.ExitCode != 0 || missing.Count > 0)
                throw new InvalidOperationException($"soffice failed ({process.ExitCode}): missing {string.Join(", ", missing)}\n{await stdout}\n{await stderr}");
            return outputs;
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    /// <summary>Converts xlsx workbooks to .xls (BIFF8) in one soffice run.</summary>
    public static async Task<IReadOnlyList<byte[]>> ToXlsAsync(params byte[][] workbooks)
    {
        var dir = Directory.CreateTempSubdirectory("ucj-xls-");
        try
        {
            var inputs = new List<string>();
            for (var i = 0; i < workbooks.Length; i++)
            {
                var p = Path.Combine(dir.FullName, $"book{i}.xlsx");
                await File.WriteAllBytesAsync(p, workbooks[i]);
                inputs.Add(p);
            }
            var outputs = await ConvertAsync(inputs, "xls", Path.Combine(dir.FullName, "out"));
            var result = new List<byte[]>();
            foreach (var o in outputs) result.Add(await File.ReadAllBytesAsync(o));
            return result;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
