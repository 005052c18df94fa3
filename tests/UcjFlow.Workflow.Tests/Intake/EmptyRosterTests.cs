using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Intake;

/// <summary>
/// A roster with a header and no data rows ends Unreadable with ROSTER_EMPTY (a file-level code), not Rejected as a
/// file whose rows were all refused. Found by the mutation check (tests/mutants: wf-unreadable survived).
/// </summary>
public sealed class EmptyRosterTests
{
    [Fact]
    public async Task A_header_without_data_rows_ends_Unreadable_as_ROSTER_EMPTY()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var batchId = await h.UploadAsync("15.03.01.2001", "peserta.csv", Rosters.Csv([]));

        var result = await h.CompletionAsync(batchId);

        Assert.Equal(BatchStatus.Unreadable, result.Status);
        Assert.Equal(RuleCodes.RosterEmpty, (await h.Registry.GetBatchAsync(batchId))!.FileCode);
    }
}
