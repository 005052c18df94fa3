using System.Text.RegularExpressions;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Roster;

namespace UcjFlow.Core.Tests.Mail;

public class MailComposerTests
{
    private static readonly MailComposer Composer = new(new MailContext(
        "Sarolangun 2024 P-APBD", "Kabupaten Sarolangun", "Tim Koordinator Kabupaten Sarolangun"));

    private static readonly VillageRef TambakRatu = new("15.03.01.2001", "Tambak Ratu", "Batang Asai");
    private static readonly VillageRef KelurahanSarolangun = new("15.03.05.1001", "Sarolangun Kembang", "Sarolangun");

    // 23:30 UTC on 14 October = 06:30 WIB on 15 October.
    private static readonly DateTimeOffset Received = new(2024, 10, 14, 23, 30, 0, TimeSpan.Zero);

    private static PendingBatch Pending(VillageRef? village = null) => new(
        village ?? TambakRatu, "b-7f3a", "data desa.xlsx",
        TotalRows: 700, ValidRows: 650, RejectedRows: 50, WarningRows: 12,
        Cost: 650 * 16_800m * 12, ReceivedAt: Received);

    [Fact]
    public void Village_kind_follows_the_Kemendagri_code()
    {
        Assert.Equal("Desa Tambak Ratu", TambakRatu.Title);
        Assert.Equal("Kelurahan Sarolangun Kembang", KelurahanSarolangun.Title);
        Assert.Equal("Nagari Lubuk Gadang", new VillageRef("13.11.01.2001", "Lubuk Gadang").Title);
        Assert.Equal("Desa X", new VillageRef("odd", "X").Title);
    }

    private static BatchResultMail Result(VillageRef village, int valid, int rejected, IReadOnlyList<string>? issues = null, int? issueCount = null,
        string? link = "https://ucj.example/batches/b-1", string fileName = "peserta.xlsx") => new(
        village, "b-1", fileName, Received, valid + rejected, valid, rejected, WarningRows: 1,
        issues ?? [], issueCount ?? issues?.Count ?? 0, [], "https://ucj.example/reports/batches/b-1/report.html", link);

    [Fact]
    public void The_result_mail_says_checking_is_done_with_counts_problems_and_that_the_decision_comes_separately()
    {
        var issues = new[]
        {
            "Baris 5 (BUDI SANTOSO), kolom NIK: NIK harus 16 digit angka, tertulis 11 digit. Periksa kembali sesuai KTP.",
            "Baris 9 (SITI AMINAH), kolom NIK: NIK 150301******0012 sudah diusulkan oleh desa Sungai Keradak (15.03.01.2002) pada 16 Oktober 2024 dalam kegiatan ini. Hapus baris ini, atau hubungi desa tersebut bila orang ini memang warga desa Anda.",
        };
        var mail = Composer.Compose(Result(KelurahanSarolangun, 40, 2, issues));

        Assert.Equal("[Sarolangun 2024 P-APBD] Hasil pemeriksaan: Kelurahan Sarolangun Kembang, 40 baris valid, 2 baris perlu diperbaiki", mail.Subject);
        Assert.StartsWith("Yth. Operator Kelurahan Sarolangun Kembang,\n", mail.PlainText);
        Assert.Contains("15 Oktober 2024 pukul 06.30 WIB dan selesai diperiksa", mail.PlainText);
        Assert.DoesNotContain("sedang diperiksa", mail.PlainText);
        Assert.Contains("- Baris valid: 40", mail.PlainText);
        Assert.Contains("- Baris perlu diperbaiki: 2", mail.PlainText);
        Assert.Contains("- " + issues[0], mail.PlainText);
        Assert.Contains("- " + issues[1], mail.PlainText);
        Assert.Contains("Keputusan Tim Koordinator akan kami sampaikan dalam pesan tersendiri", mail.PlainText);
        Assert.Contains("unggah kembali seluruh data", mail.PlainText);
        Assert.Contains("<a href=\"https://ucj.example/reports/batches/b-1/report.html\">", mail.Html);
        Assert.Contains("<a href=\"https://ucj.example/batches/b-1\">", mail.Html);
        Assert.Contains("<html lang=\"id\">", mail.Html);
        AssertSignedBySystem(mail);
    }

    [Fact]
    public void A_result_without_a_valid_row_is_not_a_coordinators_rejection()
    {
        var mail = Composer.Compose(Result(TambakRatu, 0, 2, ["Baris 4 (ANI), kolom NIK: NIK kosong. Isi 16 digit NIK sesuai KTP."]));

        Assert.Equal("[Sarolangun 2024 P-APBD] Hasil pemeriksaan: Desa Tambak Ratu, tidak ada baris yang valid", mail.Subject);
        Assert.Contains("tidak diajukan kepada Tim Koordinator", mail.PlainText);
        Assert.Contains("bukan keputusan Tim Koordinator", mail.PlainText);
        Assert.DoesNotContain("ditolak", mail.Subject + mail.PlainText);
        AssertSignedBySystem(mail);
    }

    [Fact]
    public void Automatic_mails_are_signed_by_the_system_and_decisions_by_the_coordinators()
    {
        AssertSignedBySystem(Composer.Compose(new BatchUnreadableMail(TambakRatu, "b-1", "x.xlsx", RuleCodes.FileOtherVillage, "Berkas ini tampaknya milik Desa Sungai Keradak")));
        AssertSignedBySystem(Composer.Compose(new BatchSupersededMail(TambakRatu, "b-1", "a.xlsx", "b-2", "b.xlsx", Received)));
        AssertSignedBySystem(Composer.Compose(new BatchExpiredMail(TambakRatu, "b-1", "a.xlsx", Received, Received.AddDays(3))));

        var decision = Composer.Compose(new BatchRejectedMail(TambakRatu, "b-1", "a.xlsx", "Data ganda", 1, 1, [], 0, "https://ucj.example/r"));
        Assert.Contains("Hormat kami,\nTim Koordinator Kabupaten Sarolangun", decision.PlainText);
        Assert.Contains("<p>Terima kasih.</p>\n<p>Hormat kami,<br>Tim Koordinator Kabupaten Sarolangun</p>", decision.Html);
    }

    private static void AssertSignedBySystem(MailContent mail)
    {
        Assert.DoesNotContain("Hormat kami", mail.PlainText);
        Assert.DoesNotContain("Hormat kami", mail.Html);
        Assert.Contains("Sistem pemeriksaan otomatis UcjFlow\n(pesan ini dibuat oleh sistem, bukan oleh Tim Koordinator Kabupaten Sarolangun)", mail.PlainText);
    }

    [Fact]
    public void A_village_mail_for_the_coordinators_to_forward_says_so_first()
    {
        var original = Composer.Compose(Result(TambakRatu, 3, 0));
        var forwarded = Composer.ForCoordinators(original, TambakRatu);

        Assert.Equal("[Sarolangun 2024 P-APBD] Untuk diteruskan ke Desa Tambak Ratu: Hasil pemeriksaan: Desa Tambak Ratu, semua 3 baris valid", forwarded.Subject);
        Assert.StartsWith("Untuk Tim Koordinator: Desa Tambak Ratu tidak memiliki alamat email PIC", forwarded.PlainText);
        Assert.EndsWith(original.PlainText, forwarded.PlainText);
        Assert.Contains("<p><strong>Untuk Tim Koordinator: Desa Tambak Ratu tidak memiliki alamat email PIC", forwarded.Html);
        Assert.Contains("<body", forwarded.Html[..forwarded.Html.IndexOf("<strong>", StringComparison.Ordinal)]);
    }

    [Fact]
    public void Expiry_mails_say_when_the_wait_ended_and_that_nothing_is_enrolled()
    {
        var end = new DateTimeOffset(2024, 10, 31, 17, 0, 0, TimeSpan.Zero); // 1 November 2024 00.00 WIB
        var village = Composer.Compose(new BatchExpiredMail(TambakRatu, "b-9", "data.xlsx", Received, end, new DateOnly(2024, 11, 1), "https://ucj.example/batches/b-9"));
        var coordinators = Composer.Compose(new ApprovalExpiredMail(Pending(), Received, end.AddDays(-3)));

        Assert.Equal("[Sarolangun 2024 P-APBD] Berkas kedaluwarsa: Desa Tambak Ratu, tidak diputuskan tepat waktu", village.Subject);
        Assert.Contains("sebelum masa perlindungan dimulai pada 1 November 2024", village.PlainText);
        Assert.Contains("Peserta dalam berkas ini tidak didaftarkan.", village.PlainText);
        Assert.Contains("- Kedaluwarsa: 1 November 2024 pukul 00.00 WIB", village.PlainText);
        Assert.Contains("Kedaluwarsa: batch Desa Tambak Ratu", coordinators.Subject);
        // Ended by the campaign's limit, not the coverage start: the moment is named instead.
        Assert.Contains("tidak diputuskan sampai 29 Oktober 2024 pukul 00.00 WIB", coordinators.PlainText);
        Assert.Contains("tidak dapat lagi disetujui atau ditolak", coordinators.PlainText);
    }

    [Fact]
    public void Batch_rejected_lists_the_first_issues_the_reason_and_the_report()
    {
        var issues = Enumerable.Range(1, 25).Select(i => $"Baris {i + 1}: NIK 150301******{i:0000} tidak valid").ToList();
        var mail = Composer.Compose(new BatchRejectedMail(TambakRatu, "b-2", "data.xlsx", "Banyak NIK salah ketik",
            ValidRows: 3, RejectedRows: 25, issues, IssueCount: 31, "https://ucj.example/reports/b-2.html"));

        Assert.Contains("Berkas ditolak: Desa Tambak Ratu", mail.Subject);
        Assert.Contains("Alasan: Banyak NIK salah ketik", mail.PlainText);
        Assert.Contains("- Baris valid: 3", mail.PlainText);
        Assert.Contains("- Baris bermasalah: 25", mail.PlainText);
        Assert.Contains("Baris 21: NIK 150301******0020 tidak valid", mail.PlainText);
        Assert.DoesNotContain("Baris 22:", mail.PlainText); // only the first 20 are listed
        Assert.Equal(MailComposer.MaxIssuesListed, Regex.Matches(mail.Html, "<li>").Count);
        Assert.Contains("dan 11 masalah lainnya", mail.PlainText); // 31 in all, 20 shown
        Assert.Contains("href=\"https://ucj.example/reports/b-2.html\"", mail.Html);
    }

    [Theory]
    [InlineData(RuleCodes.FileEncrypted, "berkas dilindungi kata sandi")]
    [InlineData(RuleCodes.FileUnsupported, "jenis berkas tidak didukung")]
    [InlineData(RuleCodes.FileCorrupt, "berkas rusak")]
    [InlineData(RuleCodes.FileTooLarge, "ukuran berkas atau jumlah barisnya melebihi batas")]
    [InlineData(RuleCodes.HeaderNotFound, "baris judul kolom tidak ditemukan")]
    [InlineData(RuleCodes.RosterEmpty, "berkas tidak berisi data peserta")]
    [InlineData("SOMETHING_NEW", "format berkas tidak dapat diproses")]
    public void Batch_unreadable_explains_the_file_problem_in_plain_words(string code, string expected)
    {
        var mail = Composer.Compose(new BatchUnreadableMail(TambakRatu, "b-3", "rekap.pdf", code, Detail: "Lembar pertama kosong."));

        Assert.Contains("Berkas tidak dapat dibaca: Desa Tambak Ratu", mail.Subject);
        Assert.Contains("Berkas Anda tidak dapat dibaca: " + expected, mail.PlainText);
        Assert.Contains("Keterangan: Lembar pertama kosong.", mail.PlainText);
        Assert.Contains("Berkas Anda tidak dapat dibaca: " + expected, mail.Html);
        Assert.DoesNotContain(code, mail.PlainText); // codes are for tools, not for village operators
    }

    [Fact]
    public void Approval_needed_shows_counts_cost_in_rupiah_and_the_signed_link()
    {
        var link = "https://ucj.example/batches/b-7f3a?token=abc.def&x=1";
        var mail = Composer.Compose(new ApprovalNeededMail(Pending(), link));

        Assert.Equal("[Sarolangun 2024 P-APBD] Persetujuan diperlukan: Desa Tambak Ratu, 650 peserta valid (Rp 131.040.000)", mail.Subject);
        Assert.StartsWith("Yth. Tim Koordinator,", mail.PlainText);
        Assert.Contains("- Jumlah baris: 700", mail.PlainText);
        Assert.Contains("- Baris valid: 650", mail.PlainText);
        Assert.Contains("- Baris ditolak: 50", mail.PlainText);
        Assert.Contains("- Baris valid dengan peringatan: 12", mail.PlainText);
        Assert.Contains("- Biaya iuran (baris valid): Rp 131.040.000", mail.PlainText);
        Assert.Contains("- Kecamatan: Batang Asai", mail.PlainText);
        Assert.Contains(link, mail.PlainText);
        Assert.Contains("href=\"https://ucj.example/batches/b-7f3a?token=abc.def&amp;x=1\"", mail.Html);
    }

    [Fact]
    public void Approval_reminder_counts_and_escalation_goes_to_the_leadership()
    {
        var reminder = Composer.Compose(new ApprovalReminderMail(Pending(), "https://ucj.example/b", 2, Received));
        Assert.Contains("Pengingat ke-2: persetujuan Desa Tambak Ratu belum diputuskan", reminder.Subject);
        Assert.Contains("sejak 15 Oktober 2024 pukul 06.30 WIB", reminder.PlainText);

        var escalation = Composer.Compose(new ApprovalEscalationMail(Pending(), 3, Received));
        Assert.Contains("Eskalasi: persetujuan Desa Tambak Ratu tertunda sejak 15 Oktober 2024", escalation.Subject);
        Assert.StartsWith("Yth. Bapak/Ibu Pimpinan Kabupaten Sarolangun,", escalation.PlainText);
        Assert.Contains("3 kali pengingat", escalation.PlainText);
        Assert.DoesNotContain("<a ", escalation.Html); // no link given: the approval token is not forwarded
    }

    [Fact]
    public void Batch_approved_tells_the_enrolled_count_and_coverage_period()
    {
        var mail = Composer.Compose(new BatchApprovedMail(TambakRatu, "b-4", "data.xlsx", Enrolled: 1640, RejectedRows: 7,
            new DateOnly(2024, 11, 1), new DateOnly(2025, 10, 31), "https://ucj.example/r/b-4"));

        Assert.Contains("Berkas disetujui: Desa Tambak Ratu, 1.640 peserta didaftarkan", mail.Subject);
        Assert.Contains("Sebanyak 1.640 pekerja didaftarkan", mail.PlainText);
        Assert.Contains("mulai 1 November 2024 sampai dengan 31 Oktober 2025", mail.PlainText);
        Assert.Contains("Sebanyak 7 baris belum dapat didaftarkan", mail.PlainText);
    }

    [Fact]
    public void Batch_superseded_names_both_files()
    {
        var mail = Composer.Compose(new BatchSupersededMail(TambakRatu, "b-5", "lama.xlsx", "b-6", "baru.xlsx", Received));
        Assert.Contains("Berkas digantikan: Desa Tambak Ratu", mail.Subject);
        Assert.Contains("\"lama.xlsx\" (batch b-5)", mail.PlainText);
        Assert.Contains("\"baru.xlsx\" (batch b-6), pada 15 Oktober 2024 pukul 06.30 WIB", mail.PlainText);
    }

    [Theory]
    [InlineData(7, VillageStatus.NotSubmitted, "7 hari lagi", "belum menerima data peserta")]
    [InlineData(1, VillageStatus.AwaitingApproval, "besok", "menunggu persetujuan Tim Koordinator")]
    [InlineData(0, VillageStatus.NeedsCorrection, "hari ini", "ditolak atau tidak dapat dibaca")]
    public void Deadline_reminder_gives_days_left_and_the_deadline_in_Indonesian(int daysLeft, VillageStatus status, string when, string statusText)
    {
        var mail = Composer.Compose(new DeadlineReminderMail(TambakRatu, status, new DateOnly(2024, 10, 22), daysLeft, "https://ucj.example/upload"));

        Assert.Equal($"[Sarolangun 2024 P-APBD] Pengingat: batas pengumpulan data 22 Oktober 2024 ({when})", mail.Subject);
        Assert.Contains($"Selasa, 22 Oktober 2024 ({when})", mail.PlainText);
        Assert.Contains(statusText, mail.PlainText);
        Assert.StartsWith("Yth. Operator Desa Tambak Ratu,", mail.PlainText);
    }

    // Every third village (i % 3 == 0) has no contact: not reached.
    private static List<LateVillage> LateVillages(int count) => Enumerable.Range(1, count)
        .Select(i => new LateVillage(new VillageRef($"15.03.02.{2000 + i}", $"Desa Contoh {i}", "Limun"),
            (VillageStatus)(i % 3), i % 3 == 0 ? [] : [MessageChannel.Email]))
        .ToList();

    [Fact]
    public void Reminder_recap_counts_who_was_reached_by_which_channel_and_lists_the_unreachable_first()
    {
        var late = LateVillages(40);
        var mail = Composer.Compose(new DeadlineReminderCopyMail(new DateOnly(2024, 10, 22), 3, late, 158, [MessageChannel.Email]));

        Assert.Contains("Rekap pengingat: 27 dari 40 desa/kelurahan terkirim, batas 22 Oktober 2024 (3 hari lagi)", mail.Subject);
        Assert.Contains("terkirim kepada 27 dari 40 desa/kelurahan yang belum memiliki data peserta yang disetujui (dari 158", mail.PlainText);
        Assert.Contains("- Terkirim melalui email: 27", mail.PlainText);
        Assert.Contains("- Tidak dapat dihubungi: 13", mail.PlainText);
        Assert.Contains("13 desa/kelurahan berikut tidak menerima pengingat karena tidak memiliki alamat email PIC", mail.PlainText);
        foreach (var v in late)
        {
            Assert.Contains($"({v.Village.Code})", mail.PlainText);
            Assert.Contains($"<td>{v.Village.Code}</td>", mail.Html);
        }
        // The unreachable list comes first, numbered on its own; the reached ones say how.
        Assert.Contains("1. Desa Desa Contoh 3 (15.03.02.2003), Kecamatan Limun: belum mengunggah\n", mail.PlainText);
        Assert.Contains("Desa Desa Contoh 40 (15.03.02.2040), Kecamatan Limun: menunggu persetujuan; dihubungi melalui email", mail.PlainText);
        Assert.True(mail.PlainText.IndexOf("Contoh 3 (", StringComparison.Ordinal) < mail.PlainText.IndexOf("Contoh 1 (", StringComparison.Ordinal));
        Assert.Contains("<th align=\"left\" valign=\"top\" bgcolor=\"#f4f4f4\">Dihubungi melalui</th>", mail.Html);
        Assert.Contains("- Belum mengunggah: 13", mail.PlainText);     // i % 3 == 0 for i in 1..40
        Assert.Contains("- Menunggu persetujuan: 14", mail.PlainText); // i % 3 == 1
        Assert.Contains("- Perlu perbaikan: 13", mail.PlainText);      // i % 3 == 2
    }

    [Fact]
    public void A_recap_where_three_of_155_had_an_address_says_three()
    {
        var late = Enumerable.Range(1, 155).Select(i => new LateVillage(new VillageRef($"15.03.02.{2000 + i}", $"Contoh {i}"),
            VillageStatus.NotSubmitted, i <= 3 ? [MessageChannel.Email] : [])).ToList();
        var mail = Composer.Compose(new DeadlineReminderCopyMail(new DateOnly(2024, 10, 22), 7, late, 158, [MessageChannel.Email]));

        Assert.Contains("Rekap pengingat: 3 dari 155 desa/kelurahan terkirim", mail.Subject);
        Assert.Contains("- Terkirim melalui email: 3", mail.PlainText);
        Assert.Contains("152 desa/kelurahan berikut tidak menerima pengingat", mail.PlainText);
        Assert.DoesNotContain("kepada 155", mail.PlainText);
    }

    [Fact]
    public void A_recap_counts_the_villages_reached_by_text_through_the_gateway_per_channel()
    {
        // 2 by email, 3 by text only, 1 by both, 4 with no contact at all.
        MessageChannel[][] reached = [[MessageChannel.Email], [MessageChannel.Email], [MessageChannel.Text], [MessageChannel.Text], [MessageChannel.Text],
            [MessageChannel.Email, MessageChannel.Text], [], [], [], []];
        var late = reached.Select((r, i) => new LateVillage(new VillageRef($"15.03.02.{2001 + i}", $"Contoh {i}"), VillageStatus.NotSubmitted, r)).ToList();
        var mail = Composer.Compose(new DeadlineReminderCopyMail(new DateOnly(2024, 10, 22), 7, late, 158, [MessageChannel.Email, MessageChannel.Text]));

        Assert.Contains("Rekap pengingat: 6 dari 10 desa/kelurahan terkirim", mail.Subject);
        Assert.Contains("- Terkirim melalui email: 3", mail.PlainText);
        Assert.Contains("- Terkirim melalui WhatsApp/SMS: 4", mail.PlainText);
        Assert.Contains("tidak memiliki alamat email maupun nomor HP PIC", mail.PlainText);
    }

    [Fact]
    public void A_reminder_copy_for_all_158_villages_of_a_regency_stays_small()
    {
        var mail = Composer.Compose(new DeadlineReminderCopyMail(new DateOnly(2024, 10, 22), 0, LateVillages(158), 158, [MessageChannel.Email]));
        Assert.Contains("106. Desa Desa Contoh 158", mail.PlainText);
        // Orchestration payloads are capped at 64 KB; the whole mail stays well under it.
        Assert.InRange(mail.Subject.Length + mail.PlainText.Length + mail.Html.Length, 1, 40_000);
    }

    [Fact]
    public void Deadline_escalation_lists_the_villages_still_missing()
    {
        var late = LateVillages(5);
        var mail = Composer.Compose(new DeadlineEscalationMail(new DateOnly(2024, 10, 22), late, 158));

        Assert.Contains("Batas waktu terlewati: 5 desa/kelurahan belum menyelesaikan pendataan", mail.Subject);
        Assert.Contains("Selasa, 22 Oktober 2024 telah berakhir", mail.PlainText);
        Assert.Contains("5 dari 158", mail.PlainText);
        Assert.Equal(6, Regex.Matches(mail.Html, "<tr>").Count - 3); // header + 5 villages (+3 status-count rows)
    }

    [Fact]
    public void Daily_summary_uses_Indonesian_numbers_and_the_Jakarta_date()
    {
        // 18:00 UTC on 22 October is already 23 October in Jakarta.
        var asOf = new DateTimeOffset(2024, 10, 22, 18, 0, 0, TimeSpan.Zero);
        var mail = Composer.Compose(new DailySummaryMail(asOf,
            Workforce: 112_644, BaselineCovered: 64_709, Approved: 1_234, Pending: 5_678,
            CoveragePercent: 58.5411m, TargetPercent: 65m, GapToTarget: 7_276, GapToTargetRupiah: 7_276 * 201_600m,
            BudgetCommitted: 13_045_334_400m, VillagesTotal: 158, VillagesMissing: 12, SummaryLink: "https://ucj.example/coverage"));

        Assert.Equal("[Sarolangun 2024 P-APBD] Ringkasan cakupan 23 Oktober 2024: 58,54% (target 65,00%)", mail.Subject);
        Assert.StartsWith("Yth. Bapak/Ibu Pimpinan dan Tim Koordinator,", mail.PlainText);
        Assert.Contains("per 23 Oktober 2024 pukul 01.00 WIB", mail.PlainText);
        Assert.Contains("- Jumlah pekerja: 112.644", mail.PlainText);
        Assert.Contains("- Sudah terlindungi sebelumnya: 64.709", mail.PlainText);
        Assert.Contains("- Disetujui dalam program ini: 1.234", mail.PlainText);
        Assert.Contains("- Menunggu persetujuan: 5.678", mail.PlainText);
        Assert.Contains("- Total terlindungi: 65.943", mail.PlainText);
        Assert.Contains("- Kekurangan menuju target: 7.276 orang (Rp 1.466.841.600)", mail.PlainText);
        Assert.Contains("- Anggaran terpakai: Rp 13.045.334.400", mail.PlainText);
        Assert.Contains("- Desa/kelurahan belum mengunggah: 12 dari 158", mail.PlainText);
        Assert.Contains("Rp 13.045.334.400", mail.Html);
    }

    [Fact]
    public void Daily_summary_says_when_the_target_is_reached()
    {
        var mail = Composer.Compose(new DailySummaryMail(Received, 100, 60, 10, 0, 70m, 65m, -5, -1_008_000m, 2_016_000m, 3, 0));
        Assert.Contains("- Kekurangan menuju target: target telah tercapai", mail.PlainText);
        Assert.DoesNotContain("-Rp", mail.PlainText);
    }

    [Fact]
    public void Every_input_is_html_encoded_and_odd_links_are_not_made_clickable()
    {
        var evil = new VillageRef("15.03.01.2001", "<script>alert('x')</script> & \"Co\"", "<b>Limun</b>");
        var mails = new[]
        {
            Composer.Compose(Result(evil, 1, 0, link: "javascript:alert(1)")),
            Composer.Compose(new ApprovalNeededMail(Pending(evil), "javascript:alert(1)")),
            Composer.Compose(new DeadlineReminderCopyMail(new DateOnly(2024, 10, 22), 1, [new LateVillage(evil, VillageStatus.NotSubmitted)], 1, [MessageChannel.Email])),
        };
        foreach (var mail in mails)
        {
            Assert.DoesNotContain("<script>", mail.Html);
            Assert.DoesNotContain("<b>Limun", mail.Html);
            Assert.DoesNotContain("href=\"javascript", mail.Html);
            Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;", mail.Html);
            Assert.Contains("<script>alert('x')</script> & \"Co\"", mail.PlainText); // plain text stays as typed
        }
    }

    private static readonly Regex SixteenDigits = new("[0-9]{16}");

    [Fact]
    public void No_message_carries_a_16_digit_number_even_when_an_input_slips_one_in()
    {
        const string nik = "1503014101800001";
        var masked = "150301******0001";
        var village = new VillageRef("15.03.01.2001", "Tambak Ratu", "Batang Asai");
        var batch = Pending() with { FileName = $"data {nik}.xlsx" };
        var late = new List<LateVillage> { new(village, VillageStatus.NeedsCorrection) };
        var link = "https://ucj.example/b/b-1?token=t0k3n";
        var mails = new[]
        {
            Composer.Compose(Result(village, 1, 1, [$"Baris 5 (BUDI), kolom NIK: NIK {nik} ganda"], link: link, fileName: $"{nik}.xlsx")),
            Composer.Compose(new BatchRejectedMail(village, "b-1", "data.xlsx", $"NIK {nik} ganda",
                1, 2, [$"Baris 5: NIK {masked} sudah terdaftar di Desa Bernai", $"Baris 9: KK {nik} tidak sesuai"], 2, link)),
            Composer.Compose(new BatchUnreadableMail(village, "b-1", "x.xlsx", RuleCodes.HeaderNotFound, $"Baris 1 berisi {nik}")),
            Composer.Compose(new ApprovalNeededMail(batch, link)),
            Composer.Compose(new ApprovalReminderMail(batch, link, 1, Received)),
            Composer.Compose(new ApprovalEscalationMail(batch, 3, Received, link)),
            Composer.Compose(new BatchApprovedMail(village, "b-1", $"{nik}.xlsx", 5, 0, new DateOnly(2024, 11, 1))),
            Composer.Compose(new BatchSupersededMail(village, "b-1", $"{nik}.xlsx", "b-2", "new.xlsx", Received)),
            Composer.Compose(new DeadlineReminderMail(village, VillageStatus.NotSubmitted, new DateOnly(2024, 10, 22), 3)),
            Composer.Compose(new DeadlineReminderCopyMail(new DateOnly(2024, 10, 22), 3, late, 158, [MessageChannel.Email])),
            Composer.Compose(new DeadlineEscalationMail(new DateOnly(2024, 10, 22), late, 158)),
            Composer.Compose(new DailySummaryMail(Received, 112_644, 64_709, 0, 0, 57.45m, 65m, 8_510, 1_715_616_000m, 13_045_334_400m, 158, 158)),
        };
        foreach (var mail in mails)
        {
            Assert.DoesNotMatch(SixteenDigits, mail.Subject);
            Assert.DoesNotMatch(SixteenDigits, mail.PlainText);
            Assert.DoesNotMatch(SixteenDigits, mail.Html);
        }
        Assert.Contains($"NIK {masked} ganda", mails[1].PlainText);
        Assert.Contains($"KK {masked} tidak sesuai", mails[1].Html);
        Assert.Contains($"{masked}.xlsx", mails[0].Subject + mails[0].PlainText);
    }
}
