using System.Diagnostics;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Roster.Validation;

namespace UcjFlow.Core.Tests.Fuzz;

/// <summary>
/// What one input came to: the report (with its three renderings done), or the exception that escaped, the time it took
/// and the bytes it allocated.
/// </summary>
public sealed record FuzzOutcome(RosterReport? Report, Exception? Escaped, TimeSpan Elapsed, long AllocatedBytes)
{
    /// <summary>Null when the outcome is acceptable; otherwise why not.</summary>
    public string? Problem(TimeSpan maxElapsed, long maxAllocatedBytes)
    {
        if (Escaped is not null) return $"unhandled {Escaped.GetType().FullName}: {Escaped.Message}\n{Escaped.StackTrace}";
        if (Elapsed > maxElapsed) return $"took {Elapsed.TotalMilliseconds:F0} ms (limit {maxElapsed.TotalMilliseconds:F0} ms)";
        if (AllocatedBytes > maxAllocatedBytes) return $"allocated {AllocatedBytes / (1024 * 1024)} MB (limit {maxAllocatedBytes / (1024 * 1024)} MB)";
        var r = Report!;
        if (r.Status == RosterStatus.Unreadable)
        {
            if (r.FileCode is null || !FuzzRun.FileCodes.Contains(r.FileCode)) return $"unreadable without a file code: '{r.FileCode}'";
            if (string.IsNullOrWhiteSpace(r.FileMessage)) return $"{r.FileCode} without a message";
            return null;
        }
        if (r.FileCode is not null) return $"status {r.Status} with file code {r.FileCode}";
        if (r.Rows != r.Valid + r.Rejected) return $"rows {r.Rows} != valid {r.Valid} + rejected {r.Rejected}";
        if (r.ByCode.Values.Sum() != r.Issues.Count) return $"byCode sums to {r.ByCode.Values.Sum()}, issues {r.Issues.Count}";
        return null;
    }
}

public static class FuzzRun
{
    /// <summary>The file-level codes of roster.md: an unreadable file ends in exactly one of them.</summary>
    public static readonly HashSet<string> FileCodes =
    [
        RuleCodes.FileUnsupported, RuleCodes.FileCorrupt, RuleCodes.FileEncrypted, RuleCodes.FileTooLarge,
        RuleCodes.HeaderNotFound, RuleCodes.RosterEmpty,
    ];

    /// <summary>
    /// Validates <paramref name="content"/> as an upload would be (the defaults of <c>ucjflow validate</c>, as of
    /// 2024-11-01) and renders the report as JSON, CSV and HTML, as the product stores and shows it.
    /// Memory is measured as the bytes allocated on this thread (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) from
    /// start to end: an upper bound of the managed memory the case can have held at its peak. It is exact only if all
    /// the work ran on this thread, so a validation that does not complete synchronously (it does for a MemoryStream and
    /// no conflict look-up) is reported as a problem instead of being measured wrongly.
    /// </summary>
    public static FuzzOutcome Run(byte[] content, string fileName, string villageCode)
    {
        var settings = ValidationSettings.Defaults(villageCode, new DateOnly(2024, 11, 1));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            var task = RosterValidator.ValidateAsync(new MemoryStream(content, writable: false), fileName, settings);
            if (!task.IsCompleted)
                throw new InvalidOperationException("The validation went asynchronous: its allocations cannot be measured on this thread.");
            var report = task.GetAwaiter().GetResult();
            _ = RosterReportJson.Serialize(report);
            _ = RosterReportCsv.RenderBytes(report);
            _ = RosterReportHtml.Render(report);
            return new FuzzOutcome(report, null, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        catch (Exception ex)
        {
            return new FuzzOutcome(null, ex, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    /// <summary>
    /// <see cref="Run"/> on a thread-pool thread, waited for at most <paramref name="deadline"/>: a case that hangs is
    /// reported (with an outcome whose Elapsed is the deadline) rather than hanging the test run.
    /// </summary>
    public static FuzzOutcome RunWithDeadline(byte[] content, string fileName, string villageCode, TimeSpan deadline)
    {
        var task = Task.Run(() => Run(content, fileName, villageCode));
        if (task.Wait(deadline)) return task.Result;
        return new FuzzOutcome(null, new TimeoutException($"still running after {deadline.TotalSeconds:F0} s (left running)"), deadline, 0);
    }
}
