using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using UcjFlow.App.Web;
using UcjFlow.Workflow.Durable;

namespace UcjFlow.App.Api;

/// <summary>
/// Every route of the app, written once. The local host maps them with <see cref="MapUcjFlow"/>; the Azure Functions app
/// has one HTTP trigger per route with the same template and method, calling the same handler (a test compares the two).
/// Templates carry no leading '/' because Azure Functions routes are relative (host.json sets an empty routePrefix).
/// </summary>
public static class UcjFlowRoutes
{
    public const string Upload = "api/uploads/{villageCode}";
    public const string Batches = "api/batches";
    public const string Batch = "api/batches/{batchId}";
    public const string BatchReport = "api/batches/{batchId}/report.{format}";
    public const string Decision = "api/batches/{batchId}/decision";
    public const string Revoke = "api/batches/{batchId}/revoke";
    public const string ExportSent = "api/batches/{batchId}/export-sent";
    public const string Audit = "api/audit";
    public const string Coverage = "api/coverage";
    public const string Campaign = "api/campaign";
    public const string Me = "api/me";
    public const string CoverageFile = "reports/coverage/{regency}/{file}";
    /// <summary>
    /// GET: the coverage files' address before coverage was published per regency (links in mails sent by the
    /// single-campaign version): redirected to the regency's file when the deployment serves one regency.
    /// </summary>
    public const string CoverageFileBeforeRegencies = "reports/coverage/{file}";
    public const string BatchFile = "reports/batches/{batchId}/{file}";
    /// <summary>"/" and "/coverage": an optional parameter is how an Azure Function serves the site root.</summary>
    public const string Page = "{page?}";
    public const string BatchPage = "batches/{batchId}";
    public const string UploadPage = "upload/{villageCode}";
    public const string Assets = "assets/{file}";
    /// <summary>POST: a village's personal access link (coordinators).</summary>
    public const string VillageAccess = "api/villages/{villageCode}/access";
    /// <summary>POST: access links for every village of a kecamatan, as a printable sheet with QR codes (coordinators).</summary>
    public const string DistrictAccess = "api/districts/{districtCode}/access";
    /// <summary>GET: the issued access links with their last use (coordinators).</summary>
    public const string AccessLinks = "api/access";
    /// <summary>POST: revoke one access link (coordinators).</summary>
    public const string AccessLinkRevoke = "api/access/{linkId}/revoke";
    /// <summary>GET: the official roster template (public).</summary>
    public const string Template = "api/template";
    public const string VillageRenewal = "api/villages/{villageCode}/renewal";
    /// <summary>What the village was told when validation ended (issue 9.2).</summary>
    public const string BatchResult = "api/batches/{batchId}/result";
    /// <summary>A batch's messages to its village, with their WhatsApp links (coordinators).</summary>
    public const string BatchMessages = "api/batches/{batchId}/messages";
    /// <summary>The villages without an approved batch, each with its reminder and WhatsApp link (coordinators).</summary>
    public const string LateVillages = "api/villages/late";
    public const string BatchPeople = "api/batches/{batchId}/people";
    public const string Decisions = "api/decisions";
    public const string BatchExport = "api/batches/{batchId}/export.{format}";
    public const string ConsolidatedExport = "api/exports/bpjs.{format}";
    /// <summary>GET: the campaigns the caller sees; POST: a new campaign (body: the campaign file's JSON; coordinators).</summary>
    public const string Campaigns = "api/campaigns";
    /// <summary>GET: one campaign with its stored document; PUT: the edited document (coordinators).</summary>
    public const string CampaignById = "api/campaigns/{campaignId}";
    /// <summary>POST: close a campaign: no more uploads (coordinators).</summary>
    public const string CampaignClose = "api/campaigns/{campaignId}/close";

    /// <summary>Maps every route onto the app's handlers; the durable client is the host's (from its services).</summary>
    public static IEndpointRouteBuilder MapUcjFlow(this IEndpointRouteBuilder app)
    {
        app.MapPost(Upload, (HttpRequest r, string villageCode, UploadApi a, DurableTaskClient d, CancellationToken ct) => a.UploadAsync(r, villageCode, d, ct)).DisableAntiforgery();
        app.MapGet(Batches, (HttpRequest r, BatchApi a, CancellationToken ct) => a.ListAsync(r, ct));
        app.MapGet(Batch, (HttpRequest r, string batchId, BatchApi a, CancellationToken ct) => a.GetAsync(r, batchId, ct));
        app.MapGet(BatchReport, (HttpRequest r, string batchId, string format, BatchApi a, CancellationToken ct) => a.ReportAsync(r, batchId, format, ct));
        app.MapPost(Decision, (HttpRequest r, string batchId, BatchApi a, DurableTaskClient d, CancellationToken ct) => a.DecideAsync(r, batchId, d, ct)).DisableAntiforgery();
        app.MapPost(Revoke, (HttpRequest r, string batchId, RevocationApi a, DurableTaskClient d, CancellationToken ct) => a.RevokeAsync(r, batchId, d, ct)).DisableAntiforgery();
        app.MapPost(ExportSent, (HttpRequest r, string batchId, RevocationApi a, DurableTaskClient d, CancellationToken ct) => a.MarkExportSentAsync(r, batchId, d, ct)).DisableAntiforgery();
        app.MapGet(Audit, (HttpRequest r, RevocationApi a, CancellationToken ct) => a.AuditAsync(r, ct));
        app.MapGet(Coverage, (HttpRequest r, CoverageApi a, CancellationToken ct) => a.CoverageAsync(r, ct));
        app.MapGet(Campaign, (HttpRequest r, CoverageApi a, CancellationToken ct) => a.CampaignAsync(r, ct));
        app.MapGet(Me, (HttpRequest r, CoverageApi a, CancellationToken ct) => a.MeAsync(r, ct));
        app.MapGet(CoverageFile, (string regency, string file, ReportFiles f, CancellationToken ct) => f.CoverageAsync(regency, file, ct));
        app.MapGet(CoverageFileBeforeRegencies, (string file, ReportFiles f, CancellationToken ct) => f.CoverageBeforeRegenciesAsync(file, ct));
        app.MapGet(BatchFile, (HttpRequest r, string batchId, string file, ReportFiles f, CancellationToken ct) => f.BatchAsync(r, batchId, file, ct));
        app.MapGet(Page, (string? page, WebPages w) => w.Page(page));
        app.MapGet(BatchPage, (string batchId, WebPages w) => w.Index());
        app.MapGet(UploadPage, (string villageCode, WebPages w) => w.Index());
        app.MapGet(Assets, (string file, WebPages w) => w.Asset(file));
        // [FromServices]: said, not inferred, so mapping needs no registered service (the metadata test maps without them).
        app.MapPost(VillageAccess, (HttpRequest r, string villageCode, [FromServices] AccessApi a, CancellationToken ct) => a.IssueAsync(r, villageCode, ct)).DisableAntiforgery();
        app.MapPost(DistrictAccess, (HttpRequest r, string districtCode, [FromServices] AccessApi a, CancellationToken ct) => a.IssueSheetAsync(r, districtCode, ct)).DisableAntiforgery();
        app.MapGet(AccessLinks, (HttpRequest r, [FromServices] AccessApi a, CancellationToken ct) => a.ListAsync(r, ct));
        app.MapPost(AccessLinkRevoke, (HttpRequest r, string linkId, [FromServices] AccessApi a, CancellationToken ct) => a.RevokeAsync(r, linkId, ct)).DisableAntiforgery();
        app.MapGet(Template, (HttpRequest r, [FromServices] AccessApi a, CancellationToken ct) => a.TemplateAsync(r, ct));
        app.MapGet(VillageRenewal, (HttpRequest r, string villageCode, [FromServices] RenewalApi a, CancellationToken ct) => a.RosterAsync(r, villageCode, ct));
        app.MapGet(BatchResult, (HttpRequest r, string batchId, BatchApi a, CancellationToken ct) => a.ResultAsync(r, batchId, ct));
        app.MapGet(BatchMessages, (HttpRequest r, string batchId, [FromServices] VillageMessagesApi a, CancellationToken ct) => a.BatchAsync(r, batchId, ct));
        app.MapGet(LateVillages, (HttpRequest r, [FromServices] VillageMessagesApi a, CancellationToken ct) => a.LateAsync(r, ct));
        app.MapGet(BatchPeople, (HttpRequest r, string batchId, BatchApi a, CancellationToken ct) => a.PeopleAsync(r, batchId, ct));
        app.MapPost(Decisions, (HttpRequest r, BatchApi a, DurableTaskClient d, CancellationToken ct) => a.DecideManyAsync(r, d, ct)).DisableAntiforgery();
        app.MapGet(BatchExport, (HttpRequest r, string batchId, string format, ExportApi a, CancellationToken ct) => a.BatchAsync(r, batchId, format, ct));
        app.MapGet(ConsolidatedExport, (HttpRequest r, string format, ExportApi a, CancellationToken ct) => a.ConsolidatedAsync(r, format, ct));
        app.MapGet(Campaigns, (HttpRequest r, [FromServices] CampaignApi a, CancellationToken ct) => a.ListAsync(r, ct));
        app.MapPost(Campaigns, (HttpRequest r, [FromServices] CampaignApi a, CancellationToken ct) => a.CreateAsync(r, ct)).DisableAntiforgery();
        app.MapGet(CampaignById, (HttpRequest r, string campaignId, [FromServices] CampaignApi a, CancellationToken ct) => a.GetAsync(r, campaignId, ct));
        app.MapPut(CampaignById, (HttpRequest r, string campaignId, [FromServices] CampaignApi a, CancellationToken ct) => a.ReplaceAsync(r, campaignId, ct)).DisableAntiforgery();
        app.MapPost(CampaignClose, (HttpRequest r, string campaignId, [FromServices] CampaignApi a, CancellationToken ct) => a.CloseAsync(r, campaignId, ct)).DisableAntiforgery();
        return app;
    }
}
