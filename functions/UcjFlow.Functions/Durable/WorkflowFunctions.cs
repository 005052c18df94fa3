using Microsoft.Azure.Functions.Worker;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Export;
using UcjFlow.Workflow.Intake;
using DT = Microsoft.DurableTask;

namespace UcjFlow.Functions.Durable;

/// <summary>
/// The workflow's orchestrators and activities as Durable Functions, one line each through <see cref="WorkflowBridge"/>
/// into the classes the embedded runner runs. UcjFlow.Workflow.WorkflowRegistration declares the same set; a test reads
/// the generated functions.metadata and fails when one is missing here.
/// </summary>
public sealed class WorkflowFunctions(WorkflowBridge workflow)
{
    [Function(IntakeNames.Orchestrator)]
    public Task<IntakeResult> Intake([OrchestrationTrigger] DT.TaskOrchestrationContext context, FunctionContext fc)
        => workflow.RunOrchestratorAsync<IntakeInput, IntakeResult>(context, fc);

    [Function(CampaignNames.Orchestrator)]
    public Task<CampaignStatus?> Campaign([OrchestrationTrigger] DT.TaskOrchestrationContext context, FunctionContext fc)
        => workflow.RunOrchestratorAsync<CampaignInput, CampaignStatus?>(context, fc);

    [Function(IntakeNames.RevocationOrchestrator)]
    public Task<bool> Revocation([OrchestrationTrigger] DT.TaskOrchestrationContext context, FunctionContext fc)
        => workflow.RunOrchestratorAsync<RevocationInput, bool>(context, fc);

    [Function(ValidateBatchActivity.Name)]
    public Task<ValidationResult> ValidateBatch([ActivityTrigger] string batchId, FunctionContext fc)
        => workflow.RunActivityAsync<string, ValidationResult>(fc, batchId);

    [Function(GetApprovalPlanActivity.Name)]
    public Task<ApprovalPlan> GetApprovalPlan([ActivityTrigger] string batchId, FunctionContext fc)
        => workflow.RunActivityAsync<string, ApprovalPlan>(fc, batchId);

    [Function(BatchMailActivity.Name)]
    public Task<bool> SendBatchMail([ActivityTrigger] BatchMail mail, FunctionContext fc)
        => workflow.RunActivityAsync<BatchMail, bool>(fc, mail);

    [Function(ApproveBatchActivity.Name)]
    public Task<DecisionOutput> ApproveBatch([ActivityTrigger] DecisionInput decision, FunctionContext fc)
        => workflow.RunActivityAsync<DecisionInput, DecisionOutput>(fc, decision);

    [Function(RejectBatchActivity.Name)]
    public Task<DecisionOutput> RejectBatch([ActivityTrigger] DecisionInput decision, FunctionContext fc)
        => workflow.RunActivityAsync<DecisionInput, DecisionOutput>(fc, decision);

    [Function(ExpireBatchActivity.Name)]
    public Task<ExpiryOutcome> ExpireBatch([ActivityTrigger] string batchId, FunctionContext fc)
        => workflow.RunActivityAsync<string, ExpiryOutcome>(fc, batchId);

    [Function(WriteBpjsExportActivity.Name)]
    public Task<ExportOutput> WriteBpjsExport([ActivityTrigger] string batchId, FunctionContext fc)
        => workflow.RunActivityAsync<string, ExportOutput>(fc, batchId);

    [Function(PublishCoverageActivity.Name)]
    public Task<CoveragePublished> PublishCoverage([ActivityTrigger] string? reason, FunctionContext fc)
        => workflow.RunActivityAsync<string?, CoveragePublished>(fc, reason);

    [Function(GetCampaignPlanActivity.Name)]
    public Task<CampaignPlan> GetCampaignPlan([ActivityTrigger] string campaignId, FunctionContext fc)
        => workflow.RunActivityAsync<string, CampaignPlan>(fc, campaignId);

    [Function(SendDeadlineRemindersActivity.Name)]
    public Task<RoundOutcome> SendDeadlineReminders([ActivityTrigger] ReminderRound round, FunctionContext fc)
        => workflow.RunActivityAsync<ReminderRound, RoundOutcome>(fc, round);

    [Function(SendDeadlineEscalationActivity.Name)]
    public Task<RoundOutcome> SendDeadlineEscalation([ActivityTrigger] string campaignId, FunctionContext fc)
        => workflow.RunActivityAsync<string, RoundOutcome>(fc, campaignId);

    [Function(SendDailySummaryActivity.Name)]
    public Task<CoveragePublished?> SendDailySummary([ActivityTrigger] DateOnly day, FunctionContext fc)
        => workflow.RunActivityAsync<DateOnly, CoveragePublished?>(fc, day);
}
