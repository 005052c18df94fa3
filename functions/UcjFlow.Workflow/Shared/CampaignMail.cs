using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;

namespace UcjFlow.Workflow.Shared;

/// <summary>The campaign's view of mail: the composer with its sender, who the villages and coordinators are.</summary>
public sealed class CampaignMail(Campaign campaign, WorkflowOptions options)
{
    public MailComposer Composer { get; } = new(new MailContext(
        campaign.Name, campaign.RegencyName, options.SenderName ?? $"Tim Koordinator {campaign.RegencyName}"));

    public IReadOnlyList<string> Coordinators => campaign.CoordinatorEmails;

    public IReadOnlyList<string> Leadership => campaign.LeadershipEmails;

    /// <summary>The village as mails name it; falls back to what the batch recorded when the campaign does not list it.</summary>
    public VillageRef Village(string code, string? nameHint = null)
    {
        var v = campaign.Village(code);
        return v is null ? new VillageRef(code, nameHint ?? code) : new VillageRef(v.Code, v.Name, v.DistrictName);
    }

    public VillageRef Village(Batch batch) => Village(batch.VillageCode, batch.VillageName);

    /// <summary>The PIC address of a village, or none.</summary>
    public IReadOnlyList<string> Pic(string villageCode) =>
        campaign.Village(villageCode)?.PicEmail is { Length: > 0 } email ? [email] : [];

    /// <summary>The PIC's mobile phone of a village (E.164), or null.</summary>
    public string? PicPhone(string villageCode) => campaign.Village(villageCode)?.PicPhone;

    /// <summary>
    /// The deadline reminder to one late village: the one composition the reminder round mails and the coordinators'
    /// late-villages list offers by WhatsApp. <paramref name="daysLeft"/> 0 is the deadline day, negative: passed. Its
    /// upload page link is signed by <paramref name="signer"/> for the village and its PIC (email, else phone), so it
    /// opens without a token paste.
    /// </summary>
    public MailContent Reminder(CampaignVillage village, VillageStatus status, int daysLeft, ApprovalLinkSigner signer)
    {
        var token = signer.CreateToken(village.Code, options.ApprovalLinkLifetime, ApprovalLinkSigner.UploadPurpose, village.PicEmail ?? village.PicPhone);
        return Composer.Compose(new DeadlineReminderMail(Village(village.Code), status, campaign.SubmissionDeadline, daysLeft, options.Links.Upload(village.Code, token)));
    }

    /// <summary>The batch as coordinator mails show it: counts and the cost of its valid rows.</summary>
    public PendingBatch Pending(Batch batch) => new(
        Village(batch), batch.BatchId, batch.FileName,
        batch.Counts.Rows, batch.Counts.Valid, batch.Counts.Rejected, batch.Counts.ValidWithWarnings,
        campaign.CostOf(batch.Counts.Valid), batch.CreatedAt);
}
