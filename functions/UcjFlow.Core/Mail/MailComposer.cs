using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using UcjFlow.Core.Roster;
using static UcjFlow.Core.Mail.IndonesianFormat;

namespace UcjFlow.Core.Mail;

/// <summary>
/// Writes the Indonesian emails of the workflow, each as subject, plain text and HTML from one outline, so the two
/// bodies always say the same. Every input is HTML-encoded, links other than http(s) are shown as text, and any run
/// of 16 or more digits in a text input is masked (150301******0001) as a last guard against a NIK or KK slipping in.
/// </summary>
public sealed partial class MailComposer(MailContext context)
{
    /// <summary>How many issue lines a rejection mail lists before pointing to the report.</summary>
    public const int MaxIssuesListed = 20;

    public MailContext Context { get; } = context;

    /// <summary>The village's answer when validation ends; signed by the system, not the coordinators (they decide later).</summary>
    public MailContent Compose(BatchResultMail m)
    {
        var submitted = m.ValidRows > 0;
        var listed = Math.Min(m.Issues.Count, MaxIssuesListed);
        var more = m.IssueCount - listed;
        var subject = submitted
            ? m.RejectedRows > 0
                ? $"Hasil pemeriksaan: {m.Village.Title}, {Number(m.ValidRows)} baris valid, {Number(m.RejectedRows)} baris perlu diperbaiki"
                : $"Hasil pemeriksaan: {m.Village.Title}, semua {Number(m.ValidRows)} baris valid"
            : $"Hasil pemeriksaan: {m.Village.Title}, tidak ada baris yang valid";
        return SystemLetter(subject,
            VillageGreeting(m.Village),
            new Para($"Berkas data peserta \"{m.FileName}\" dari {m.Village.Title} telah kami terima pada {DateTime(m.ReceivedAt)} dan selesai diperiksa secara otomatis."),
            new Facts(
            [
                ("Nomor batch", m.BatchId), ("Berkas", m.FileName), ("Jumlah baris", Number(m.TotalRows)),
                ("Baris valid", Number(m.ValidRows)), ("Baris perlu diperbaiki", Number(m.RejectedRows)),
                ("Baris valid dengan catatan", Number(m.WarningRows)),
            ]),
            m.Notes.Count == 0 ? null : new Bullets(m.Notes),
            submitted
                ? new Para($"Sebanyak {Number(m.ValidRows)} baris valid telah diajukan kepada Tim Koordinator untuk persetujuan. Keputusan Tim Koordinator akan kami sampaikan dalam pesan tersendiri.")
                : new Para("Tidak ada satu pun baris yang memenuhi syarat, sehingga berkas ini tidak diajukan kepada Tim Koordinator. Ini hasil pemeriksaan otomatis, bukan keputusan Tim Koordinator."),
            m.Issues.Count == 0 ? null : new Para(m.IssueCount == 1 ? "Masalah yang ditemukan:" : $"Masalah yang ditemukan ({Number(m.IssueCount)}):"),
            m.Issues.Count == 0 ? null : new Bullets([.. m.Issues.Take(MaxIssuesListed)]),
            more > 0 ? new Para($"... dan {Number(more)} masalah lainnya, lihat laporan lengkap.") : null,
            m.RejectedRows == 0 ? null : new Para(submitted
                ? "Baris yang perlu diperbaiki tidak ikut diajukan. Untuk mengajukannya, perbaiki baris tersebut lalu unggah kembali seluruh data (baris valid dan baris yang sudah diperbaiki) dalam satu berkas; berkas baru menggantikan berkas ini selama belum diputuskan."
                : "Perbaiki baris tersebut sesuai keterangan di atas, lalu unggah kembali berkas yang sudah diperbaiki sebelum batas waktu pengumpulan."),
            m.ReportLink is null ? null : new Action("Laporan pemeriksaan lengkap", m.ReportLink),
            m.StatusLink is null ? null : new Action("Lihat status berkas", m.StatusLink));
    }

    public MailContent Compose(BatchRejectedMail m)
    {
        var more = m.IssueCount - Math.Min(m.Issues.Count, MaxIssuesListed);
        return Letter(
            $"Berkas ditolak: {m.Village.Title}, mohon perbaiki dan unggah ulang",
            VillageGreeting(m.Village),
            new Para($"Berkas data peserta \"{m.FileName}\" (batch {m.BatchId}) belum dapat disetujui oleh Tim Koordinator."),
            new Para($"Alasan: {m.Reason}"),
            new Facts([("Baris valid", Number(m.ValidRows)), ("Baris bermasalah", Number(m.RejectedRows))]),
            m.Issues.Count == 0 ? null : new Para("Masalah yang ditemukan:"),
            m.Issues.Count == 0 ? null : new Bullets([.. m.Issues.Take(MaxIssuesListed)]),
            more > 0 ? new Para($"... dan {Number(more)} masalah lainnya, lihat laporan lengkap.") : null,
            new Action("Laporan pemeriksaan lengkap", m.ReportLink),
            new Para("Mohon perbaiki data sesuai laporan tersebut, lalu unggah kembali berkas yang sudah diperbaiki sebelum batas waktu pengumpulan."));
    }

    public MailContent Compose(BatchUnreadableMail m)
    {
        var (problem, advice) = UnreadableReason(m.Code);
        return SystemLetter(
            $"Berkas tidak dapat dibaca: {m.Village.Title}",
            VillageGreeting(m.Village),
            new Para($"Berkas Anda tidak dapat dibaca: {problem}"),
            m.Detail is null ? null : new Para($"Keterangan: {m.Detail}"),
            new Facts([("Nomor batch", m.BatchId), ("Berkas", m.FileName)]),
            new Para($"Yang perlu dilakukan: {advice}"),
            m.ReportLink is null ? null : new Action("Laporan pemeriksaan", m.ReportLink),
            new Para("Data dalam berkas ini belum diproses. Silakan unggah kembali berkas yang sudah diperbaiki."));
    }

    public MailContent Compose(ApprovalNeededMail m) => Letter(
        $"Persetujuan diperlukan: {m.Batch.Village.Title}, {Number(m.Batch.ValidRows)} peserta valid ({Rupiah(m.Batch.Cost)})",
        CoordinatorGreeting,
        new Para($"Batch baru dari {m.Batch.Village.Title} menunggu keputusan Anda: setujui untuk mendaftarkan peserta yang valid, atau tolak dengan alasan."),
        BatchFacts(m.Batch),
        new Action("Buka halaman batch untuk menyetujui atau menolak", m.ApprovalLink),
        new Para("Tautan ini khusus untuk batch ini dan berlaku untuk waktu terbatas; mohon tidak diteruskan."));

    public MailContent Compose(ApprovalReminderMail m) => Letter(
        $"Pengingat ke-{m.ReminderNumber.ToString(CultureInfo.InvariantCulture)}: persetujuan {m.Batch.Village.Title} belum diputuskan",
        CoordinatorGreeting,
        new Para($"Batch dari {m.Batch.Village.Title} masih menunggu keputusan sejak {DateTime(m.AskedAt)}. Ini adalah pengingat ke-{m.ReminderNumber.ToString(CultureInfo.InvariantCulture)}."),
        BatchFacts(m.Batch),
        new Action("Buka halaman batch untuk menyetujui atau menolak", m.ApprovalLink),
        new Para("Tautan ini khusus untuk batch ini dan berlaku untuk waktu terbatas; mohon tidak diteruskan."));

    public MailContent Compose(ApprovalEscalationMail m) => Letter(
        $"Eskalasi: persetujuan {m.Batch.Village.Title} tertunda sejak {Date(JakartaDate(m.AskedAt))}",
        LeadershipGreeting,
        new Para($"Batch dari {m.Batch.Village.Title} belum diputuskan oleh Tim Koordinator sejak {DateTime(m.AskedAt)}, meskipun telah dikirimkan {Number(m.RemindersSent)} kali pengingat. Mohon arahan Bapak/Ibu agar keputusan dapat segera diambil."),
        BatchFacts(m.Batch),
        m.BatchLink is null ? null : new Action("Halaman batch", m.BatchLink));

    public MailContent Compose(BatchExpiredMail m) => SystemLetter(
        $"Berkas kedaluwarsa: {m.Village.Title}, tidak diputuskan tepat waktu",
        VillageGreeting(m.Village),
        new Para($"Berkas data peserta \"{m.FileName}\" (batch {m.BatchId}) tidak diputuskan oleh Tim Koordinator {ExpiryWhen(m.ExpiredAt, m.CoverageStart)}, sehingga batas waktu persetujuannya berakhir. Peserta dalam berkas ini tidak didaftarkan."),
        new Facts([("Nomor batch", m.BatchId), ("Berkas", m.FileName), ("Diajukan untuk persetujuan", DateTime(m.AskedAt)), ("Kedaluwarsa", DateTime(m.ExpiredAt))]),
        new Para("Silakan hubungi Tim Koordinator untuk langkah selanjutnya. Bila data perlu diajukan kembali, unggah berkas yang sudah diperbarui sebagai berkas baru."),
        m.StatusLink is null ? null : new Action("Lihat status berkas", m.StatusLink));

    public MailContent Compose(ApprovalExpiredMail m) => Letter(
        $"Kedaluwarsa: batch {m.Batch.Village.Title} tidak diputuskan tepat waktu",
        CoordinatorGreeting,
        new Para($"Batch dari {m.Batch.Village.Title} menunggu keputusan sejak {DateTime(m.AskedAt)} dan tidak diputuskan {ExpiryWhen(m.ExpiredAt, m.CoverageStart)}. Statusnya kini Kedaluwarsa: batch ini tidak dapat lagi disetujui atau ditolak, dan pesertanya tidak didaftarkan."),
        BatchFacts(m.Batch),
        new Para($"{m.Batch.Village.Title} telah diberi tahu. Bila data ini masih perlu diproses, desa/kelurahan dapat mengunggah berkas baru."),
        m.BatchLink is null ? null : new Action("Halaman batch", m.BatchLink));

    /// <summary>"sebelum masa perlindungan dimulai pada 1 November 2024" or "sampai 24 Oktober 2024 pukul 09.00 WIB".</summary>
    private static string ExpiryWhen(DateTimeOffset expiredAt, DateOnly? coverageStart) => coverageStart is { } start
        ? $"sebelum masa perlindungan dimulai pada {Date(start)}"
        : $"sampai {DateTime(expiredAt)}";

    public MailContent Compose(BatchApprovedMail m)
    {
        var period = m.CoverageEnd is { } end
            ? $"mulai {Date(m.CoverageStart)} sampai dengan {Date(end)}"
            : $"mulai {Date(m.CoverageStart)}";
        return Letter(
            $"Berkas disetujui: {m.Village.Title}, {Number(m.Enrolled)} peserta didaftarkan",
            VillageGreeting(m.Village),
            new Para($"Berkas data peserta \"{m.FileName}\" (batch {m.BatchId}) telah disetujui. Sebanyak {Number(m.Enrolled)} pekerja didaftarkan sebagai peserta BPJS Ketenagakerjaan (Jaminan Kecelakaan Kerja dan Jaminan Kematian) dengan perlindungan {period}."),
            new Facts([("Peserta didaftarkan", Number(m.Enrolled)), ("Baris tidak didaftarkan", Number(m.RejectedRows)), ("Perlindungan mulai", Date(m.CoverageStart))]),
            m.RejectedRows > 0
                ? new Para($"Sebanyak {Number(m.RejectedRows)} baris belum dapat didaftarkan. Rinciannya ada dalam laporan pemeriksaan; data yang sudah diperbaiki dapat diunggah kembali sebagai berkas baru.")
                : null,
            m.ReportLink is null ? null : new Action("Laporan pemeriksaan", m.ReportLink));
    }

    public MailContent Compose(BatchRevokedMail m) => Letter(
        $"Persetujuan dicabut: {m.Village.Title}, {Number(m.Unenrolled)} peserta dibatalkan",
        VillageGreeting(m.Village),
        new Para($"Persetujuan atas berkas data peserta \"{m.FileName}\" (batch {m.BatchId}) telah dicabut oleh Tim Koordinator pada {DateTime(m.RevokedAt)}. Sebanyak {Number(m.Unenrolled)} pekerja dari berkas ini tidak lagi didaftarkan melalui batch ini."),
        new Para($"Alasan: {m.Reason}"),
        new Facts([("Nomor batch", m.BatchId), ("Berkas", m.FileName), ("Peserta dibatalkan", Number(m.Unenrolled)), ("Dicabut", DateTime(m.RevokedAt))]),
        new Para("Bila data perlu diajukan kembali, perbaiki sesuai alasan di atas lalu unggah berkas yang sudah diperbarui sebagai berkas baru. Silakan hubungi Tim Koordinator bila ada pertanyaan."),
        m.StatusLink is null ? null : new Action("Lihat status berkas", m.StatusLink));

    public MailContent Compose(BatchSupersededMail m) => SystemLetter(
        $"Berkas digantikan: {m.Village.Title}",
        VillageGreeting(m.Village),
        new Para($"Berkas \"{m.FileName}\" (batch {m.BatchId}) tidak diproses lebih lanjut karena Anda telah mengunggah berkas yang lebih baru, \"{m.NewFileName}\" (batch {m.NewBatchId}), pada {DateTime(m.NewReceivedAt)}."),
        new Para("Hanya berkas terbaru yang akan diperiksa dan diajukan untuk persetujuan. Anda tidak perlu melakukan apa pun jika berkas terbaru sudah benar."));

    public MailContent Compose(DeadlineReminderMail m)
    {
        var status = m.Status switch
        {
            VillageStatus.AwaitingApproval => $"Berkas dari {m.Village.Title} sudah kami terima dan sedang menunggu persetujuan Tim Koordinator. Anda tidak perlu mengunggah ulang, kecuali ingin menggantinya dengan berkas yang lebih baru.",
            VillageStatus.NeedsCorrection => $"Berkas terakhir dari {m.Village.Title} ditolak atau tidak dapat dibaca. Mohon unggah berkas yang sudah diperbaiki sebelum batas waktu.",
            _ => $"Hingga saat ini kami belum menerima data peserta dari {m.Village.Title}. Mohon unggah data peserta sebelum batas waktu.",
        };
        return Letter(
            $"Pengingat: batas pengumpulan data {Date(m.Deadline)} ({DaysLeftText(m.DaysLeft)})",
            VillageGreeting(m.Village),
            new Para($"Batas akhir pengumpulan data peserta adalah {DateWithDay(m.Deadline)} ({DaysLeftText(m.DaysLeft)})."),
            new Para(status),
            m.UploadLink is null ? null : new Action("Unggah data peserta", m.UploadLink));
    }

    /// <summary>The recap counts the villages actually reached, per channel, and lists those without a contact first.</summary>
    public MailContent Compose(DeadlineReminderCopyMail m)
    {
        var reached = m.Villages.Where(v => v.Reached).ToList();
        var unreached = m.Villages.Where(v => !v.Reached).ToList();
        var contacts = string.Join(" maupun ", m.Channels.Select(ContactName));
        return Letter(
            $"Rekap pengingat: {Number(reached.Count)} dari {Number(m.Villages.Count)} desa/kelurahan terkirim, batas {Date(m.Deadline)} ({DaysLeftText(m.DaysLeft)})",
            CoordinatorGreeting,
            new Para($"Pengingat batas pengumpulan data ({DateWithDay(m.Deadline)}, {DaysLeftText(m.DaysLeft)}) terkirim kepada {Number(reached.Count)} dari {Number(m.Villages.Count)} desa/kelurahan yang belum memiliki data peserta yang disetujui (dari {Number(m.VillagesTotal)} desa/kelurahan dalam kegiatan)."),
            new Facts(
            [
                .. m.Channels.Select(c => ($"Terkirim melalui {ChannelName(c)}", Number(reached.Count(v => v.ReachedBy!.Contains(c))))),
                ("Tidak dapat dihubungi", Number(unreached.Count)),
            ]),
            StatusCounts(m.Villages),
            unreached.Count == 0 ? null : new Para($"{Number(unreached.Count)} desa/kelurahan berikut tidak menerima pengingat karena tidak memiliki {(contacts.Length == 0 ? "kontak" : contacts)} PIC yang tercatat dalam data kegiatan. Mohon hubungi langsung, atau lengkapi kontak PIC-nya:"),
            unreached.Count == 0 ? null : new VillageTable(unreached),
            reached.Count == 0 ? null : new Para("Desa/kelurahan yang menerima pengingat:"),
            reached.Count == 0 ? null : new VillageTable(reached, ShowChannels: true));
    }

    public MailContent Compose(DeadlineEscalationMail m) => Letter(
        $"Batas waktu terlewati: {Number(m.Villages.Count)} desa/kelurahan belum menyelesaikan pendataan",
        LeadershipAndCoordinatorGreeting,
        new Para($"Batas pengumpulan data peserta pada {DateWithDay(m.Deadline)} telah berakhir. Masih terdapat {Number(m.Villages.Count)} dari {Number(m.VillagesTotal)} desa/kelurahan yang belum memiliki data peserta yang disetujui."),
        StatusCounts(m.Villages),
        new VillageTable(m.Villages),
        new Para("Mohon arahan Bapak/Ibu untuk menindaklanjuti desa/kelurahan tersebut."));

    public MailContent Compose(DailySummaryMail m)
    {
        var day = JakartaDate(m.AsOf);
        var gap = m.GapToTarget > 0
            ? $"{Number(m.GapToTarget)} orang ({Rupiah(m.GapToTargetRupiah)})"
            : "target telah tercapai";
        return Letter(
            $"Ringkasan cakupan {Date(day)}: {Percent(m.CoveragePercent)} (target {Percent(m.TargetPercent)})",
            LeadershipAndCoordinatorGreeting,
            new Para($"Berikut ringkasan cakupan kepesertaan BPJS Ketenagakerjaan {Context.RegencyName} per {DateTime(m.AsOf)}."),
            m.LapseWarning is { } warning ? new Para(warning.Text) : null,
            new Facts(
            [
                ("Jumlah pekerja", Number(m.Workforce)),
                ("Sudah terlindungi sebelumnya", Number(m.BaselineCovered)),
                ("Disetujui dalam program ini", Number(m.Approved)),
                .. m.ApprovedStartingLater > 0 ? [("Disetujui, mulai terlindungi kemudian", Number(m.ApprovedStartingLater))] : Array.Empty<(string, string)>(),
                ("Menunggu persetujuan", Number(m.Pending)),
                ("Total terlindungi", Number(m.BaselineCovered + m.Approved)),
                ("Cakupan", $"{Percent(m.CoveragePercent)} (target {Percent(m.TargetPercent)})"),
                ("Kekurangan menuju target", gap),
                ("Anggaran terpakai", Rupiah(m.BudgetCommitted)),
                ("Desa/kelurahan belum mengunggah", $"{Number(m.VillagesMissing)} dari {Number(m.VillagesTotal)}"),
                .. m.SubmissionDeadline is { } deadline ? [("Batas pengiriman data", DateWithDay(deadline))] : Array.Empty<(string, string)>(),
                .. m.Reporting is { } r ? [("Pengiriman desa/kelurahan", Coverage.CoverageHtml.ReportingText(r))] : Array.Empty<(string, string)>(),
            ]),
            m.Districts.Count == 0 ? null : new Para("Per kecamatan (cakupan dihitung hanya bila ada data jumlah tenaga kerja; \"—\" berarti belum ada):"),
            m.Districts.Count == 0 ? null : new Facts(m.Districts.Select(d => ($"Kecamatan {d.Name}",
                $"{Coverage.CoverageHtml.PercentText(d.CoveragePercent)} · disetujui {Number(d.Approved)}"
                + (d.Reporting is { } dr ? $" · tepat waktu {Number(dr.OnTime)}, terlambat {Number(dr.Late)}, belum {Number(dr.NotSent)}" : ""))).ToList()),
            m.SummaryLink is null ? null : new Action("Ringkasan lengkap per kecamatan dan desa", m.SummaryLink));
    }

    private static string VillageGreeting(VillageRef v) => $"Yth. Operator {v.Title},";
    private const string CoordinatorGreeting = "Yth. Tim Koordinator,";
    private string LeadershipGreeting => $"Yth. Bapak/Ibu Pimpinan {Context.RegencyName},";
    private const string LeadershipAndCoordinatorGreeting = "Yth. Bapak/Ibu Pimpinan dan Tim Koordinator,";

    private static string DaysLeftText(int days) => IndonesianFormat.DaysLeft(days);

    private static Facts BatchFacts(PendingBatch b) => new(
    [
        ("Desa/kelurahan", $"{b.Village.Title} ({b.Village.Code})"),
        ("Kecamatan", b.Village.District ?? "-"),
        ("Berkas", b.FileName),
        ("Nomor batch", b.BatchId),
        ("Diterima", DateTime(b.ReceivedAt)),
        ("Jumlah baris", Number(b.TotalRows)),
        ("Baris valid", Number(b.ValidRows)),
        ("Baris ditolak", Number(b.RejectedRows)),
        ("Baris valid dengan peringatan", Number(b.WarningRows)),
        ("Biaya iuran (baris valid)", Rupiah(b.Cost)),
    ]);

    private static Facts StatusCounts(IReadOnlyList<LateVillage> villages) => new(
    [
        ("Belum mengunggah", Number(villages.Count(v => v.Status == VillageStatus.NotSubmitted))),
        ("Menunggu persetujuan", Number(villages.Count(v => v.Status == VillageStatus.AwaitingApproval))),
        ("Perlu perbaikan", Number(villages.Count(v => v.Status == VillageStatus.NeedsCorrection))),
    ]);

    /// <summary>"email": how a channel is named in counts.</summary>
    internal static string ChannelName(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => "email",
        MessageChannel.Text => "WhatsApp/SMS",
        _ => channel.ToString(),
    };

    /// <summary>"alamat email": the contact a channel needs, as a recap names what a village lacks.</summary>
    internal static string ContactName(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => "alamat email",
        MessageChannel.Text => "nomor HP",
        _ => $"kontak {channel}",
    };

    private static string ChannelsText(LateVillage v) => v.Reached ? string.Join(", ", v.ReachedBy!.Select(ChannelName)) : "tidak dapat dihubungi";

    /// <summary>
    /// A village's mail, for the coordinators because the village has no PIC address: the same subject and body, marked
    /// "untuk diteruskan" with a first paragraph saying why they get it.
    /// </summary>
    public MailContent ForCoordinators(MailContent villageMail, VillageRef village)
    {
        ArgumentNullException.ThrowIfNull(villageMail);
        ArgumentNullException.ThrowIfNull(village);
        var note = Mask($"Untuk Tim Koordinator: {village.Title} tidak memiliki alamat email PIC yang tercatat, sehingga pesan berikut tidak dapat dikirim kepada desa/kelurahan tersebut. Mohon teruskan isinya kepada PIC {village.Title}.");
        var prefix = Mask($"[{Context.CampaignName}] ");
        var subject = villageMail.Subject.StartsWith(prefix, StringComparison.Ordinal)
            ? $"{prefix}Untuk diteruskan ke {Mask(village.Title)}: {villageMail.Subject[prefix.Length..]}"
            : $"Untuk diteruskan ke {Mask(village.Title)}: {villageMail.Subject}";
        const string bodyTag = "color:#222\">\n";
        var at = villageMail.Html.IndexOf(bodyTag, StringComparison.Ordinal);
        var html = at < 0 ? villageMail.Html
            : villageMail.Html.Insert(at + bodyTag.Length, $"<p><strong>{WebUtility.HtmlEncode(note)}</strong></p>\n<hr>\n");
        // The short text stays the village's own: it goes to the PIC's phone when a gateway is set.
        return new MailContent(subject, $"{note}\n\n----\n\n{villageMail.PlainText}", html, villageMail.ShortText);
    }

    internal static string StatusText(VillageStatus status) => status switch
    {
        VillageStatus.AwaitingApproval => "menunggu persetujuan",
        VillageStatus.NeedsCorrection => "perlu perbaikan",
        _ => "belum mengunggah",
    };

    /// <summary>The file-level problem in plain words, and what the village should do about it.</summary>
    internal static (string Problem, string Advice) UnreadableReason(string code) => code switch
    {
        RuleCodes.FileUnsupported => ("jenis berkas tidak didukung.",
            "simpan data sebagai berkas Excel (.xlsx atau .xls) atau CSV, lalu unggah kembali."),
        RuleCodes.FileCorrupt => ("berkas rusak atau isinya bukan berkas Excel/CSV yang utuh.",
            "buka berkas di Excel, simpan ulang sebagai .xlsx, lalu unggah kembali."),
        RuleCodes.FileEncrypted => ("berkas dilindungi kata sandi.",
            "hapus perlindungan kata sandi pada berkas, simpan, lalu unggah kembali."),
        RuleCodes.FileTooLarge => ("ukuran berkas atau jumlah barisnya melebihi batas yang diizinkan.",
            "bagi data menjadi beberapa berkas yang lebih kecil, atau hapus lembar (sheet) yang tidak diperlukan."),
        RuleCodes.HeaderNotFound => ("baris judul kolom tidak ditemukan. Kolom NIK dan Nama wajib ada dalam 30 baris pertama.",
            "pastikan berkas memiliki baris judul dengan kolom NIK dan Nama, lalu unggah kembali."),
        RuleCodes.RosterEmpty => ("berkas tidak berisi data peserta, hanya baris judul.",
            "isi data peserta di bawah baris judul, lalu unggah kembali."),
        RuleCodes.FileOtherVillage => ("berkas ini tampaknya milik desa lain, bukan desa Anda.",
            "unggah berkas desa Anda sendiri; bila nama atau kode desa dalam berkas salah ketik, perbaiki lalu unggah kembali."),
        _ => ("format berkas tidak dapat diproses.",
            "periksa kembali berkas Anda lalu unggah ulang, atau hubungi Tim Koordinator."),
    };

    // ---- the outline and its two renderings ----

    private abstract record Block;
    private sealed record Para(string Text) : Block;
    private sealed record Facts(IReadOnlyList<(string Label, string Value)> Items) : Block;
    private sealed record Bullets(IReadOnlyList<string> Items) : Block;
    private sealed record Action(string Label, string Url) : Block;
    private sealed record VillageTable(IReadOnlyList<LateVillage> Villages, bool ShowChannels = false) : Block;

    /// <summary>A letter signed by the coordinators (<see cref="MailContext.SenderName"/>): their decisions, their reminders.</summary>
    private MailContent Letter(string subject, string greeting, params Block?[] body) => Write(subject, greeting, Closing, body);

    /// <summary>A letter the system writes on its own (validation results, automatic rejections, supersedes, expiries): never signed as the coordinators'.</summary>
    private MailContent SystemLetter(string subject, string greeting, params Block?[] body) => Write(subject, greeting, SystemClosing, body);

    private MailContent Write(string subject, string greeting, string closing, Block?[] body)
    {
        var blocks = body.OfType<Block>().ToList();
        var fullSubject = Mask($"[{Context.CampaignName}] {subject}");
        // The short text is signed as the mail is: by the coordinators' office, or by the system for what it writes alone.
        var signature = closing == SystemClosing ? "Sistem pemeriksaan otomatis UcjFlow" : Context.SenderName;
        return new MailContent(fullSubject, Plain(greeting, blocks, closing), Html(fullSubject, greeting, blocks, closing), Short(subject, greeting, blocks, signature));
    }

    /// <summary>How many issue lines the short text (WhatsApp, SMS gateway) lists; the report link has the rest.</summary>
    public const int MaxIssuesInShortText = 5;

    /// <summary>
    /// The short text form of the same outline, for WhatsApp and the SMS gateway: the subject in bold (WhatsApp's *…*),
    /// greeting, paragraphs, facts, the first issue lines and every link; no closing, no mail footer, no village table.
    /// </summary>
    private string Short(string subject, string greeting, List<Block> blocks, string signature)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(Mask(subject)).Append("*\n\n").Append(Mask(greeting)).Append('\n');
        AppendText(sb, blocks, forPhone: true);
        sb.Append(Mask(signature));
        return sb.ToString();
    }

    private string Closing => $"Terima kasih.\n\nHormat kami,\n{Context.SenderName}";

    private string SystemClosing => $"Terima kasih.\n\nSistem pemeriksaan otomatis UcjFlow\n(pesan ini dibuat oleh sistem, bukan oleh {Context.SenderName})";

    private string Footer =>
        $"Email ini dikirim otomatis oleh sistem UcjFlow untuk program {Context.CampaignName}; mohon tidak membalas email ini.";

    private string Plain(string greeting, List<Block> blocks, string closing)
    {
        var sb = new StringBuilder();
        sb.Append(Mask(greeting)).Append("\n\n");
        AppendText(sb, blocks, forPhone: false);
        sb.Append(Mask(closing)).Append("\n\n-- \n").Append(Mask(Footer)).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// The outline's blocks as plain text, each followed by a blank line: the mail's body (every bullet, each link on its
    /// own line, village tables) or, <paramref name="forPhone"/>, the short form (the first <see cref="MaxIssuesInShortText"/>
    /// bullets, "label: link", no village table: that is for coordinators' mail only).
    /// </summary>
    private void AppendText(StringBuilder sb, List<Block> blocks, bool forPhone)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Para p:
                    sb.Append(Mask(p.Text)).Append('\n');
                    break;
                case Facts f:
                    foreach (var (label, value) in f.Items) sb.Append("- ").Append(Mask(label)).Append(": ").Append(Mask(value)).Append('\n');
                    break;
                case Bullets b:
                    foreach (var item in forPhone ? b.Items.Take(MaxIssuesInShortText) : b.Items) sb.Append("- ").Append(Mask(item)).Append('\n');
                    if (forPhone && b.Items.Count > MaxIssuesInShortText) sb.Append("- ... selengkapnya dalam laporan\n");
                    break;
                case Action a:
                    sb.Append(Mask(a.Label)).Append(forPhone ? ": " : ":\n").Append(a.Url).Append('\n');
                    break;
                case VillageTable t when !forPhone:
                    var n = 0;
                    foreach (var v in t.Villages)
                    {
                        n++;
                        sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(Mask(v.Village.Title))
                          .Append(" (").Append(Mask(v.Village.Code)).Append(')');
                        if (v.Village.District is { } d) sb.Append(", Kecamatan ").Append(Mask(d));
                        sb.Append(": ").Append(StatusText(v.Status));
                        if (t.ShowChannels) sb.Append("; dihubungi melalui ").Append(ChannelsText(v));
                        sb.Append('\n');
                    }
                    break;
                default:
                    continue;
            }
            sb.Append('\n');
        }
    }

    // Table attributes rather than a style per cell: every mail client honours them, and a 158-village table stays small.
    private const string Table = "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:collapse;border-color:#ccc;margin:8px 0\">";
    private const string HeadCell = "<th align=\"left\" valign=\"top\" bgcolor=\"#f4f4f4\">";

    private string Html(string subject, string greeting, List<Block> blocks, string closing)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"id\">\n<head><meta charset=\"utf-8\"><title>").Append(E(subject)).Append("</title></head>\n")
          .Append("<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222\">\n")
          .Append("<p>").Append(E(greeting)).Append("</p>\n");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Para p:
                    sb.Append("<p>").Append(E(p.Text)).Append("</p>\n");
                    break;
                case Facts f:
                    sb.Append(Table).Append('\n');
                    foreach (var (label, value) in f.Items)
                        sb.Append("<tr>").Append(HeadCell).Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");
                    sb.Append("</table>\n");
                    break;
                case Bullets b:
                    sb.Append("<ul>\n");
                    foreach (var item in b.Items) sb.Append("<li>").Append(E(item)).Append("</li>\n");
                    sb.Append("</ul>\n");
                    break;
                case Action a:
                    sb.Append("<p>");
                    if (IsWebLink(a.Url))
                        sb.Append("<a href=\"").Append(WebUtility.HtmlEncode(a.Url)).Append("\">").Append(E(a.Label)).Append("</a>");
                    else
                        sb.Append(E(a.Label)).Append(": ").Append(WebUtility.HtmlEncode(a.Url));
                    sb.Append("</p>\n");
                    break;
                case VillageTable t:
                    sb.Append(Table).Append("\n<tr>");
                    foreach (var h in t.ShowChannels ? ["No", "Kode", "Desa/Kelurahan", "Kecamatan", "Keadaan", "Dihubungi melalui"] : new[] { "No", "Kode", "Desa/Kelurahan", "Kecamatan", "Keadaan" })
                        sb.Append(HeadCell).Append(h).Append("</th>");
                    sb.Append("</tr>\n");
                    var n = 0;
                    foreach (var v in t.Villages)
                    {
                        n++;
                        sb.Append("<tr>");
                        string[] cells = [n.ToString(CultureInfo.InvariantCulture), v.Village.Code, v.Village.Title, v.Village.District ?? "-", StatusText(v.Status)];
                        foreach (var cell in t.ShowChannels ? [.. cells, ChannelsText(v)] : cells)
                            sb.Append("<td>").Append(E(cell)).Append("</td>");
                        sb.Append("</tr>\n");
                    }
                    sb.Append("</table>\n");
                    break;
            }
        }
        foreach (var paragraph in closing.Split("\n\n"))
            sb.Append("<p>").Append(E(paragraph).Replace("\n", "<br>")).Append("</p>\n");
        sb
          .Append("<hr>\n<p style=\"color:#777;font-size:12px\">").Append(E(Footer)).Append("</p>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(Mask(text));

    private static bool IsWebLink(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>Masks every run of 16 or more ASCII digits as the first 6, stars, the last 4 (150301******0001).</summary>
    internal static string Mask(string text) =>
        LongDigitRun().Replace(text, m => string.Concat(m.Value.AsSpan(0, 6), new string('*', m.Value.Length - 10), m.Value.AsSpan(m.Value.Length - 4)));

    [GeneratedRegex("[0-9]{16,}")]
    private static partial Regex LongDigitRun();
}
