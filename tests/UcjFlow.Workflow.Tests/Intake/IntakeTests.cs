using UcjFlow.Workflow.Tests.Scenarios;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Intake;

/// <summary>The intake scenarios on the embedded runner, with a manual clock (campaign time passes when a scenario says so).</summary>
public class IntakeTests : IntakeScenarios
{
    private protected override async Task<ScenarioHarness> StartAsync(CampaignTime time = CampaignTime.None) => await WorkflowHarness.StartAsync();
}
