using System.Text.Json;

namespace UcjFlow.Functions.Tests.RealEngine;

/// <summary>
/// DurableTask.Core's side of serialization (what <c>TaskHubClient</c> writes: orchestration inputs, event payloads,
/// termination reasons) in the workflow's JSON, <c>WorkflowJson.Options</c>, the same System.Text.Json options the
/// Functions app gives the worker (<c>WorkerOptions.Serializer</c>) and the shims get through
/// <c>DurableTaskWorkerOptions.DataConverter</c>. DurableTask.Core's own <c>JsonDataConverter</c> is Newtonsoft.Json;
/// Microsoft.DurableTask's equivalent shim is internal, hence this one.
/// </summary>
public sealed class CoreJsonDataConverter(JsonSerializerOptions options) : DurableTask.Core.Serializing.JsonDataConverter
{
    /// <summary>null stays null (no "null" text), as Microsoft.DurableTask's converter does.</summary>
    public override string Serialize(object value) => value is null ? null! : JsonSerializer.Serialize(value, value.GetType(), options);

    public override string Serialize(object value, bool formatted) => Serialize(value);

    public override object Deserialize(string data, Type objectType) => data is null ? null! : JsonSerializer.Deserialize(data, objectType, options)!;
}
