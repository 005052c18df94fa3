using Microsoft.Azure.Functions.Worker;
using UcjFlow.App.Hosting;
using UcjFlow.Functions.Durable;
using DTClient = Microsoft.DurableTask.Client;

namespace UcjFlow.Functions.Triggers;

/// <summary>
/// Every ten minutes, <see cref="WorkflowUpkeep.Interval"/> (no RunOnStartup: it would fire on every scale-out and restart): <see cref="WorkflowUpkeep"/> makes
/// sure the campaign's orchestration (reminders, deadline escalation, daily summary) runs and raises again decisions
/// claimed over HTTP that never reached their orchestration.
/// </summary>
public sealed class CampaignTimer(WorkflowUpkeep upkeep)
{
    [Function(nameof(EnsureCampaign))]
    public Task EnsureCampaign([TimerTrigger("0 */10 * * * *")] TimerInfo timer, [DurableClient] DTClient.DurableTaskClient durable, CancellationToken ct)
        => upkeep.RunAsync(AzureDurableClient.For(durable), ct);
}
