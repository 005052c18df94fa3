using Microsoft.Extensions.DependencyInjection;

namespace UcjFlow.Workflow.Durable;

/// <summary>
/// Orchestrators and activities by name. Mirrors <c>Microsoft.DurableTask.DurableTaskRegistry</c>
/// (AddOrchestrator&lt;T&gt;, AddOrchestratorFunc, AddActivity&lt;T&gt;, AddActivityFunc). A type registered without a
/// name is registered under its class name, as Durable does without a <c>[DurableTask]</c> attribute. Activity
/// classes are created per call from the host's <see cref="IServiceProvider"/> (constructor injection).
/// </summary>
public sealed class DurableTaskRegistry
{
    readonly Dictionary<TaskName, Func<IServiceProvider, ITaskOrchestrator>> orchestrators = new(NameComparer.Instance);
    readonly Dictionary<TaskName, Func<IServiceProvider, ITaskActivity>> activities = new(NameComparer.Instance);

    /// <summary>Registered orchestrator factories (read by hosts).</summary>
    public IReadOnlyDictionary<TaskName, Func<IServiceProvider, ITaskOrchestrator>> Orchestrators => orchestrators;

    /// <summary>Registered activity factories (read by hosts).</summary>
    public IReadOnlyDictionary<TaskName, Func<IServiceProvider, ITaskActivity>> Activities => activities;

    /// <summary>Maps to <c>DurableTaskRegistry.AddOrchestrator&lt;TOrchestrator&gt;()</c>.</summary>
    public DurableTaskRegistry AddOrchestrator<TOrchestrator>() where TOrchestrator : class, ITaskOrchestrator
        => AddOrchestrator<TOrchestrator>(typeof(TOrchestrator).Name);

    /// <summary>Maps to <c>DurableTaskRegistry.AddOrchestrator&lt;TOrchestrator&gt;(TaskName)</c>.</summary>
    public DurableTaskRegistry AddOrchestrator<TOrchestrator>(TaskName name) where TOrchestrator : class, ITaskOrchestrator
        => Add(orchestrators, name, sp => ActivatorUtilities.GetServiceOrCreateInstance<TOrchestrator>(sp));

    /// <summary>Maps to <c>DurableTaskRegistry.AddOrchestrator(TaskName, Func&lt;ITaskOrchestrator&gt;)</c>.</summary>
    public DurableTaskRegistry AddOrchestrator(TaskName name, Func<ITaskOrchestrator> factory)
        => Add(orchestrators, name, _ => factory());

    /// <summary>Maps to <c>DurableTaskRegistry.AddOrchestratorFunc&lt;TInput, TOutput&gt;(TaskName, Func&lt;TaskOrchestrationContext, TInput, Task&lt;TOutput&gt;&gt;)</c>.</summary>
    public DurableTaskRegistry AddOrchestratorFunc<TInput, TOutput>(TaskName name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> orchestrator)
        => AddOrchestrator(name, () => new FuncOrchestrator<TInput, TOutput>(orchestrator));

    /// <summary>Maps to <c>DurableTaskRegistry.AddOrchestratorFunc&lt;TInput&gt;(TaskName, Func&lt;TaskOrchestrationContext, TInput, Task&gt;)</c>.</summary>
    public DurableTaskRegistry AddOrchestratorFunc<TInput>(TaskName name, Func<TaskOrchestrationContext, TInput, Task> orchestrator)
        => AddOrchestratorFunc<TInput, object?>(name, async (context, input) => { await orchestrator(context, input); return null; });

    /// <summary>Maps to <c>DurableTaskRegistry.AddOrchestratorFunc&lt;TOutput&gt;(TaskName, Func&lt;TaskOrchestrationContext, Task&lt;TOutput&gt;&gt;)</c>.</summary>
    public DurableTaskRegistry AddOrchestratorFunc<TOutput>(TaskName name, Func<TaskOrchestrationContext, Task<TOutput>> orchestrator)
        => AddOrchestratorFunc<object?, TOutput>(name, (context, _) => orchestrator(context));

    /// <summary>Maps to <c>DurableTaskRegistry.AddActivity&lt;TActivity&gt;()</c>.</summary>
    public DurableTaskRegistry AddActivity<TActivity>() where TActivity : class, ITaskActivity
        => AddActivity<TActivity>(typeof(TActivity).Name);

    /// <summary>Maps to <c>DurableTaskRegistry.AddActivity&lt;TActivity&gt;(TaskName)</c>.</summary>
    public DurableTaskRegistry AddActivity<TActivity>(TaskName name) where TActivity : class, ITaskActivity
        => Add(activities, name, sp => ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(sp));

    /// <summary>Maps to <c>DurableTaskRegistry.AddActivity(TaskName, Func&lt;IServiceProvider, ITaskActivity&gt;)</c>.</summary>
    public DurableTaskRegistry AddActivity(TaskName name, Func<IServiceProvider, ITaskActivity> factory)
        => Add(activities, name, factory);

    /// <summary>Maps to <c>DurableTaskRegistry.AddActivityFunc&lt;TInput, TOutput&gt;(TaskName, Func&lt;TaskActivityContext, TInput, Task&lt;TOutput&gt;&gt;)</c>.</summary>
    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(TaskName name, Func<TaskActivityContext, TInput, Task<TOutput>> activity)
        => Add(activities, name, _ => new FuncActivity<TInput, TOutput>(activity));

    /// <summary>Maps to <c>DurableTaskRegistry.AddActivityFunc&lt;TInput, TOutput&gt;(TaskName, Func&lt;TaskActivityContext, TInput, TOutput&gt;)</c>.</summary>
    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(TaskName name, Func<TaskActivityContext, TInput, TOutput> activity)
        => AddActivityFunc<TInput, TOutput>(name, (context, input) => Task.FromResult(activity(context, input)));

    /// <summary>Maps to <c>DurableTaskRegistry.AddActivityFunc&lt;TInput&gt;(TaskName, Func&lt;TaskActivityContext, TInput, Task&gt;)</c>.</summary>
    public DurableTaskRegistry AddActivityFunc<TInput>(TaskName name, Func<TaskActivityContext, TInput, Task> activity)
        => AddActivityFunc<TInput, object?>(name, async (context, input) => { await activity(context, input).ConfigureAwait(false); return null; });

    DurableTaskRegistry Add<T>(Dictionary<TaskName, T> map, TaskName name, T factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name.Name, nameof(name));
        ArgumentNullException.ThrowIfNull(factory);
        if (!map.TryAdd(name, factory))
            throw new ArgumentException($"A task named '{name}' is already registered.", nameof(name));
        return this;
    }

    sealed class FuncOrchestrator<TInput, TOutput>(Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) : TaskOrchestrator<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input) => run(context, input);
    }

    sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(context, input);
    }

    // Durable matches task names case-insensitively.
    sealed class NameComparer : IEqualityComparer<TaskName>
    {
        public static readonly NameComparer Instance = new();
        public bool Equals(TaskName x, TaskName y) => string.Equals(x.Name, y.Name, StringComparison.OrdinalIgnoreCase);
        public int GetHashCode(TaskName obj) => StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Name ?? "");
    }
}
