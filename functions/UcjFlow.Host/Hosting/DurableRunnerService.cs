using UcjFlow.App.Hosting;
using UcjFlow.Embedded.Durable;

namespace UcjFlow.Host.Hosting;

/// <summary>
/// Runs the embedded durable runner for the life of the host. At start the runner resumes whatever was in flight
/// (timers, waits, unfinished activities), then <see cref="WorkflowUpkeep"/> runs, and again every
/// <see cref="WorkflowUpkeep.Interval"/> of real time (as the Azure app's timer does).
/// </summary>
public sealed class DurableRunnerService(EmbeddedDurableRunner runner, WorkflowUpkeep upkeep, ILogger<DurableRunnerService> logger) : IHostedService
{
    readonly CancellationTokenSource stopping = new();
    Task loop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runner.StartAsync(cancellationToken);
        await upkeep.RunAsync(runner.Client, cancellationToken);
        loop = UpkeepLoopAsync(stopping.Token);
    }

    async Task UpkeepLoopAsync(CancellationToken ct)
    {
        // Real time on purpose: housekeeping, not the campaign clock a demo or test moves.
        using var timer = new PeriodicTimer(WorkflowUpkeep.Interval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try { await upkeep.RunAsync(runner.Client, ct); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "Workflow upkeep failed; trying again at the next tick"); }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await loop;
        await runner.StopAsync(cancellationToken);
    }
}
