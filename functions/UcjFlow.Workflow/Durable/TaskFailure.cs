namespace UcjFlow.Workflow.Durable;

/// <summary>
/// Details of a failed activity, sub-orchestration or orchestration. Mirrors
/// <c>Microsoft.DurableTask.TaskFailureDetails(ErrorType, ErrorMessage, StackTrace, InnerFailure)</c>.
/// </summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace, TaskFailureDetails? InnerFailure)
{
    /// <summary>Maps to <c>TaskFailureDetails.FromException(Exception)</c>.</summary>
    public static TaskFailureDetails FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TaskFailedException failed)
            return new(failed.GetType().FullName!, failed.Message, failed.StackTrace, failed.FailureDetails);
        return new(exception.GetType().FullName!, exception.Message, exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException));
    }

    /// <summary>
    /// Maps to <c>TaskFailureDetails.IsCausedBy&lt;T&gt;()</c>: true when the failing exception was a <typeparamref name="T"/>
    /// (or derived from it), judged by the recorded type name.
    /// </summary>
    public bool IsCausedBy<T>() where T : Exception
    {
        var type = Type.GetType(ErrorType, throwOnError: false) ?? typeof(T).Assembly.GetType(ErrorType, throwOnError: false);
        return type is not null ? typeof(T).IsAssignableFrom(type) : ErrorType == typeof(T).FullName;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}

/// <summary>
/// Thrown into orchestrator code when an activity or sub-orchestration failed. Mirrors
/// <c>Microsoft.DurableTask.TaskFailedException</c> (TaskName, TaskId, FailureDetails).
/// </summary>
public sealed class TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
    : Exception($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails.ErrorMessage}")
{
    /// <summary>Maps to <c>TaskFailedException.TaskName</c>.</summary>
    public string TaskName { get; } = taskName;

    /// <summary>Maps to <c>TaskFailedException.TaskId</c>: the sequence number of the scheduled task.</summary>
    public int TaskId { get; } = taskId;

    /// <summary>Maps to <c>TaskFailedException.FailureDetails</c>.</summary>
    public TaskFailureDetails FailureDetails { get; } = failureDetails;
}
