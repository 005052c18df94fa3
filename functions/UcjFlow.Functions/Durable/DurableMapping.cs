using DT = Microsoft.DurableTask;
using DTClient = Microsoft.DurableTask.Client;
using Port = UcjFlow.Workflow.Durable;

namespace UcjFlow.Functions.Durable;

/// <summary>Value conversions between the workflow port and Microsoft.DurableTask (same shapes, different namespaces).</summary>
static class DurableMapping
{
    public static DT.TaskOptions? ToDurable(Port.TaskOptions? options)
    {
        if (options is null) return null;
        var retry = options.Retry?.Policy is { } p
            ? new DT.TaskRetryOptions(new DT.RetryPolicy(p.MaxNumberOfAttempts, p.FirstRetryInterval, p.BackoffCoefficient, p.MaxRetryInterval, p.RetryTimeout))
            : null;
        return options is Port.SubOrchestrationOptions sub
            ? new DT.SubOrchestrationOptions(retry, sub.InstanceId)
            : new DT.TaskOptions(retry);
    }

    public static Port.TaskFailureDetails FromDurable(DT.TaskFailureDetails d)
        => new(d.ErrorType, d.ErrorMessage, d.StackTrace, d.InnerFailure is null ? null : FromDurable(d.InnerFailure));

    public static Port.OrchestrationRuntimeStatus FromDurable(DTClient.OrchestrationRuntimeStatus s) => (Port.OrchestrationRuntimeStatus)(int)s;

    public static DTClient.OrchestrationRuntimeStatus ToDurable(Port.OrchestrationRuntimeStatus s) => (DTClient.OrchestrationRuntimeStatus)(int)s;

    public static Port.OrchestrationMetadata FromDurable(DTClient.OrchestrationMetadata m, Port.DataConverter converter) => new(m.Name, m.InstanceId)
    {
        DataConverter = converter,
        RuntimeStatus = FromDurable(m.RuntimeStatus),
        CreatedAt = m.CreatedAt,
        LastUpdatedAt = m.LastUpdatedAt,
        SerializedInput = m.SerializedInput,
        SerializedOutput = m.SerializedOutput,
        SerializedCustomStatus = m.SerializedCustomStatus,
        FailureDetails = m.FailureDetails is null ? null : FromDurable(m.FailureDetails),
    };
}
