namespace UcjFlow.Workflow.Durable;

/// <summary>
/// The name of an orchestrator or activity. Mirrors <c>Microsoft.DurableTask.TaskName</c>
/// (a string converts implicitly, so <c>CallActivityAsync("Validate", ...)</c> reads the same in both hosts).
/// The Durable version component is left out: the workflow does not version its tasks.
/// </summary>
public readonly record struct TaskName(string Name)
{
    /// <summary>Maps to <c>implicit operator TaskName(string)</c>.</summary>
    public static implicit operator TaskName(string name) => new(name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
