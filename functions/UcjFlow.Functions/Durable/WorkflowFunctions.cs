using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Export;
using UcjFlow.Workflow.Intake;
using DT = Microsoft.DurableTask;
using Port = UcjFlow.Workflow.Durable;

namespace UcjFlow.Functions.Durable;

/// <summary>
/// The workflow's orchestrators and activities as Durable Functions. Each function only adapts the trigger to the port
/// and calls the same class the embedded runner calls (UcjFlow.Workflow.WorkflowRegistration lists the same set).
/// </summary>
public sealed class WorkflowFunctions(ILoggerFactory loggers)
{
    [Function(IntakeNames.Orchestrator)]
    public Task<IntakeResult> Intake([OrchestrationTrigger] DT.TaskOrchestrationContext context)
        => new IntakeOrchestrator().RunAsync(Adapt(context), context.GetInput<IntakeInput>()!);

    [Function(CampaignNames.Orchestrator)]
    public Task<CampaignStatus?> Campaign([OrchestrationTrigger] DT.TaskOrchestrationContext context)
        => new CampaignOrchestrator().RunAsync(Adapt(context), context.GetInput<CampaignInput>()!);

    [Function(ValidateBatchActivity.Name)]
    public Task<ValidationResult> ValidateBatch([ActivityTrigger] string batchId, FunctionContext fc)
        => Run<ValidateBatchActivity, string, ValidationResult>(fc, ValidateBatchActivity.Name, batchId);

    [Function(GetApprovalPlanActivity.Name)]
    public Task<ApprovalPlan> GetApprovalPlan([ActivityTrigger] string batchId, FunctionContext fc)
        => Run<GetApprovalPlanActivity, string, ApprovalPlan>(fc, GetApprovalPlanActivity.Name, batchId);

    [Function(BatchMailActivity.Name)]
    public Task<bool> SendBatchMail([ActivityTrigger] BatchMail mail, FunctionContext fc)
        => Run<BatchMailActivity, BatchMail, bool>(fc, BatchMailActivity.Name, mail);

    [Function(ApproveBatchActivity.Name)]
    public Task<DecisionOutput> ApproveBatch([ActivityTrigger] DecisionInput decision, FunctionContext fc)
        => Run<ApproveBatchActivity, DecisionInput, DecisionOutput>(fc, ApproveBatchActivity.Name, decision);

    [Function(RejectBatchActivity.Name)]
    public Task<DecisionOutput> RejectBatch([ActivityTrigger] DecisionInput decision, FunctionContext fc)
        => Run<RejectBatchActivity, DecisionInput, DecisionOutput>(fc, RejectBatchActivity.Name, decision);

    [Function(WriteBpjsExportActivity.Name)]
    public Task<ExportOutput> WriteBpjsExport([ActivityTrigger] string batchId, FunctionContext fc)
        => Run<WriteBpjsExportActivity, string, ExportOutput>(fc, WriteBpjsExportActivity.Name, batchId);

    [Function(PublishCoverageActivity.Name)]
    public Task<CoveragePublished> PublishCoverage([ActivityTrigger] string? reason, FunctionContext fc)
        => Run<PublishCoverageActivity, string?, CoveragePublished>(fc, PublishCoverageActivity.Name, reason);

    [Function(GetCampaignPlanActivity.Name)]
    public Task<CampaignPlan> GetCampaignPlan([ActivityTrigger] string campaignId, FunctionContext fc)
        => Run<GetCampaignPlanActivity, string, CampaignPlan>(fc, GetCampaignPlanActivity.Name, campaignId);

    [Function(SendDeadlineRemindersActivity.Name)]
    public Task<RoundOutcome> SendDeadlineReminders([ActivityTrigger] ReminderRound round, FunctionContext fc)
        => Run<SendDeadlineRemindersActivity, ReminderRound, RoundOutcome>(fc, SendDeadlineRemindersActivity.Name, round);

    [Function(SendDeadlineEscalationActivity.Name)]
    public Task<RoundOutcome> SendDeadlineEscalation([ActivityTrigger] string campaignId, FunctionContext fc)
        => Run<SendDeadlineEscalationActivity, string, RoundOutcome>(fc, SendDeadlineEscalationActivity.Name, campaignId);

    [Function(SendDailySummaryActivity.Name)]
    public Task<CoveragePublished> SendDailySummary([ActivityTrigger] DateOnly day, FunctionContext fc)
        => Run<SendDailySummaryActivity, DateOnly, CoveragePublished>(fc, SendDailySummaryActivity.Name, day);

    Port.TaskOrchestrationContext Adapt(DT.TaskOrchestrationContext context) => new AzureOrchestrationContext(context, loggers);

    // Activities get their dependencies from the worker's container, as they do from the embedded host's.
    static Task<TOut> Run<TActivity, TIn, TOut>(FunctionContext fc, string name, TIn input) where TActivity : Port.TaskActivity<TIn, TOut>
    {
        var instanceId = fc.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? "" : "";
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(fc.InstanceServices);
        return activity.RunAsync(new AzureActivityContext(name, instanceId), input);
    }
}
