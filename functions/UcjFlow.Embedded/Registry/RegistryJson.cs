using System.Text.Json.Serialization;

namespace UcjFlow.Embedded.Registry;

[JsonSerializable(typeof(IReadOnlyCollection<string>))]
internal sealed partial class RegistryJson : JsonSerializerContext;
