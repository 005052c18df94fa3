using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using DT = Microsoft.DurableTask;
using Port = UcjFlow.Workflow.Durable;

namespace UcjFlow.Functions.Durable;

/// <summary>
/// The workflow's orchestrators and activities, as declared once in the port's <see cref="Port.DurableTaskRegistry"/>
/// (<c>AddUcjFlowWorkflow</c>), turned into Microsoft.DurableTask ones over the project's adapter
/// (<see cref="AzureOrchestrationContext"/>). The Functions triggers run through it, and so does the real-engine test
/// (DurableTask.Core's TaskHubWorker through <c>DurableTaskShimFactory</c>): one path onto the real engine.
/// </summary>
public sealed class WorkflowBridge(Port.DurableTaskRegistry registry, ILoggerFactory loggers)
{
    /// <summary>The named orchestrator as Durable runs it. Throws <see cref="KeyNotFoundException"/> for a name the workflow does not declare.</summary>
    public DT.ITaskOrchestrator Orchestrator(string name, IServiceProvider services) =>
        new PortOrchestrator(registry.Orchestrators[name](services), loggers);

    /// <summary>The named activity as Durable runs it; its class is created per call from <paramref name="services"/>.</summary>
    public DT.ITaskActivity Activity(string name, IServiceProvider services) =>
        new PortActivity(registry.Activities[name](services));

    /// <summary>Runs an orchestrator trigger: the function's name is the orchestrator's.</summary>
    public async Task<TOutput> RunOrchestratorAsync<TInput, TOutput>(DT.TaskOrchestrationContext context, FunctionContext function) =>
        (TOutput)(await Orchestrator(function.FunctionDefinition.Name, function.InstanceServices).RunAsync(context, context.GetInput<TInput>()))!;

    /// <summary>Runs an activity trigger: the function's name is the activity's; Durable binds the calling instance's id.</summary>
    public async Task<TOutput> RunActivityAsync<TInput, TOutput>(FunctionContext function, TInput input)
    {
        var name = function.FunctionDefinition.Name;
        var instanceId = function.BindingContext.BindingData.TryGetValue("instanceId", out var id) && id?.ToString() is { Length: > 0 } bound
            ? bound
            : throw new InvalidOperationException($"Activity {name} was invoked without the calling instance's id (binding data 'instanceId').");
        return (TOutput)(await registry.Activities[name](function.InstanceServices).RunAsync(new AzureActivityContext(name, instanceId), input))!;
    }

    sealed class PortOrchestrator(Port.ITaskOrchestrator inner, ILoggerFactory loggers) : DT.ITaskOrchestrator
    {
        public Type InputType => inner.InputType;
        public Type OutputType => inner.OutputType;

        public Task<object?> RunAsync(DT.TaskOrchestrationContext context, object? input) =>
            inner.RunAsync(new AzureOrchestrationContext(context, loggers), input);
    }

    sealed class PortActivity(Port.ITaskActivity inner) : DT.ITaskActivity
    {
        public Type InputType => inner.InputType;
        public Type OutputType => inner.OutputType;

        public Task<object?> RunAsync(DT.TaskActivityContext context, object? input) =>
            inner.RunAsync(new AzureActivityContext(context.Name.Name, context.InstanceId), input);
    }
}
