using System.Text;
using UcjFlow.Core.Registry;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Intake;

/// <summary>
/// A renewal roster (docs/renewal-roster.md) through the whole intake on the embedded runner: the people marked Tidak are
/// never enrolled, and the village's result mail says how many stop and why, without any NIK.
/// </summary>
public class RenewalIntakeTests
{
    const string TambakRatu = "15.03.01.2001";

    [Fact]
    public async Task A_renewal_roster_enrols_who_continues_and_new_people_and_tells_the_village_who_stops_and_why()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var w = Rosters.Workers(4);
        // The renewal columns in front, as RenewalRosterWriter writes them; saved as CSV, as a village may.
        var csv = new StringBuilder("Lanjut?,Alasan berhenti,NIK,Nama Lengkap,Jenis Kelamin,Tanggal Lahir,Segmen\r\n");
        csv.Append($"Ya,,'{w[0].Nik},{w[0].Name},{w[0].Sex},{w[0].BirthDate},petani\r\n");
        csv.Append($"Tidak,meninggal,'{w[1].Nik},{w[1].Name},{w[1].Sex},{w[1].BirthDate},petani\r\n");
        csv.Append($"tidak,,'{w[2].Nik},{w[2].Name},{w[2].Sex},{w[2].BirthDate},petani\r\n");
        csv.Append($",,'{w[3].Nik},{w[3].Name},{w[3].Sex},{w[3].BirthDate},petani\r\n"); // a new person: Lanjut? empty
        var batchId = await h.UploadAsync(TambakRatu, $"{TambakRatu}-perpanjangan.csv", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(csv.ToString())]);
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));

        var batch = (await h.Registry.GetBatchAsync(batchId))!;
        Assert.Equal(new BatchCounts(2, 2, 0, 0), batch.Counts);
        var result = Assert.Single(await h.UntilMailsAsync(m => m.Subject.Contains("Hasil pemeriksaan"), 1, "the result mail"));
        Assert.Contains("2 orang tidak dilanjutkan: 1 meninggal, 1 tanpa alasan.", result.Plain);
        Assert.All(w, x => Assert.DoesNotContain(x.Nik, result.Text));

        await h.DecideAsync(batchId, approve: true);
        await h.CompletionAsync(batchId);
        Assert.NotNull(await h.Registry.GetEnrolmentAsync(h.Campaign.Id, w[0].Nik));
        Assert.NotNull(await h.Registry.GetEnrolmentAsync(h.Campaign.Id, w[3].Nik));
        Assert.Null(await h.Registry.GetEnrolmentAsync(h.Campaign.Id, w[1].Nik));
        Assert.Null(await h.Registry.GetEnrolmentAsync(h.Campaign.Id, w[2].Nik));
    }
}
