using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using UcjFlow.Core.Campaigns;
using UcjFlow.Functions.Durable;
using UcjFlow.Workflow;

namespace UcjFlow.Functions.Triggers;

/// <summary>Hourly: makes sure the campaign's orchestration (reminders, deadline escalation, daily summary) is running.</summary>
public sealed class CampaignTimer(Campaign campaign)
{
    [Function(nameof(EnsureCampaign))]
    public async Task EnsureCampaign([TimerTrigger("0 0 * * * *", RunOnStartup = true)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        await using var port = new AzureDurableClient(client, WorkflowJson.DataConverter);
        await port.EnsureCampaignStartedAsync(campaign.Id, ct);
    }
}
