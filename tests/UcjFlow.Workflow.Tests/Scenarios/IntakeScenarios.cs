using UcjFlow.Workflow.Coverage;
using System.Text.RegularExpressions;
using UcjFlow.Core.Coverage;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Roster;
using UcjFlow.Core.Roster.Report;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Intake;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Scenarios;

/// <summary>
/// The Intake orchestration's scenarios, written once and run on every engine: the embedded runner
/// (UcjFlow.Workflow.Tests, <c>IntakeTests</c>) and the real Durable Task engine on Azure Storage
/// (UcjFlow.Functions.Tests, <c>RealEngineIntakeTests</c>). A subclass only says how to start its engine.
/// </summary>
public abstract class IntakeScenarios
{
    const string TambakRatu = "15.03.01.2001";
    const string TambakRatuPic = "pic.tambakratu@desa.example.id";
    const string SungaiKeradak = "15.03.01.2002";
    const string SungaiKeradakPic = "pic.sungaikeradak@desa.example.id";
    const string Coordinator = "koordinator@disnakertrans.sarolangunkab.example.id";
    const string Sekda = "sekda@sarolangunkab.example.id";

    /// <summary>The workflow on this engine, with the campaign time the scenario lets pass.</summary>
    private protected abstract Task<ScenarioHarness> StartAsync(CampaignTime time = CampaignTime.None);

    [Fact]
    public async Task Approved_batch_is_enrolled_once_exported_published_and_announced_without_any_NIK_in_mail_or_logs()
    {
        await using var h = await StartAsync();
        var workers = Rosters.Workers(5);
        var batchId = await h.UploadAsync(TambakRatu, "data peserta.csv", Rosters.Csv(workers));

        var waiting = await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));
        Assert.Equal(0, waiting.Reminders);
        var batch = (await h.Registry.GetBatchAsync(batchId))!;
        Assert.Equal(BatchStatus.AwaitingApproval, batch.Status);
        Assert.Equal(new BatchCounts(5, 5, 0, 0), batch.Counts);

        // The aggregate coordinators decide on: segments, sex, cost (5 × Rp 16.800 × 12).
        await using (var s = await h.Blobs.OpenReadAsync(BlobContainers.Reports, BatchBlobs.Summary(batchId)))
        {
            var summary = BatchSummary.Read(await new StreamReader(s).ReadToEndAsync());
            Assert.Equal(5, summary.ValidRows);
            Assert.Equal(5L * 16_800 * 12, summary.Cost);
            Assert.Equal(3, summary.BySex.Single(g => g.Key == "L").Count);
            Assert.Equal(5, summary.BySegment.Single(g => g.Key == "rentan").Count); // "petani" and "pedagang kecil" are its aliases
            Assert.Equal(0, summary.BySegment.Where(g => g.Key != "rentan").Sum(g => g.Count));
            Assert.Equal(3, summary.ByAgeBand.Single(g => g.Key == "35-44").Count); // born 1980: 44 on 1 Nov 2024
            Assert.Equal(2, summary.ByAgeBand.Single(g => g.Key == "25-34").Count); // born 1990: 34
        }

        var received = Assert.Single(h.Mails(), m => m.Subject.Contains("Hasil pemeriksaan"));
        Assert.True(received.IsTo(TambakRatuPic));
        Assert.Contains("semua 5 baris valid", received.Subject);
        var ask = Assert.Single(h.Mails(), m => m.Subject.Contains("Persetujuan diperlukan"));
        Assert.True(ask.IsTo(Coordinator));
        Assert.Contains("5 peserta valid", ask.Subject);
        Assert.Contains("Rp 1.008.000", ask.Plain);
        var token = Regex.Match(ask.Plain, $@"{Regex.Escape(ScenarioHarness.BaseUrl)}/batches/{batchId}\?token=([^\s]+)").Groups[1].Value;
        Assert.True(h.Signer.IsValid(Uri.UnescapeDataString(token), batchId), $"approval link token '{token}'");

        await h.DecideAsync(batchId, approve: true);
        var result = await h.CompletionAsync(batchId);

        Assert.Equal(new IntakeResult(batchId, BatchStatus.Approved, 5, 0, 5), result);
        foreach (var w in workers)
        {
            var e = await h.Registry.GetEnrolmentAsync(h.Campaign.Id, w.Nik);
            Assert.NotNull(e);
            Assert.Equal(batchId, e.BatchId);
            Assert.Equal(new DateOnly(2024, 11, 1), e.CoverageFrom);
            Assert.Equal(new DateOnly(2025, 10, 31), e.CoverageTo);
        }
        var decision = Assert.Single(await h.Registry.ListDecisionsAsync(h.Campaign.Id));
        Assert.Equal((DecisionKind.Approve, 5), (decision.Kind, decision.Enrolled));

        // BPJS export: every enrolled NIK in full, in xlsx and csv.
        Assert.True(await h.Blobs.ExistsAsync(BlobContainers.Exports, $"1503/{batchId}.xlsx"));
        var csv = await File.ReadAllTextAsync(h.Blobs.PathOf(BlobContainers.Exports, $"1503/{batchId}.csv"));
        Assert.All(workers, w => Assert.Contains(w.Nik, csv));

        // Coverage republished with the approval.
        var coverage = CoverageJson.Deserialize(await File.ReadAllTextAsync(h.Blobs.PathOf(BlobContainers.Reports, CoverageBlobs.Json(h.Campaign.RegencyCode))));
        // The published file is today's (the engines' clocks differ: the real engine's is past the sample's period, issue
        // 13.3), so it shows the batch's rows as submitted; on the coverage start the five are covered.
        Assert.Equal(5, coverage.Submitted);
        var onStart = await new CoveragePublisher(h.Store, h.Registry, h.Blobs, h.Time).ComputeAsync(h.Campaign.RegencyCode, h.Campaign.CoverageStart);
        Assert.Equal((5L, h.Campaign.BaselineCovered + 5), (onStart.Approved, onStart.Covered));
        Assert.True(await h.Blobs.ExistsAsync(BlobContainers.Reports, CoverageBlobs.Html(h.Campaign.RegencyCode)));
        Assert.True(await h.Blobs.ExistsAsync(BlobContainers.Reports, CoverageBlobs.Csv(h.Campaign.RegencyCode)));

        var approved = Assert.Single(h.Mails(), m => m.Subject.Contains("Berkas disetujui"));
        Assert.True(approved.IsTo(TambakRatuPic));
        Assert.Contains("5 peserta didaftarkan", approved.Subject);

        var status = (await h.Client.GetInstanceAsync(batchId, true))!.ReadCustomStatusAs<IntakeStatus>()!;
        Assert.Equal("Approved", status.Stage);

        Assert.Equal(3, h.Mails().Count);
        AssertNoNik(h, workers);
    }

    [Fact]
    public async Task The_village_gets_its_result_when_validation_ends_and_the_decision_later_as_its_own_message()
    {
        await using var h = await StartAsync();
        var workers = Rosters.Workers(3);
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(workers,
            ["4", "'15030112058", "Tono Sudarsono", "L", "12-05-1980", "Jl. Pasar", "petani"],
            ["5", "", "Ani Rahma", "P", "03-07-1990", "Jl. Pasar", "petani"]));
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));

        // Before any decision: the result, from the system, with the counts and each problem as the village reads it.
        var result = Assert.Single(await h.UntilMailsAsync(m => m.Subject.Contains("Hasil pemeriksaan"), 1, "the result mail"));
        Assert.True(result.IsTo(TambakRatuPic));
        Assert.Contains("Desa Tambak Ratu, 3 baris valid, 2 baris perlu diperbaiki", result.Subject);
        Assert.Contains("selesai diperiksa secara otomatis", result.Plain);
        Assert.DoesNotContain("sedang diperiksa", result.Plain);
        Assert.Contains("- Baris valid: 3", result.Plain);
        Assert.Contains("- Baris perlu diperbaiki: 2", result.Plain);
        Assert.Contains("- Baris 5 (TONO SUDARSONO), kolom NIK: NIK harus 16 digit angka, tertulis 11 digit. Periksa kembali sesuai KTP.", result.Plain);
        Assert.Contains("- Baris 6 (ANI RAHMA), kolom NIK: NIK kosong. Isi 16 digit NIK sesuai KTP.", result.Plain);
        Assert.Contains("Keputusan Tim Koordinator akan kami sampaikan dalam pesan tersendiri", result.Plain);
        Assert.Contains("bukan oleh Tim Koordinator", result.Plain);
        AssertVillageLinesClean(result);
        Assert.DoesNotContain(h.Mails(), m => m.Subject.Contains("Berkas ditolak") || m.Subject.Contains("Berkas disetujui"));

        await h.DecideAsync(batchId, approve: false, reason: "Mohon lengkapi NIK");
        await h.CompletionAsync(batchId);
        var decision = Assert.Single(h.Mails(), m => m.Subject.Contains("Berkas ditolak"));
        Assert.NotEqual(result.File, decision.File);
        Assert.Contains("Alasan: Mohon lengkapi NIK", decision.Plain);
        Assert.Contains("Hormat kami,\nTim Koordinator Kabupaten Sarolangun", decision.Plain.ReplaceLineEndings("\n"));
        AssertVillageLinesClean(decision);
        AssertEachMailSentOnce(h);
        AssertNoNik(h, workers);
    }

    [Fact]
    public async Task A_village_without_a_PIC_address_has_its_result_sent_to_the_coordinators_to_forward()
    {
        await using var h = await StartAsync();
        var village = h.Campaign.Villages.First(v => v.PicEmail is null);
        var batchId = await h.UploadAsync(village.Code, "peserta.csv", Rosters.Csv(Rosters.Workers(2)));
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));

        var forwarded = Assert.Single(await h.UntilMailsAsync(m => m.Subject.Contains("Untuk diteruskan"), 1, "the forwarded result"));
        Assert.True(forwarded.IsTo(Coordinator));
        Assert.Contains($"Untuk diteruskan ke Desa {village.Name}: Hasil pemeriksaan", forwarded.Subject);
        Assert.Contains($"Desa {village.Name} tidak memiliki alamat email PIC", forwarded.Plain);
        Assert.Contains(h.Logs.Lines, l => l.Contains($"Village {village.Code} has no PIC email"));
    }

    /// <summary>A village's problem lines: the row and column once, never a rule code.</summary>
    static void AssertVillageLinesClean(SentMail mail)
    {
        Assert.DoesNotMatch(@"Baris \d+[^\n]*Baris \d+, kolom", mail.Text);
        Assert.DoesNotMatch(@"\b[A-Z]{2,}_[A-Z_]{2,}\b", mail.Text);
    }

    [Fact]
    public async Task Rejected_batch_tells_the_village_the_reason_with_the_report_link_and_enrols_nobody()
    {
        await using var h = await StartAsync();
        var workers = Rosters.Workers(3);
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(workers, ["4", "'15030112058", "Tono", "L", "12-05-1980", "Jl. Pasar", "petani"]));
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));

        await h.DecideAsync(batchId, approve: false, reason: "Mohon lengkapi nomor HP setiap peserta");
        var result = await h.CompletionAsync(batchId);

        Assert.Equal(new IntakeResult(batchId, BatchStatus.Rejected, 3, 1, 0), result);
        Assert.Equal(BatchStatus.Rejected, (await h.Registry.GetBatchAsync(batchId))!.Status);
        var decision = Assert.Single(await h.Registry.ListDecisionsAsync(h.Campaign.Id));
        Assert.Equal((DecisionKind.Reject, "Mohon lengkapi nomor HP setiap peserta"), (decision.Kind, decision.Reason));
        foreach (var w in workers) Assert.Null(await h.Registry.GetEnrolmentAsync(h.Campaign.Id, w.Nik));

        var mail = Assert.Single(h.Mails(), m => m.Subject.Contains("Berkas ditolak"));
        Assert.True(mail.IsTo(TambakRatuPic));
        Assert.Contains("Alasan: Mohon lengkapi nomor HP setiap peserta", mail.Plain);
        Assert.Contains($"{ScenarioHarness.BaseUrl}/reports/batches/{batchId}/report.html", mail.Plain);
        Assert.Contains("Baris 5", mail.Plain); // the NIK_FORMAT line of the report
        Assert.True(await h.Blobs.ExistsAsync(BlobContainers.Reports, BatchBlobs.ReportHtml(batchId)));
        AssertNoNik(h, workers);
    }

    [Fact]
    public async Task Unreadable_file_ends_the_batch_and_tells_the_village_in_plain_Indonesian()
    {
        await using var h = await StartAsync();
        var batchId = await h.UploadAsync(TambakRatu, "peserta.xlsx", "PK\u0003\u0004 ini bukan berkas excel"u8.ToArray());

        var result = await h.CompletionAsync(batchId);

        Assert.Equal(BatchStatus.Unreadable, result.Status);
        var batch = (await h.Registry.GetBatchAsync(batchId))!;
        Assert.Equal(BatchStatus.Unreadable, batch.Status);
        Assert.NotNull(batch.FileCode);
        var mail = Assert.Single(h.Mails());
        Assert.True(mail.IsTo(TambakRatuPic));
        Assert.Contains("Berkas tidak dapat dibaca", mail.Subject);
        Assert.Contains("Yang perlu dilakukan", mail.Plain);
        Assert.DoesNotContain(h.Mails(), m => m.IsTo(Coordinator));
    }

    [Fact]
    public async Task Another_villages_roster_is_FILE_OTHER_VILLAGE_before_any_coordinator_and_the_village_is_told_whose_it_seems()
    {
        await using var h = await StartAsync();
        // Sungai Keradak's roster, named with its code, uploaded under Tambak Ratu: every row is valid on its own.
        var batchId = await h.UploadAsync(TambakRatu, $"{SungaiKeradak} peserta.csv", Rosters.Csv(Rosters.Workers(3)));

        var result = await h.CompletionAsync(batchId);

        Assert.Equal(new IntakeResult(batchId, BatchStatus.Unreadable, 0, 0, 0), result);
        Assert.Equal(RuleCodes.FileOtherVillage, (await h.Registry.GetBatchAsync(batchId))!.FileCode);
        var mail = Assert.Single(h.Mails());
        Assert.True(mail.IsTo(TambakRatuPic));
        Assert.Contains("Berkas ini tampaknya milik Desa Sungai Keradak", mail.Plain);
        Assert.Contains(SungaiKeradak, mail.Plain);
        Assert.Contains("Unggah berkas desa Anda sendiri", mail.Plain);
        Assert.DoesNotContain("Hormat kami", mail.Text); // an automatic refusal, not signed as the coordinators'
        Assert.DoesNotContain(h.Mails(), m => m.IsTo(Coordinator));
    }

    [Fact]
    public async Task Readable_file_without_a_valid_row_is_rejected_by_validation_and_never_reaches_the_coordinators()
    {
        await using var h = await StartAsync();
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv([],
            ["1", "'1503011205800000", "Budi", "L", "12-05-1980", "Jl. Pasar", "petani"],
            ["2", "", "Ani", "P", "03-07-1990", "Jl. Pasar", "petani"]));

        var result = await h.CompletionAsync(batchId);

        Assert.Equal(new IntakeResult(batchId, BatchStatus.Rejected, 0, 2, 0), result);
        // An automatic result, not a coordinator's rejection: nobody from the coordinators signs it.
        var mail = Assert.Single(h.Mails());
        Assert.True(mail.IsTo(TambakRatuPic));
        Assert.Contains("Hasil pemeriksaan: Desa Tambak Ratu, tidak ada baris yang valid", mail.Subject);
        Assert.Contains("Tidak ada satu pun baris yang memenuhi syarat", mail.Plain);
        Assert.Contains("bukan keputusan Tim Koordinator", mail.Plain);
        Assert.DoesNotContain("Hormat kami", mail.Text);
        Assert.DoesNotContain("ditolak", mail.Subject + mail.Plain);
        Assert.Contains("- Baris 2 (BUDI), kolom NIK: NIK 150301******0000: empat digit terakhir tidak boleh 0000", mail.Plain);
        AssertVillageLinesClean(mail);
        Assert.DoesNotContain("1503011205800000", mail.Text);
    }

    [Fact]
    public async Task A_newer_upload_of_the_same_village_supersedes_the_waiting_batch()
    {
        await using var h = await StartAsync();
        var first = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(Rosters.Workers(3)));
        await h.UntilStageAsync(first, nameof(BatchStatus.AwaitingApproval));

        var second = await h.UploadAsync(TambakRatu, "peserta-perbaikan.csv", Rosters.Csv(Rosters.Workers(4)));
        var firstResult = await h.CompletionAsync(first);
        await h.UntilStageAsync(second, nameof(BatchStatus.AwaitingApproval));

        Assert.Equal(BatchStatus.Superseded, firstResult.Status);
        var old = (await h.Registry.GetBatchAsync(first))!;
        Assert.Equal((BatchStatus.Superseded, second), (old.Status, old.SupersededBy));
        var notice = Assert.Single(h.Mails(), m => m.Subject.Contains("Berkas digantikan"));
        Assert.True(notice.IsTo(TambakRatuPic));
        Assert.Contains(second, notice.Plain);

        await h.DecideAsync(second, approve: true);
        Assert.Equal(4, (await h.CompletionAsync(second)).Enrolled);
    }

    [Fact]
    public async Task A_NIK_already_in_another_villages_batch_is_DUPLICATE_IN_CAMPAIGN_naming_that_village()
    {
        await using var h = await StartAsync();
        var workers = Rosters.Workers(5);
        var first = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(workers.Take(3)));
        await h.UntilStageAsync(first, nameof(BatchStatus.AwaitingApproval));

        var second = await h.UploadAsync(SungaiKeradak, "peserta.csv", Rosters.Csv(workers.Skip(2)));
        await h.UntilStageAsync(second, nameof(BatchStatus.AwaitingApproval));

        var batch = (await h.Registry.GetBatchAsync(second))!;
        Assert.Equal(new BatchCounts(3, 2, 1, 0), batch.Counts);
        RosterReportLike report;
        await using (var s = await h.Blobs.OpenReadAsync(BlobContainers.Reports, BatchBlobs.ReportJson(second)))
        {
            var r = await RosterReportJson.ReadAsync(s);
            report = new RosterReportLike(r.Issues.Select(i => (i.Row, i.Code, i.Message)).ToList());
        }
        var issue = Assert.Single(report.Issues);
        Assert.Equal("DUPLICATE_IN_CAMPAIGN", issue.Code);
        var since = IndonesianFormat.Date(IndonesianFormat.JakartaDate((await h.Registry.GetBatchAsync(first))!.CreatedAt));
        Assert.Contains($"desa {h.Campaign.Village(TambakRatu)!.Name} ({TambakRatu}) pada {since}", issue.Message);
        Assert.DoesNotContain(workers[2].Nik, issue.Message);
        // The village reads it at once in its result mail, with the person's name.
        var result = Assert.Single(h.Mails(), m => m.IsTo(SungaiKeradakPic) && m.Subject.Contains("Hasil pemeriksaan"));
        Assert.Contains($"Baris 2 ({workers[2].Name.ToUpperInvariant()}), kolom NIK: NIK 150301******", result.Plain);
        Assert.Contains($"pada {since}", result.Plain);

        // Approving both enrols the shared NIK once, for the first village.
        await h.DecideAsync(first, approve: true);
        await h.DecideAsync(second, approve: true);
        Assert.Equal(3, (await h.CompletionAsync(first)).Enrolled);
        Assert.Equal(2, (await h.CompletionAsync(second)).Enrolled);
        Assert.Equal(first, (await h.Registry.GetEnrolmentAsync(h.Campaign.Id, workers[2].Nik))!.BatchId);
        Assert.Single(h.Mails(), m => m.IsTo(SungaiKeradakPic) && m.Subject.Contains("Berkas disetujui"));
    }

    [Fact]
    public async Task An_upload_before_the_coverage_start_finds_a_NIK_enrolled_from_that_start_ALREADY_ENROLLED()
    {
        await using var h = await StartAsync(CampaignTime.Calendar);
        Assert.True(CampaignSchedule.LocalDate(h.Now.UtcDateTime) < h.Campaign.CoverageStart, "the scenario needs uploads before the coverage start");
        var workers = Rosters.Workers(4);
        var first = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(workers.Take(2)));
        await h.UntilStageAsync(first, nameof(BatchStatus.AwaitingApproval));
        await h.DecideAsync(first, approve: true);
        Assert.Equal(2, (await h.CompletionAsync(first)).Enrolled);

        // Enrolled from the coverage start, not yet today: the look-up is as of the coverage start, where it is active.
        var second = await h.UploadAsync(SungaiKeradak, "peserta.csv", Rosters.Csv(workers.Skip(1)));
        await h.UntilStageAsync(second, nameof(BatchStatus.AwaitingApproval));
        await using var s = await h.Blobs.OpenReadAsync(BlobContainers.Reports, BatchBlobs.ReportJson(second));
        var issue = Assert.Single((await RosterReportJson.ReadAsync(s)).Issues);
        Assert.Equal(RuleCodes.AlreadyEnrolled, issue.Code);
        Assert.Equal(2, issue.Row);
        Assert.Contains($"sejak {IndonesianFormat.Date(h.Campaign.CoverageStart)}, diusulkan oleh desa {h.Campaign.Village(TambakRatu)!.Name} ({TambakRatu})", issue.Message);
    }

    sealed record RosterReportLike(IReadOnlyList<(int Row, string Code, string Message)> Issues);

    [Fact]
    public async Task Undecided_batch_gets_reminders_at_the_interval_then_one_escalation_to_the_leadership()
    {
        await using var h = await StartAsync(CampaignTime.ApprovalReminders);
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(Rosters.Workers(2)));
        var askedAt = new DateTimeOffset((await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval))).AskedAt!.Value, TimeSpan.Zero);
        var interval = h.ApprovalReminderInterval;

        // Just short of the interval (the sample's 2 days on the embedded runner, whose clock stops there until the runner
        // has acted): a reminder sent this early would carry a time before askedAt + interval, checked below.
        await h.PassToAsync(askedAt + interval - h.Tick);

        // Reminder n falls due n intervals after the ask (the real engine's keep coming every interval until the decision).
        for (var n = 1; n <= 4; n++)
        {
            await h.PassToAsync(askedAt + n * interval);
            await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval), reminders: n); // set after reminder n was sent
        }
        await h.DecideAsync(batchId, approve: true);
        Assert.Equal(BatchStatus.Approved, (await h.CompletionAsync(batchId)).Status);

        // The intake is over: every reminder and the escalation asked for once, none before its time.
        AssertEachMailSentOnce(h);
        var reminderSends = h.SendLog.Where(s => s.Key.StartsWith($"{batchId}:{BatchMailKind.ApprovalReminder}:", StringComparison.Ordinal)).ToList();
        Assert.True(reminderSends.Count >= 4, $"{h.Engine}: {reminderSends.Count} reminders");
        for (var n = 1; n <= reminderSends.Count; n++)
        {
            var send = Assert.Single(reminderSends, s => s.Key == new BatchMail(batchId, BatchMailKind.ApprovalReminder, n).Key);
            Assert.True(send.At >= askedAt + n * interval, $"{h.Engine}: reminder {n} sent at {send.At:O}, before {askedAt + n * interval:O}");
        }
        var escalationSend = Assert.Single(h.SendLog, s => s.Key.StartsWith($"{batchId}:{BatchMailKind.ApprovalEscalation}", StringComparison.Ordinal));
        Assert.Equal(new BatchMail(batchId, BatchMailKind.ApprovalEscalation, 3).Key, escalationSend.Key); // after the third reminder
        Assert.True(escalationSend.At >= askedAt + 3 * interval, $"{h.Engine}: escalation sent at {escalationSend.At:O}");

        var reminders = h.Mails().Where(m => m.Subject.Contains("Pengingat ke-")).ToList();
        Assert.Equal(reminderSends.Count, reminders.Count);
        Assert.All(Enumerable.Range(1, reminderSends.Count), n => Assert.Single(reminders, m => m.Subject.Contains($"Pengingat ke-{n}:")));
        Assert.All(reminders, m => Assert.True(m.IsTo(Coordinator)));
        var escalation = Assert.Single(h.Mails(), m => m.Subject.Contains("Eskalasi"));
        Assert.True(escalation.IsTo(Sekda));
        Assert.Contains(Coordinator, escalation.Cc);
        Assert.Contains("3 kali pengingat", escalation.Plain);
        Assert.DoesNotContain("token=", escalation.Plain); // the approval token is not forwarded to the leadership
    }

    [Fact]
    public async Task The_decision_raised_twice_commits_once()
    {
        await using var h = await StartAsync();
        var workers = Rosters.Workers(4);
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(workers));
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));

        await Task.WhenAll(h.DecideAsync(batchId, approve: true), h.DecideAsync(batchId, approve: true), h.DecideAsync(batchId, approve: false, "ganda"));
        var result = await h.CompletionAsync(batchId);

        Assert.Equal(4, result.Enrolled + (result.Status == BatchStatus.Rejected ? 4 : 0));
        Assert.Single(await h.Registry.ListDecisionsAsync(h.Campaign.Id));
        Assert.Single(h.Mails(), m => m.Subject.Contains("Berkas disetujui") || m.Subject.Contains("Berkas ditolak"));
        AssertEachMailSentOnce(h);
        var enrolled = 0;
        foreach (var w in workers) enrolled += await h.Registry.GetEnrolmentAsync(h.Campaign.Id, w.Nik) is null ? 0 : 1;
        Assert.Equal(result.Enrolled, enrolled);
    }

    [Fact]
    public async Task A_rejection_without_a_reason_is_not_a_decision_and_the_batch_keeps_waiting()
    {
        await using var h = await StartAsync();
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(Rosters.Workers(2)));
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));

        await h.DecideAsync(batchId, approve: false, reason: "  ");
        await h.DecideAsync(batchId, approve: true);

        Assert.Equal(BatchStatus.Approved, (await h.CompletionAsync(batchId)).Status);
        Assert.Equal(DecisionKind.Approve, Assert.Single(await h.Registry.ListDecisionsAsync(h.Campaign.Id)).Kind);
        Assert.Contains(h.Logs.Lines, l => l.Contains("without a reason ignored"));
    }

    [Fact]
    public async Task A_host_restart_while_waiting_keeps_the_wait_and_the_decision_completes_the_batch()
    {
        await using var h = await StartAsync(CampaignTime.ApprovalReminders);
        var workers = Rosters.Workers(3);
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(workers));
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));

        await h.RestartAsync();
        await h.PassAsync(h.ApprovalReminderInterval);
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval), reminders: 1);
        await h.RestartAsync();
        await h.DecideAsync(batchId, approve: true);

        Assert.Equal(3, (await h.CompletionAsync(batchId)).Enrolled);
        Assert.Single(await h.Registry.ListDecisionsAsync(h.Campaign.Id));
        Assert.Single(h.Mails(), m => m.Subject.Contains("Persetujuan diperlukan"));
        Assert.Single(h.Mails(), m => m.Subject.Contains("Pengingat ke-1"));
        AssertEachMailSentOnce(h); // nothing was in flight at either restart: no activity ran twice
    }

    [Fact]
    public async Task The_same_file_uploaded_twice_is_one_batch()
    {
        await using var h = await StartAsync();
        var bytes = Rosters.Csv(Rosters.Workers(2));
        var first = await h.UploadAsync(TambakRatu, "peserta.csv", bytes);
        var again = await h.UploadAsync(TambakRatu, "peserta (1).csv", bytes);

        Assert.Equal(first, again);
        await h.UntilStageAsync(first, nameof(BatchStatus.AwaitingApproval));
        Assert.Single(await h.Registry.ListBatchesAsync(h.Campaign.Id));
    }

    [Fact]
    public async Task An_undecided_batch_expires_when_its_approval_wait_ends_tells_village_and_coordinators_and_takes_no_later_decision()
    {
        await using var h = await StartAsync(CampaignTime.ApprovalExpiry);
        var workers = Rosters.Workers(3);
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(workers));
        var askedAt = (await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval))).AskedAt!.Value;
        var plan = ApprovalPlan.For(h.Campaign);
        var expiresAt = new DateTimeOffset(Assert.NotNull(plan.ExpiresAt(askedAt)), TimeSpan.Zero);

        // Just short of the end (the embedded runner acts on all due by then, its reminders included); the expiry's send
        // time is checked below.
        await h.PassToAsync(expiresAt - h.Tick);
        await h.PassToAsync(expiresAt);
        var result = await h.CompletionAsync(batchId);

        Assert.Equal(new IntakeResult(batchId, BatchStatus.Expired, 3, 0, 0), result);
        Assert.Equal(BatchStatus.Expired, (await h.Registry.GetBatchAsync(batchId))!.Status);
        Assert.Equal(nameof(BatchStatus.Expired), (await h.Client.GetInstanceAsync(batchId, true))!.ReadCustomStatusAs<IntakeStatus>()!.Stage);
        var expirySend = Assert.Single(h.SendLog, s => s.Key == new BatchMail(batchId, BatchMailKind.Expired).Key);
        Assert.True(expirySend.At >= expiresAt, $"{h.Engine}: expiry mail sent at {expirySend.At:O}, before {expiresAt:O}");

        var when = plan.EndsAtCoverageStart(askedAt) ? "sebelum masa perlindungan dimulai pada 1 November 2024" : "tidak diputuskan oleh Tim Koordinator sampai ";
        var village = Assert.Single(h.Mails(), m => m.Subject.Contains("Berkas kedaluwarsa"));
        Assert.True(village.IsTo(TambakRatuPic));
        Assert.Contains(when, village.Plain);
        var coordinators = Assert.Single(h.Mails(), m => m.Subject.Contains("Kedaluwarsa: batch"));
        Assert.True(coordinators.IsTo(Coordinator));
        Assert.Contains("tidak dapat lagi disetujui atau ditolak", coordinators.Plain);

        // A decision after the end: the registry takes no claim, and a decision event raised anyway changes nothing.
        Assert.False(await h.Registry.ClaimDecisionAsync(new DecisionClaim(batchId, "late", true, null, Coordinator, h.Now)));
        await h.DecideAsync(batchId, approve: true, decisionId: "late");
        Assert.Empty(await h.Registry.ListDecisionsAsync(h.Campaign.Id));
        foreach (var w in workers) Assert.Null(await h.Registry.GetEnrolmentAsync(h.Campaign.Id, w.Nik));
        Assert.Equal(BatchStatus.Expired, (await h.Registry.GetBatchAsync(batchId))!.Status);
        AssertEachMailSentOnce(h);
        AssertNoNik(h, workers);
    }

    [Fact]
    public async Task A_decision_claimed_before_the_approval_wait_ends_wins_over_the_expiry()
    {
        await using var h = await StartAsync(CampaignTime.ApprovalExpiry);
        var batchId = await h.UploadAsync(TambakRatu, "peserta.csv", Rosters.Csv(Rosters.Workers(3)));
        var askedAt = (await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval))).AskedAt!.Value;
        var expiresAt = new DateTimeOffset(Assert.NotNull(ApprovalPlan.For(h.Campaign).ExpiresAt(askedAt)), TimeSpan.Zero);

        // The coordinator's claim is stored, but its event has not reached the intake when the wait ends (as after a crash
        // between the two; the upkeep raises it again later).
        Assert.True(await h.Registry.ClaimDecisionAsync(new DecisionClaim(batchId, "d-first", true, null, Coordinator, h.Now)),
            $"{h.Engine}: the batch expired before the scenario could claim it");
        await h.PassToAsync(expiresAt);
        await Poll.UntilAsync(() => Task.FromResult(h.Logs.Lines), lines => lines.Any(l => l.Contains($"{batchId} ended: {ExpiryOutcome.DecisionClaimed}")),
            _ => $"{h.Engine}: the end of the approval wait was not reached");
        Assert.Equal(BatchStatus.AwaitingApproval, (await h.Registry.GetBatchAsync(batchId))!.Status);

        await h.DecideAsync(batchId, approve: true, decisionId: "d-first");
        Assert.Equal(new IntakeResult(batchId, BatchStatus.Approved, 3, 0, 3), await h.CompletionAsync(batchId));
        Assert.Equal("d-first", Assert.Single(await h.Registry.ListDecisionsAsync(h.Campaign.Id)).DecisionId);
        Assert.DoesNotContain(h.SendLog, s => s.Key.Contains("Expired", StringComparison.Ordinal));
        Assert.Single(h.Mails(), m => m.Subject.Contains("Berkas disetujui"));
    }

    /// <summary>The workflow asked for every mail once: not merely one file per key in the outbox.</summary>
    static void AssertEachMailSentOnce(ScenarioHarness h)
    {
        Assert.NotEmpty(h.Sends);
        Assert.All(h.Sends, s => Assert.True(s.Value == 1, $"{h.Engine}: mail {s.Key} sent {s.Value} times"));
    }

    [Fact]
    public async Task A_revoked_batch_republishes_coverage_without_it_and_tells_the_village_once_across_a_restart()
    {
        await using var h = await StartAsync();
        var workers = Rosters.Workers(4);
        var batchId = await h.UploadAsync(TambakRatu, "data peserta.csv", Rosters.Csv(workers));
        await h.UntilStageAsync(batchId, nameof(BatchStatus.AwaitingApproval));
        await h.DecideAsync(batchId, approve: true);
        Assert.Equal(BatchStatus.Approved, (await h.CompletionAsync(batchId)).Status);
        CoverageSummary Published() => CoverageJson.Deserialize(File.ReadAllText(h.Blobs.PathOf(BlobContainers.Reports, CoverageBlobs.Json(h.Campaign.RegencyCode))));
        // Submitted counts the batch's rows on any date (approved people count only in their funded period).
        Assert.Equal(4L, Published().Submitted);

        // What the API does: the registry revokes (the decide-once point), then the follow-up runs.
        var revoked = await h.Registry.RevokeAsync(new Revocation("r1", batchId, "kabid@disnakertrans", "Data desa lain ikut terunggah"));
        Assert.Equal((RevocationOutcome.Revoked, 4), (revoked.Outcome, revoked.Record!.Unenrolled));
        Assert.True(await h.Client.EnsureRevocationFollowUpAsync(batchId));
        var done = await h.UntilAsync(IntakeNames.RevocationInstanceId(batchId), m => m.IsCompleted, "the revocation follow-up");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

        var coverage = Published(); // republished by the follow-up: the revoked batch is neither submitted nor enrolled
        Assert.Equal((0L, 0L, 0L), (coverage.Submitted, coverage.Approved, coverage.ApprovedStartingLater));
        var mail = Assert.Single(h.Mails(), m => m.Subject.Contains("Persetujuan dicabut"));
        Assert.True(mail.IsTo(TambakRatuPic));
        Assert.Contains("Alasan: Data desa lain ikut terunggah", mail.Plain);
        Assert.Contains("4 pekerja", mail.Plain);

        // Asked again (an upkeep, a retried request), after a restart: nothing is sent twice.
        await h.RestartAsync();
        Assert.False(await h.Client.EnsureRevocationFollowUpAsync(batchId));
        Assert.Single(h.SendLog, s => s.Key == $"{batchId}:{BatchMailKind.Revoked}");
        AssertNoNik(h, workers);
    }

    static void AssertNoNik(ScenarioHarness h, IEnumerable<Worker> workers)
    {
        var mails = h.Mails();
        Assert.NotEmpty(mails);
        var logs = string.Join("\n", h.Logs.Lines);
        foreach (var w in workers)
        {
            Assert.All(mails, m => Assert.DoesNotContain(w.Nik, m.Text + m.Subject));
            Assert.DoesNotContain(w.Nik, logs);
        }
        Assert.All(mails, m => Assert.DoesNotMatch("[0-9]{16}", m.Text));
    }
}
