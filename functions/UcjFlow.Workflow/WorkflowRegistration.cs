using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Export;
using UcjFlow.Workflow.Intake;

namespace UcjFlow.Workflow;

/// <summary>
/// Registers the enrolment workflow's orchestrators and activities. Activities are created per call from the
/// host's service provider; it must provide:
/// <list type="bullet">
/// <item><see cref="Core.Campaigns.Campaign"/> (the loaded campaign), <see cref="Core.Registry.IEnrollmentRegistry"/>,
/// <see cref="Core.Storage.IBlobStore"/>, <see cref="Core.Mail.IMailer"/>,</item>
/// <item><see cref="TimeProvider"/>, <see cref="Core.Security.ApprovalLinkSigner"/>, <see cref="WorkflowOptions"/>,
/// <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>,</item>
/// <item><see cref="Coverage.CoveragePublisher"/>, one per host (its publications coalesce).</item>
/// </list>
/// Use <see cref="WorkflowJson.DataConverter"/> as the runner's converter (source-generated for the workflow's types).
/// </summary>
public static class WorkflowRegistration
{
    public static DurableTaskRegistry AddUcjFlowWorkflow(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<IntakeOrchestrator>(IntakeNames.Orchestrator)
            .AddOrchestrator<CampaignOrchestrator>(CampaignNames.Orchestrator)
            .AddOrchestrator<RevocationOrchestrator>(IntakeNames.RevocationOrchestrator)
            .AddActivity<ValidateBatchActivity>(ValidateBatchActivity.Name)
            .AddActivity<GetApprovalPlanActivity>(GetApprovalPlanActivity.Name)
            .AddActivity<BatchMailActivity>(BatchMailActivity.Name)
            .AddActivity<ApproveBatchActivity>(ApproveBatchActivity.Name)
            .AddActivity<RejectBatchActivity>(RejectBatchActivity.Name)
            .AddActivity<ExpireBatchActivity>(ExpireBatchActivity.Name)
            .AddActivity<WriteBpjsExportActivity>(WriteBpjsExportActivity.Name)
            .AddActivity<PublishCoverageActivity>(PublishCoverageActivity.Name)
            .AddActivity<GetCampaignPlanActivity>(GetCampaignPlanActivity.Name)
            .AddActivity<SendDeadlineRemindersActivity>(SendDeadlineRemindersActivity.Name)
            .AddActivity<SendDeadlineEscalationActivity>(SendDeadlineEscalationActivity.Name)
            .AddActivity<SendDailySummaryActivity>(SendDailySummaryActivity.Name);
    }
}

/// <summary>Starting the workflow's long-running instances from a host.</summary>
public static class WorkflowClientExtensions
{
    /// <summary>
    /// Starts the campaign's orchestration unless it already runs (instance "campaign-{id}"); true when started now.
    /// Call at host start: after a restart the running instance simply carries on.
    /// </summary>
    public static async Task<bool> EnsureCampaignStartedAsync(this DurableTaskClient client, string campaignId, CancellationToken ct = default)
    {
        var id = CampaignNames.InstanceId(campaignId);
        var existing = await client.GetInstanceAsync(id, ct).ConfigureAwait(false);
        if (existing is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending }) return false;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(CampaignNames.Orchestrator, new CampaignInput(campaignId),
                new StartOrchestrationOptions(id), ct).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // started concurrently
        }
    }

    /// <summary>
    /// Makes sure the follow-up of a revoked batch (<see cref="RevocationOrchestrator"/>) has run or runs: starts it unless an
    /// instance exists that has not failed; true when started now. Safe to call any number of times, from several hosts.
    /// </summary>
    public static async Task<bool> EnsureRevocationFollowUpAsync(this DurableTaskClient client, string batchId, CancellationToken ct = default)
    {
        var id = IntakeNames.RevocationInstanceId(batchId);
        var existing = await client.GetInstanceAsync(id, ct).ConfigureAwait(false);
        if (existing is not null && existing.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)) return false;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(IntakeNames.RevocationOrchestrator, new RevocationInput(batchId),
                new StartOrchestrationOptions(id), ct).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // started concurrently
        }
    }

    /// <summary>Starts the intake of a registered batch (instance id = batch id); false when it already runs.</summary>
    public static async Task<bool> StartIntakeAsync(this DurableTaskClient client, string batchId, CancellationToken ct = default)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(IntakeNames.Orchestrator, new IntakeInput(batchId),
                new StartOrchestrationOptions(batchId), ct).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
