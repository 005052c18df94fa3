using System.Text.Json.Serialization;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Embedded.Durable;

/// <summary>The kinds of history event, after Durable Task Framework's history event types.</summary>
internal enum EventKind
{
    ExecutionStarted = 0,
    OrchestratorStarted = 1,
    TaskScheduled = 2,
    TaskCompleted = 3,
    TaskFailed = 4,
    TimerCreated = 5,
    TimerFired = 6,
    EventRaised = 7,
    EventSent = 8,
    SubOrchestrationCreated = 9,
    SubOrchestrationCompleted = 10,
    SubOrchestrationFailed = 11,
    ExecutionCompleted = 12,
    ExecutionFailed = 13,
    ExecutionTerminated = 14,
    ContinuedAsNew = 15,
}

/// <summary>
/// One append-only history entry (also the shape of inbox messages). One record with optional fields keeps the
/// store to a single JSON column per event.
/// </summary>
internal sealed record HistoryEvent(EventKind Kind)
{
    /// <summary>Sequence number of the scheduled task this event creates or answers (-1 when none).</summary>
    public int TaskId { get; init; } = -1;

    /// <summary>Activity, orchestrator or event name.</summary>
    public string? Name { get; init; }

    /// <summary>Serialized input, result, payload or output.</summary>
    public string? Data { get; init; }

    public TaskFailureDetails? Failure { get; init; }

    /// <summary>Episode start time (OrchestratorStarted) or fire time (TimerCreated, TimerFired), UTC.</summary>
    public DateTime? Timestamp { get; init; }

    /// <summary>Child instance (SubOrchestrationCreated) or target instance (EventSent).</summary>
    public string? InstanceId { get; init; }

    public string? ExecutionId { get; init; }

    public string? ParentInstanceId { get; init; }

    public string? ParentName { get; init; }

    public string? ParentExecutionId { get; init; }

    /// <summary>ContinueAsNew: carry unconsumed events into the next execution.</summary>
    public bool? PreserveUnprocessedEvents { get; init; }

    public bool IsAction => Kind is EventKind.TaskScheduled or EventKind.TimerCreated or EventKind.SubOrchestrationCreated or EventKind.EventSent;

    public string Describe() => Kind switch
    {
        EventKind.TaskScheduled => $"CallActivityAsync(\"{Name}\")",
        EventKind.TimerCreated => $"CreateTimer({Timestamp:O})",
        EventKind.SubOrchestrationCreated => $"CallSubOrchestratorAsync(\"{Name}\")",
        EventKind.EventSent => $"SendEvent(\"{InstanceId}\", \"{Name}\")",
        _ => Kind.ToString(),
    };
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HistoryEvent))]
[JsonSerializable(typeof(TaskFailureDetails))]
internal sealed partial class HistoryJson : JsonSerializerContext;
