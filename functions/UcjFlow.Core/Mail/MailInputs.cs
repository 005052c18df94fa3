namespace UcjFlow.Core.Mail;

// The inputs of each message MailComposer writes. They carry names, counts, amounts, links and dates only:
// no NIK or KK field exists, and issue lines must arrive already masked (150301******0001).

/// <summary>Who the mails come from: "Sarolangun 2024 P-APBD", "Kabupaten Sarolangun", "Tim Koordinator ...".</summary>
public sealed record MailContext(string CampaignName, string RegencyName, string SenderName);

/// <summary>A village by Kemendagri code ("15.03.01.2001") and name ("Tambak Ratu"), with its district name if known.</summary>
public sealed record VillageRef(string Code, string Name, string? District = null)
{
    /// <summary>"Desa", "Kelurahan" or "Nagari": the first digit of the village segment is 1 for a kelurahan, 2 for a desa
    /// (a nagari in Sumatera Barat, province 13).</summary>
    public string Kind
    {
        get
        {
            var digits = new string(Code.Where(char.IsAsciiDigit).ToArray());
            if (digits.Length != 10) return "Desa";
            if (digits[6] == '1') return "Kelurahan";
            return digits.StartsWith("13", StringComparison.Ordinal) ? "Nagari" : "Desa";
        }
    }

    /// <summary>"Desa Tambak Ratu".</summary>
    public string Title => $"{Kind} {Name}";
}

/// <summary>Where a village without an approved batch stands.</summary>
public enum VillageStatus
{
    /// <summary>Nothing uploaded yet.</summary>
    NotSubmitted,
    /// <summary>A batch waits for the coordinators.</summary>
    AwaitingApproval,
    /// <summary>The last batch was rejected or unreadable.</summary>
    NeedsCorrection,
}

/// <summary>
/// A way a message reaches a village PIC. Counts in coordinator mails are per channel, so a new channel (a WhatsApp or
/// SMS gateway) is one more member here and one more name in <see cref="MailComposer"/>'s channel texts.
/// </summary>
public enum MessageChannel
{
    /// <summary>The PIC's email address in the campaign file.</summary>
    Email,
    /// <summary>The PIC's phone (campaign <c>picPhone</c>), through the regency's WhatsApp/SMS gateway (<c>Notify:Gateway</c>).</summary>
    Text,
}

/// <summary>
/// A village still missing an approved batch, for reminder copies and escalations. <paramref name="ReachedBy"/> lists the
/// channels this round's message actually went out on (empty: the village has no usable contact and was not reached).
/// </summary>
public sealed record LateVillage(VillageRef Village, VillageStatus Status, IReadOnlyList<MessageChannel>? ReachedBy = null)
{
    /// <summary>Whether the round's message went out to the village on at least one channel.</summary>
    public bool Reached => ReachedBy is { Count: > 0 };
}

/// <summary>
/// To the village PIC, as soon as validation ends (before any decision): the counts, the first problem lines
/// (<see cref="Roster.Validation.RosterIssue.Line"/>: row, the person's name, column, what to do; NIKs masked) of
/// <paramref name="IssueCount"/> in all, the report's file-wide <paramref name="Notes"/>. With valid rows the batch now waits
/// for the coordinators, whose decision comes as its own mail; without any, nothing was submitted.
/// </summary>
public sealed record BatchResultMail(
    VillageRef Village, string BatchId, string FileName, DateTimeOffset ReceivedAt,
    int TotalRows, int ValidRows, int RejectedRows, int WarningRows,
    IReadOnlyList<string> Issues, int IssueCount, IReadOnlyList<string> Notes,
    string? ReportLink = null, string? StatusLink = null);

/// <summary>
/// To the village PIC: the coordinators rejected the batch. <paramref name="Issues"/> are masked lines for the village
/// (the first ones; <paramref name="IssueCount"/> is how many there are in all), <paramref name="ReportLink"/> the full report.
/// </summary>
public sealed record BatchRejectedMail(
    VillageRef Village, string BatchId, string FileName, string Reason,
    int ValidRows, int RejectedRows, IReadOnlyList<string> Issues, int IssueCount, string ReportLink);

/// <summary>
/// To the village PIC: the file could not be read. <paramref name="Code"/> is the file-level rule code (RuleCodes.File*,
/// HeaderNotFound, RosterEmpty); <paramref name="Detail"/> an optional extra sentence in Indonesian, without NIK.
/// </summary>
public sealed record BatchUnreadableMail(VillageRef Village, string BatchId, string FileName, string Code, string? Detail = null, string? ReportLink = null);

/// <summary>A batch waiting for a decision. <paramref name="WarningRows"/> counts valid rows that carry warnings; <paramref name="Cost"/> is valid rows × premium × months.</summary>
public sealed record PendingBatch(
    VillageRef Village, string BatchId, string FileName,
    int TotalRows, int ValidRows, int RejectedRows, int WarningRows,
    decimal Cost, DateTimeOffset ReceivedAt);

/// <summary>To the coordinators: decide on this batch. <paramref name="ApprovalLink"/> is the batch page with its signed token.</summary>
public sealed record ApprovalNeededMail(PendingBatch Batch, string ApprovalLink);

/// <summary>To the coordinators: the <paramref name="ReminderNumber"/>th reminder (1-based) since they were asked at <paramref name="AskedAt"/>.</summary>
public sealed record ApprovalReminderMail(PendingBatch Batch, string ApprovalLink, int ReminderNumber, DateTimeOffset AskedAt);

/// <summary>
/// To the leadership, copy to the coordinators: still no decision after <paramref name="RemindersSent"/> reminders.
/// <paramref name="BatchLink"/> is optional so that an approval token need not be forwarded to the leadership.
/// </summary>
public sealed record ApprovalEscalationMail(PendingBatch Batch, int RemindersSent, DateTimeOffset AskedAt, string? BatchLink = null);

/// <summary>
/// To the village PIC: the batch was left undecided until its approval wait ended at <paramref name="ExpiredAt"/> and will
/// not be processed. <paramref name="CoverageStart"/> is set when the wait ended at the campaign's coverage start.
/// </summary>
public sealed record BatchExpiredMail(
    VillageRef Village, string BatchId, string FileName, DateTimeOffset AskedAt, DateTimeOffset ExpiredAt, DateOnly? CoverageStart = null, string? StatusLink = null);

/// <summary>
/// To the coordinators: no decision came before the batch's approval wait ended at <paramref name="ExpiredAt"/>, so it is
/// Expired and a decision is no longer possible. <paramref name="CoverageStart"/> as in <see cref="BatchExpiredMail"/>.
/// </summary>
public sealed record ApprovalExpiredMail(
    PendingBatch Batch, DateTimeOffset AskedAt, DateTimeOffset ExpiredAt, DateOnly? CoverageStart = null, string? BatchLink = null);

/// <summary>To the village PIC: the batch was approved and <paramref name="Enrolled"/> workers are enrolled from <paramref name="CoverageStart"/>.</summary>
public sealed record BatchApprovedMail(
    VillageRef Village, string BatchId, string FileName, int Enrolled, int RejectedRows,
    DateOnly CoverageStart, DateOnly? CoverageEnd = null, string? ReportLink = null);

/// <summary>
/// To the village PIC: a coordinator revoked the approved batch with <paramref name="Reason"/> at <paramref name="RevokedAt"/>;
/// its <paramref name="Unenrolled"/> workers are no longer enrolled through it.
/// </summary>
public sealed record BatchRevokedMail(
    VillageRef Village, string BatchId, string FileName, string Reason, int Unenrolled, DateTimeOffset RevokedAt, string? StatusLink = null);

/// <summary>To the village PIC: a newer upload replaced a batch that was still waiting.</summary>
public sealed record BatchSupersededMail(
    VillageRef Village, string BatchId, string FileName, string NewBatchId, string NewFileName, DateTimeOffset NewReceivedAt);

/// <summary>To the village PIC: <paramref name="DaysLeft"/> days (0 = today) until the submission deadline.</summary>
public sealed record DeadlineReminderMail(VillageRef Village, VillageStatus Status, DateOnly Deadline, int DaysLeft, string? UploadLink = null);

/// <summary>
/// To the coordinators: the recap of one reminder round over every late village, each with the channels it was reached
/// on (<see cref="LateVillage.ReachedBy"/>); <paramref name="Channels"/> are the channels the round tried, so the villages
/// without any contact are named as such and listed for the coordinators to reach themselves.
/// </summary>
public sealed record DeadlineReminderCopyMail(
    DateOnly Deadline, int DaysLeft, IReadOnlyList<LateVillage> Villages, int VillagesTotal, IReadOnlyList<MessageChannel> Channels);

/// <summary>After the deadline, to the leadership (copy to the coordinators): the villages still missing.</summary>
public sealed record DeadlineEscalationMail(DateOnly Deadline, IReadOnlyList<LateVillage> Villages, int VillagesTotal);

/// <summary>
/// The daily coverage summary, to coordinators and leadership, as the coverage summary computed it.
/// Covered = <paramref name="BaselineCovered"/> + <paramref name="Approved"/>; percents are 0–100; <paramref name="GapToTarget"/>
/// in people (≤ 0 when the target is reached) and <paramref name="GapToTargetRupiah"/> in rupiah.
/// </summary>
public sealed record DailySummaryMail(
    DateTimeOffset AsOf,
    long Workforce, long BaselineCovered, long Approved, long Pending,
    decimal CoveragePercent, decimal TargetPercent,
    long GapToTarget, decimal GapToTargetRupiah, decimal BudgetCommitted,
    int VillagesTotal, int VillagesMissing, string? SummaryLink = null)
{
    /// <summary>Per kecamatan, in code order: approved, coverage (null without a workforce figure) and reporting rates.</summary>
    public IReadOnlyList<Coverage.DistrictSummaryLine> Districts { get; init; } = [];
    public Coverage.ReportingRates? Reporting { get; init; }
    public DateOnly? SubmissionDeadline { get; init; }
    /// <summary>People approved whose coverage starts after the summary's date (the submission weeks).</summary>
    public long ApprovedStartingLater { get; init; }
    /// <summary>A coming fall of coverage to warn of (one line), or null.</summary>
    public Coverage.LapseWarning? LapseWarning { get; init; }
}

/// <summary>
/// A composed message: subject, plain text and HTML of the mail, and <paramref name="ShortText"/>, the same message in
/// short for WhatsApp and the SMS gateway (plain text with its links, no mail footer).
/// </summary>
public sealed record MailContent(string Subject, string PlainText, string Html, string ShortText)
{
    /// <summary>
    /// Addresses it: <paramref name="key"/> is the idempotency key (see <see cref="OutgoingMail.Key"/>);
    /// <paramref name="phone"/> (E.164) is the village PIC's, for the text gateway.
    /// </summary>
    public OutgoingMail ToMail(string key, IReadOnlyList<string> to, IReadOnlyList<string>? cc = null, string? phone = null) =>
        new(key, to, cc ?? [], Subject, PlainText, Html, Phone: phone, ShortText: ShortText);

    /// <summary>The wa.me link that opens WhatsApp with <see cref="ShortText"/> to <paramref name="phone"/> (E.164; null: WhatsApp asks whom).</summary>
    public string WhatsAppUrl(string? phone) => WhatsAppLink.For(phone, ShortText);
}
