using UcjFlow.Core.Registry;

namespace UcjFlow.Workflow.Intake;

/// <summary>Names shared by the hosts that start and signal the Intake orchestration.</summary>
public static class IntakeNames
{
    /// <summary>The orchestrator's registered name. The instance id of an intake is its batch id.</summary>
    public const string Orchestrator = "Intake";

    /// <summary>External event carrying a coordinator's <see cref="DecisionEvent"/>.</summary>
    public const string DecisionEvent = "Decision";

    /// <summary>External event telling a waiting intake that a newer upload of its village replaced it (payload: the newer batch id).</summary>
    public const string SupersededEvent = "Superseded";

    /// <summary>The registered name of <see cref="RevocationOrchestrator"/>.</summary>
    public const string RevocationOrchestrator = "Revocation";

    /// <summary>"revocation-{batchId}": at most one revocation follow-up per batch (a batch is revoked at most once).</summary>
    public static string RevocationInstanceId(string batchId) => "revocation-" + batchId;
}

/// <summary>
/// The Intake orchestration's input. Everything else about the batch (village, blob, hash) is in the registry,
/// registered by whoever saw the upload before scheduling: the input stays small.
/// </summary>
public sealed record IntakeInput(string BatchId);

/// <summary>A coordinator's decision, raised as <see cref="IntakeNames.DecisionEvent"/>. DecisionId makes the commit idempotent.</summary>
public sealed record DecisionEvent(string DecisionId, bool Approve, string? Reason, string DecidedBy);

/// <summary>How an intake ended.</summary>
public sealed record IntakeResult(string BatchId, BatchStatus Status, int Valid, int Rejected, int Enrolled);
