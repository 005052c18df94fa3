using Microsoft.AspNetCore.Http;
using UcjFlow.App.Security;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Campaigns;
using UcjFlow.Workflow.Intake;
using UcjFlow.Workflow.Shared;

namespace UcjFlow.App.Api;

/// <summary>
/// The village messages for coordinators to send by WhatsApp from the page: a batch's messages to its village (the same
/// composition the workflow mails, <see cref="BatchMailActivity.ComposeAsync"/>), and the late villages with their
/// reminder (<see cref="LateVillages"/>, <see cref="CampaignMail.Reminder"/>). Each carries its short text and the
/// wa.me link (<see cref="MailContent.WhatsAppUrl"/>). Coordinators only: PIC phones are theirs.
/// </summary>
public sealed class VillageMessagesApi(Access access, CampaignScope scope, IEnrollmentRegistry registry, BatchMailActivity batchMail,
    WorkflowOptions options, ApprovalLinkSigner signer, TimeProvider time)
{
    /// <summary>GET api/batches/{batchId}/messages → <see cref="VillageMessageView"/>s, oldest first; 403 for anyone but a coordinator.</summary>
    public async Task<IResult> BatchAsync(HttpRequest request, string batchId, CancellationToken ct)
    {
        var who = await access.CoordinatorAsync(request, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var batch = await registry.GetBatchAsync(batchId, ct);
        if (batch is null) return ApiErrors.BatchNotFound(batchId);
        if (!caller.CoordinatesVillage(batch.VillageCode)) return ApiErrors.Forbidden();
        var messages = new List<VillageMessageView>();
        foreach (var m in BatchMailActivity.VillageMailsOf(batch, await registry.GetDecisionAsync(batchId, ct)))
        {
            var (_, mail) = await batchMail.ComposeAsync(m);
            messages.Add(new VillageMessageView(m.Kind.ToString(), m.Key, mail.Content.Subject, mail.Content.ShortText, mail.Phone,
                mail.Content.WhatsAppUrl(mail.Phone)));
        }
        return Results.Json(messages, ApiJsonContext.Default.IReadOnlyListVillageMessageView);
    }

    /// <summary>GET api/villages/late → <see cref="LateVillagesView"/>: every village without an approved batch, in code order, with its reminder as of today (WIB).</summary>
    public async Task<IResult> LateAsync(HttpRequest request, CancellationToken ct)
    {
        var who = await access.CoordinatorAsync(request, ct);
        if (who.Caller is not { } caller) return who.Refusal;
        var (campaign, noCampaign) = await scope.ForAsync(request, caller, ct);
        if (campaign is null) return noCampaign;
        var mail = new CampaignMail(campaign, options);
        // Negative after the deadline: the reminder then says how long ago it passed.
        var daysLeft = campaign.SubmissionDeadline.DayNumber - JakartaTime.Today(time).DayNumber;
        var late = await LateVillages.FindAsync(campaign, registry, ct);
        var views = late.Where(l => caller.CoordinatesVillage(l.Village.Code)).Select(l =>
        {
            // The same signed upload link the reminder mail carries: the PIC opens it without a token paste.
            var content = mail.Reminder(l.Village, l.Status, daysLeft, signer);
            return new LateVillageView(l.Village.Code, l.Village.Name, l.Village.Kind, l.Village.DistrictName, l.Status.ToString(),
                l.Village.PicEmail, l.Village.PicPhone, content.ShortText, content.WhatsAppUrl(l.Village.PicPhone));
        }).ToList();
        return Results.Json(new LateVillagesView(campaign.SubmissionDeadline, daysLeft, campaign.Villages.Count, views), ApiJsonContext.Default.LateVillagesView);
    }
}
