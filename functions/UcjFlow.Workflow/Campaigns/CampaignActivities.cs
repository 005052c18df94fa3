using Microsoft.Extensions.Logging;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.Core.Storage;
using UcjFlow.Workflow.Coverage;
using UcjFlow.Workflow.Durable;
using UcjFlow.Workflow.Shared;
using UcjFlow.Core.Campaigns;

namespace UcjFlow.Workflow.Campaigns;

/// <summary>Reads the campaign's calendar for the next cycle (settings change only take effect through history).</summary>
public sealed class GetCampaignPlanActivity(CampaignStore campaigns, WorkflowOptions options) : TaskActivity<string, CampaignPlan>
{
    public const string Name = "GetCampaignPlan";

    public override async Task<CampaignPlan> RunAsync(TaskActivityContext context, string campaignId)
    {
        var campaign = await campaigns.GetAsync(campaignId);
        return new CampaignPlan(campaign.Id, campaign.SubmissionDeadline, campaign.ReminderOffsetsDays,
            options.DeadlineReminderTime, campaign.DailySummaryTime, campaign.CoverageEnd);
    }
}

/// <summary>
/// One deadline reminder round: a mail to the PIC of each village without an approved batch (those with an address),
/// and one recap to the coordinators listing every late village with the channels it was reached on, those without a
/// contact first. Idempotent per round and village.
/// </summary>
public sealed class SendDeadlineRemindersActivity(
    CampaignStore campaigns, IEnrollmentRegistry registry, IMailer mailer, WorkflowOptions options, ApprovalLinkSigner signer, ILoggerFactory loggers)
    : TaskActivity<ReminderRound, RoundOutcome>
{
    public const string Name = "SendDeadlineReminders";

    public override async Task<RoundOutcome> RunAsync(TaskActivityContext context, ReminderRound round)
    {
        var campaign = await campaigns.GetAsync(round.CampaignId);
        var mail = new CampaignMail(campaign, options);
        var late = await LateVillages.FindAsync(campaign, registry);
        if (late.Count == 0) return new RoundOutcome(0, 0);

        var key = $"{campaign.Id}:deadline-reminder:{round.OffsetDays}";
        var sent = 0;
        var recap = new List<LateVillage>(late.Count);
        foreach (var (village, status) in late)
        {
            var reachedBy = new List<MessageChannel>(2);
            if (village.PicEmail is not { Length: > 0 } && village.PicPhone is null)
            {
                recap.Add(new LateVillage(mail.Village(village.Code), status, reachedBy));
                continue;
            }
            // The upload page signed for this village and its PIC: it opens without a token paste.
            var content = mail.Reminder(village, status, round.OffsetDays, signer);
            var outcome = await mailer.SendAsync(content.ToMail($"{key}:{village.Code}", village.PicEmail is { Length: > 0 } pic ? [pic] : [], phone: village.PicPhone),
                CancellationToken.None);
            if (village.PicEmail is { Length: > 0 }) reachedBy.Add(MessageChannel.Email);
            if (village.PicPhone is not null && options.TextGateway) reachedBy.Add(MessageChannel.Text);
            if (outcome != MailOutcome.NoRecipient) sent++;
            recap.Add(new LateVillage(mail.Village(village.Code), status, reachedBy));
        }
        // The recap says who was actually reached and how; villages without any contact are listed for the coordinators.
        var copy = mail.Composer.Compose(new DeadlineReminderCopyMail(
            campaign.SubmissionDeadline, round.OffsetDays, recap, campaign.Villages.Count,
            options.TextGateway ? [MessageChannel.Email, MessageChannel.Text] : [MessageChannel.Email]));
        await mailer.SendAsync(copy.ToMail($"{key}:coordinators", mail.Coordinators), CancellationToken.None);
        loggers.CreateLogger<SendDeadlineRemindersActivity>().LogInformation(
            "Deadline reminder ({Offset} days before): {Late} villages late, {Sent} PIC mails", round.OffsetDays, late.Count, sent);
        return new RoundOutcome(late.Count, sent);
    }
}

/// <summary>After the deadline: one mail to the leadership (copy to the coordinators) listing the villages still missing.</summary>
public sealed class SendDeadlineEscalationActivity(
    CampaignStore campaigns, IEnrollmentRegistry registry, IMailer mailer, WorkflowOptions options)
    : TaskActivity<string, RoundOutcome>
{
    public const string Name = "SendDeadlineEscalation";

    public override async Task<RoundOutcome> RunAsync(TaskActivityContext context, string campaignId)
    {
        var campaign = await campaigns.GetAsync(campaignId);
        var mail = new CampaignMail(campaign, options);
        var late = await LateVillages.FindAsync(campaign, registry);
        if (late.Count == 0) return new RoundOutcome(0, 0);
        var content = mail.Composer.Compose(new DeadlineEscalationMail(
            campaign.SubmissionDeadline, late.Select(l => new LateVillage(mail.Village(l.Village.Code), l.Status)).ToList(), campaign.Villages.Count));
        await mailer.SendAsync(content.ToMail($"{campaign.Id}:deadline-escalation", mail.Leadership, mail.Coordinators), CancellationToken.None);
        return new RoundOutcome(late.Count, 0);
    }
}

/// <summary>
/// The daily summary: republishes <c>reports/coverage/{regency}/latest.*</c> and mails the figures to the coordinators and the
/// leadership, once per regency and day (by the regency's first open campaign; null from the others). Idempotent per day.
/// </summary>
public sealed class SendDailySummaryActivity(
    CampaignStore campaigns, CoveragePublisher coverage, IMailer mailer, WorkflowOptions options)
    : TaskActivity<DailySummaryInput, CoveragePublished?>
{
    public const string Name = "SendDailySummary";

    public override async Task<CoveragePublished?> RunAsync(TaskActivityContext context, DailySummaryInput input)
    {
        var (campaignId, day) = input;
        var campaign = await campaigns.GetAsync(campaignId);
        // One summary per regency and day: every open campaign's orchestration wakes for it; the regency's first open one
        // (the earliest added: its orchestration has run longest) publishes it and mails it to the coordinators and
        // leadership of all of them. The others return at once (null): the regency is not computed twice a day.
        var catalog = await campaigns.CurrentAsync();
        var open = catalog.OpenOfRegency(campaign.RegencyCode);
        if (open.Count > 0 && open[0].Id != campaign.Id) return null;
        var summary = await coverage.PublishAsync(campaign.RegencyCode);
        var mail = new CampaignMail(campaign, options);
        var figures = summary.ToDailySummaryMail(options.Links.Coverage(campaign.RegencyCode));
        // Sent after its day (woken before today's summary time, or a retry across midnight): dated by its own day, else
        // it reads as today's summary and today's own one then makes two mails for one day.
        if (CampaignSchedule.LocalDate(figures.AsOf.UtcDateTime) > day)
            figures = figures with { AsOf = new DateTimeOffset(CampaignSchedule.At(day, campaign.DailySummaryTime), TimeSpan.Zero) };
        var content = mail.Composer.Compose(figures);
        var to = (open.Count > 0 ? open : [campaign]).SelectMany(c => c.CoordinatorEmails.Concat(c.LeadershipEmails))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        await mailer.SendAsync(content.ToMail($"{campaign.RegencyCode}:daily-summary:{day:yyyy-MM-dd}", to), CancellationToken.None);
        return new CoveragePublished(summary.AsOf, summary.Approved, summary.Pending, summary.CoveragePercent, summary.VillagesMissing.Count);
    }
}
