namespace UcjFlow.Workflow.Durable;

/// <summary>
/// Options for a scheduled activity or sub-orchestration. Mirrors <c>Microsoft.DurableTask.TaskOptions</c>
/// (Retry, FromRetryPolicy, WithInstanceId); tags and versions are left out.
/// </summary>
public record TaskOptions(TaskRetryOptions? Retry = null)
{
    /// <summary>Maps to <c>TaskOptions.FromRetryPolicy(RetryPolicy)</c>.</summary>
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(new TaskRetryOptions(policy));

    /// <summary>Maps to <c>TaskOptions.WithInstanceId(string)</c>.</summary>
    public SubOrchestrationOptions WithInstanceId(string instanceId) => new(Retry, instanceId);
}

/// <summary>Mirrors <c>Microsoft.DurableTask.SubOrchestrationOptions</c>: task options plus the child's instance id.</summary>
public record SubOrchestrationOptions(TaskRetryOptions? Retry = null, string? InstanceId = null) : TaskOptions(Retry);

/// <summary>
/// Mirrors <c>Microsoft.DurableTask.TaskRetryOptions</c> with a declarative <see cref="RetryPolicy"/> only
/// (the imperative retry handler is not needed by the workflow).
/// </summary>
public sealed class TaskRetryOptions(RetryPolicy policy)
{
    /// <summary>Maps to <c>TaskRetryOptions.Policy</c>.</summary>
    public RetryPolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>Maps to <c>implicit operator TaskRetryOptions(RetryPolicy)</c>.</summary>
    public static implicit operator TaskRetryOptions(RetryPolicy policy) => new(policy);
}

/// <summary>
/// Declarative retry policy. Mirrors <c>Microsoft.DurableTask.RetryPolicy</c>: same constructor parameters,
/// defaults (max retry interval 1 hour, retry timeout infinite) and validation. Retries wait on durable timers,
/// so a retry delay survives restarts.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>Maps to <c>new RetryPolicy(maxNumberOfAttempts, firstRetryInterval, backoffCoefficient, maxRetryInterval, retryTimeout)</c>.</summary>
    public RetryPolicy(
        int maxNumberOfAttempts,
        TimeSpan firstRetryInterval,
        double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null,
        TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxNumberOfAttempts, 0);
        if (firstRetryInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(firstRetryInterval), "The first retry interval must be greater than zero.");
        if (backoffCoefficient < 1.0)
            throw new ArgumentOutOfRangeException(nameof(backoffCoefficient), "The backoff coefficient must be 1.0 or greater.");
        if (maxRetryInterval < firstRetryInterval && maxRetryInterval != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(maxRetryInterval), "The max retry interval must not be less than the first retry interval.");
        if (retryTimeout < firstRetryInterval && retryTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(retryTimeout), "The retry timeout must not be less than the first retry interval.");
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        RetryTimeout = retryTimeout ?? Timeout.InfiniteTimeSpan;
    }

    /// <summary>Maps to <c>RetryPolicy.MaxNumberOfAttempts</c> (attempts, not retries: 3 means one call and two retries).</summary>
    public int MaxNumberOfAttempts { get; }

    /// <summary>Maps to <c>RetryPolicy.FirstRetryInterval</c>.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>Maps to <c>RetryPolicy.BackoffCoefficient</c>.</summary>
    public double BackoffCoefficient { get; }

    /// <summary>Maps to <c>RetryPolicy.MaxRetryInterval</c>.</summary>
    public TimeSpan MaxRetryInterval { get; }

    /// <summary>Maps to <c>RetryPolicy.RetryTimeout</c>.</summary>
    public TimeSpan RetryTimeout { get; }

    /// <summary>The delay before attempt number <paramref name="nextAttempt"/> (2 = first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var ms = FirstRetryInterval.TotalMilliseconds * Math.Pow(BackoffCoefficient, nextAttempt - 2);
        var delay = double.IsFinite(ms) && ms < TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.FromMilliseconds(ms) : TimeSpan.MaxValue;
        return MaxRetryInterval != Timeout.InfiniteTimeSpan && delay > MaxRetryInterval ? MaxRetryInterval : delay;
    }
}

/// <summary>
/// Options for <see cref="DurableTaskClient.ScheduleNewOrchestrationInstanceAsync"/>. Mirrors
/// <c>Microsoft.DurableTask.StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null)</c>.
/// </summary>
public record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null);
