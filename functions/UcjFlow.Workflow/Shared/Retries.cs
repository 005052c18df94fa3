using UcjFlow.Workflow.Durable;

namespace UcjFlow.Workflow.Shared;

/// <summary>Retry policies of the activities that touch I/O (registry, blobs, mail). Delays are durable timers.</summary>
internal static class Retries
{
    /// <summary>Five attempts over about two and a half minutes: rides out a locked database or a mail server hiccup.</summary>
    public static readonly TaskOptions IO = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(10), backoffCoefficient: 2.0, maxRetryInterval: TimeSpan.FromMinutes(2)));
}
