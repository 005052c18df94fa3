using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Workflow;

/// <summary>
/// The serializer of the workflow's inputs, outputs, events and custom status: source-generated for the workflow's
/// own types (web naming, enums as strings), reflection only for anything else a host passes.
/// </summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = new(WorkflowJsonContext.Default.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(WorkflowJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    /// <summary>Pass to the durable runner (EmbeddedDurableOptions.DataConverter) and to clients reading statuses.</summary>
    public static DataConverter DataConverter { get; } = new JsonDataConverter(Options);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IntakeInput))]
[JsonSerializable(typeof(RevocationInput))]
[JsonSerializable(typeof(IntakeResult))]
[JsonSerializable(typeof(IntakeStatus))]
[JsonSerializable(typeof(DecisionEvent))]
[JsonSerializable(typeof(ValidationResult))]
[JsonSerializable(typeof(DecisionInput))]
[JsonSerializable(typeof(DecisionOutput))]
[JsonSerializable(typeof(BatchMail))]
[JsonSerializable(typeof(ExportOutput))]
[JsonSerializable(typeof(ApprovalPlan))]
[JsonSerializable(typeof(ExpiryOutcome))]
[JsonSerializable(typeof(CoveragePublished))]
[JsonSerializable(typeof(CampaignInput))]
[JsonSerializable(typeof(CampaignPlan))]
[JsonSerializable(typeof(CampaignStatus))]
[JsonSerializable(typeof(ReminderRound))]
[JsonSerializable(typeof(DailySummaryInput))]
[JsonSerializable(typeof(RoundOutcome))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(DateOnly))]
internal sealed partial class WorkflowJsonContext : JsonSerializerContext;
