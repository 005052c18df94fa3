using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Shared;

namespace UcjFlow.Workflow.Intake;

/// <summary>The revocation follow-up's input: the batch the registry has already revoked.</summary>
public sealed record RevocationInput(string BatchId);

/// <summary>
/// What follows a revocation (workflow.md, "revoke"), instance id <see cref="IntakeNames.RevocationInstanceId"/>: the
/// coverage summary is republished without the batch, then the village is told (mail key "{batch}:Revoked": once however
/// often this runs). The revocation itself is not here: the API commits it in the registry
/// (<see cref="Core.Registry.IEnrollmentRegistry.RevokeAsync"/>), one transaction that is the decide-once point, and starts
/// this; <c>WorkflowUpkeep</c> starts it for a revocation a crash left without one.
/// </summary>
public sealed class RevocationOrchestrator : TaskOrchestrator<RevocationInput, bool>
{
    public override async Task<bool> RunAsync(TaskOrchestrationContext context, RevocationInput input)
    {
        await context.CallActivityAsync<CoveragePublished>(PublishCoverageActivity.Name, input.BatchId, Retries.IO);
        return await context.CallActivityAsync<bool>(BatchMailActivity.Name, new BatchMail(input.BatchId, BatchMailKind.Revoked), Retries.IO);
    }
}
