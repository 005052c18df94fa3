using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.Embedded.Durable;

/// <summary>Settings of the embedded durable runner.</summary>
public sealed class EmbeddedDurableOptions
{
    /// <summary>The clock for episode times, timers and timestamps. Tests pass a manual clock and move it.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Where activity and orchestrator classes get their constructor arguments; none by default.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>Serializer for inputs, outputs, payloads and custom status (pass a source-generated context through JsonDataConverter).</summary>
    public DataConverter DataConverter { get; init; } = JsonDataConverter.Default;

    /// <summary>Activities running at once (the worker pool's size).</summary>
    public int MaxConcurrentActivities { get; init; } = Math.Max(8, Environment.ProcessorCount * 4);

    /// <summary>
    /// The lane each activity (by name) waits in for a worker (<see cref="ActivityLane"/>): e.g. decisions before
    /// exports and mails, CPU-heavy activities a few at a time. Null: one first-in first-out lane for all.
    /// </summary>
    public Func<string, ActivityLane>? ActivityLanes { get; init; }

    /// <summary>
    /// Running orchestrations kept in memory between episodes, so an episode only applies new events. Beyond this (and
    /// after a restart) an orchestration is rebuilt by replaying its history. 0 replays every episode.
    /// </summary>
    public int MaxCachedOrchestrations { get; init; } = 10_000;

    /// <summary>Most inbox messages taken into one batch of episodes (one transaction).</summary>
    public int MaxMessagesPerBatch { get; init; } = 5_000;

    /// <summary>SQLite synchronous=FULL (survives power loss, slower) instead of NORMAL (survives a killed process).</summary>
    public bool SynchronousFull { get; init; }
}
