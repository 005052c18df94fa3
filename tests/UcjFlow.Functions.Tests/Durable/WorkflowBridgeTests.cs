using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using UcjFlow.Functions.Durable;
using Port = UcjFlow.Workflow.Durable;

namespace UcjFlow.Functions.Tests.Durable;

/// <summary>
/// How a Functions activity trigger reaches the workflow's activity: by the function's name, with the calling instance's
/// id from the trigger's binding data, the activity created from the invocation's services. (The real-engine suite runs
/// the orchestrators through the same bridge; the Functions host, which binds activities, cannot run here.)
/// </summary>
public sealed class WorkflowBridgeTests
{
    sealed record Call(string Name, string InstanceId, string Input);

    static (WorkflowBridge Bridge, List<Call> Calls) Bridge()
    {
        var calls = new List<Call>();
        var registry = new Port.DurableTaskRegistry()
            .AddActivityFunc<string, int>("ValidateBatch", (context, input) => { calls.Add(new(context.Name.Name, context.InstanceId, input)); return 7; })
            .AddActivityFunc<string, int>("GetApprovalPlan", (_, _) => Task.FromException<int>(new InvalidOperationException("the wrong activity ran")));
        return (new WorkflowBridge(registry, NullLoggerFactory.Instance), calls);
    }

    [Fact]
    public async Task An_activity_trigger_runs_the_activity_of_its_function_name_for_the_calling_instance()
    {
        var (bridge, calls) = Bridge();

        var result = await bridge.RunActivityAsync<string, int>(new Invocation("ValidateBatch", new Dictionary<string, object?> { ["instanceId"] = "1503012001-abcdef123456" }), "1503012001-abcdef123456");

        Assert.Equal(7, result);
        Assert.Equal([new Call("ValidateBatch", "1503012001-abcdef123456", "1503012001-abcdef123456")], calls);
    }

    [Fact]
    public async Task An_activity_trigger_without_the_instance_id_fails_instead_of_running_anonymously()
    {
        var (bridge, calls) = Bridge();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => bridge.RunActivityAsync<string, int>(new Invocation("ValidateBatch", new Dictionary<string, object?>()), "b"));

        Assert.Contains("instanceId", e.Message);
        Assert.Empty(calls);
    }

    /// <summary>What the worker hands a function: its definition (name), binding data and services.</summary>
    sealed class Invocation(string functionName, IReadOnlyDictionary<string, object?> bindingData) : FunctionContext
    {
        public override string InvocationId => "invocation-1";
        public override string FunctionId => functionName;
        public override TraceContext TraceContext => throw new NotSupportedException();
        public override BindingContext BindingContext { get; } = new Bindings(bindingData);
        public override RetryContext RetryContext => throw new NotSupportedException();
        public override IServiceProvider InstanceServices { get; set; } = new ServiceCollection().BuildServiceProvider();
        public override FunctionDefinition FunctionDefinition { get; } = new Definition(functionName);
        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
        public override IInvocationFeatures Features => throw new NotSupportedException();
    }

    sealed class Bindings(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData => data;
    }

    sealed class Definition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];
        public override string PathToAssembly => "";
        public override string EntryPoint => "";
        public override string Id => name;
        public override string Name => name;
        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
