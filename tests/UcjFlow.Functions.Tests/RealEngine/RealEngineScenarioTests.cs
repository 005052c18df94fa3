using UcjFlow.Workflow.Tests.Scenarios;

namespace UcjFlow.Functions.Tests.RealEngine;

/// <summary>The intake scenarios (one copy, UcjFlow.Workflow.Tests/Scenarios) on the real Durable Task engine.</summary>
public class RealEngineIntakeTests : IntakeScenarios
{
    private protected override async Task<ScenarioHarness> StartAsync(CampaignTime time = CampaignTime.None) => await RealEngineHarness.StartAsync(time);
}

/// <summary>The campaign scenario (one copy, UcjFlow.Workflow.Tests/Scenarios) on the real Durable Task engine.</summary>
public class RealEngineCampaignTests : CampaignScenarios
{
    private protected override async Task<ScenarioHarness> StartAsync(CampaignTime time) => await RealEngineHarness.StartAsync(time);
}
