using UcjFlow.App.Hosting;
using UcjFlow.Embedded.Durable;

namespace UcjFlow.Host.Hosting;

/// <summary>
/// Runs the embedded durable runner for the life of the host. At start the runner resumes whatever was in flight
/// (timers, waits, unfinished activities), then <see cref="WorkflowUpkeep"/> starts the campaign's orchestration if it is
/// not running and raises again the decisions claimed over HTTP whose batch still waits.
/// </summary>
public sealed class DurableRunnerService(EmbeddedDurableRunner runner, WorkflowUpkeep upkeep) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runner.StartAsync(cancellationToken);
        await upkeep.RunAsync(runner.Client, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => runner.StopAsync(cancellationToken);
}
