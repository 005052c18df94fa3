using System.Text.Json;

namespace UcjFlow.Workflow.Durable;

/// <summary>
/// Turns inputs, outputs, event payloads and custom status into stored text and back. Mirrors
/// <c>Microsoft.DurableTask.DataConverter</c> (Serialize, Deserialize, Deserialize&lt;T&gt;).
/// </summary>
public abstract class DataConverter
{
    /// <summary>Maps to <c>DataConverter.Serialize(object?)</c>.</summary>
    public abstract string? Serialize(object? value);

    /// <summary>Maps to <c>DataConverter.Deserialize(string?, Type)</c>.</summary>
    public abstract object? Deserialize(string? data, Type targetType);

    /// <summary>Maps to <c>DataConverter.Deserialize&lt;T&gt;(string?)</c>.</summary>
    public virtual T? Deserialize<T>(string? data) => (T?)Deserialize(data, typeof(T));
}

/// <summary>
/// System.Text.Json converter. Mirrors <c>Microsoft.DurableTask.Converters.JsonDataConverter</c>. Pass options whose
/// <see cref="JsonSerializerOptions.TypeInfoResolver"/> is a source-generated <c>JsonSerializerContext</c> to avoid reflection.
/// </summary>
public sealed class JsonDataConverter(JsonSerializerOptions? options = null) : DataConverter
{
    /// <summary>Web defaults (camelCase), reflection-based.</summary>
    public static JsonDataConverter Default { get; } = new();

    readonly JsonSerializerOptions options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);

    /// <inheritdoc/>
    public override string? Serialize(object? value)
        => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), options);

    /// <inheritdoc/>
    public override object? Deserialize(string? data, Type targetType)
        => data is null ? null : JsonSerializer.Deserialize(data, targetType, options);
}
