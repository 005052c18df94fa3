namespace UcjFlow.Workflow;

/// <summary>
/// Settings of the workflow's activities, registered in DI by the host. <see cref="PublicBaseUrl"/> is where
/// coordinators and villages reach the web app ("http://127.0.0.1:7071", "https://ucjflow.sarolangunkab.go.id"):
/// every link in an email starts with it.
/// </summary>
public sealed record WorkflowOptions
{
    public required string PublicBaseUrl { get; init; }

    /// <summary>How long the signed link in an approval mail (and in each reminder) stays valid.</summary>
    public TimeSpan ApprovalLinkLifetime { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Local time (WIB) of the deadline reminders and of the escalation the day after the deadline.</summary>
    public TimeOnly DeadlineReminderTime { get; init; } = new(8, 0);

    /// <summary>
    /// Whether village messages also go as text to the regency's WhatsApp/SMS gateway (setting <c>Notify:Gateway:Url</c>):
    /// a PIC with a phone is then reached by text, and the reminder recap counts that channel.
    /// </summary>
    public bool TextGateway { get; init; }

    /// <summary>The signature of every mail; null: "Tim Koordinator {regency name}".</summary>
    public string? SenderName { get; init; }

    /// <summary>The links the mails carry. The host serves these paths.</summary>
    public WorkflowLinks Links => new(PublicBaseUrl);
}

/// <summary>
/// The URLs put into emails, in one place so the host serves exactly these:
/// <list type="bullet">
/// <item><c>/batches/{batchId}?token=…</c>: the batch page (approve/reject), with a signed approval token;</item>
/// <item><c>/batches/{batchId}</c>: the batch status page (villages, leadership: no token);</item>
/// <item><c>/reports/batches/{batchId}/report.html</c>: the validation report (NIK masked);</item>
/// <item><c>/reports/coverage/{regency}/latest.html</c>: the published coverage summary of a regency;</item>
/// <item><c>/upload/{villageCode}?token=…</c>: the upload page of a village (mailed, signed for that village);</item>
/// <item><c>/upload/{villageCode}#akses=…</c>: a village's personal access link (issued by a coordinator).</item>
/// </list>
/// Blob paths under <c>/reports/</c> are the names in the reports container.
/// </summary>
public sealed record WorkflowLinks(string BaseUrl)
{
    string Base => BaseUrl.TrimEnd('/');

    public string BatchPage(string batchId, string? token = null) =>
        token is null ? $"{Base}/batches/{Uri.EscapeDataString(batchId)}" : $"{Base}/batches/{Uri.EscapeDataString(batchId)}?token={Uri.EscapeDataString(token)}";

    public string Report(string batchId, string? token = null) =>
        token is null ? $"{Base}/reports/{BatchBlobs.ReportHtml(batchId)}" : $"{Base}/reports/{BatchBlobs.ReportHtml(batchId)}?token={Uri.EscapeDataString(token)}";

    /// <summary>The published coverage summary of a regency (dotted code).</summary>
    public string Coverage(string regencyCode) => $"{Base}/reports/{CoverageBlobs.Html(regencyCode)}";

    /// <summary>The upload page of a village; with a mailed link's signed <paramref name="token"/> (<c>?token=</c>) it opens without a token paste.</summary>
    public string Upload(string villageCode, string? token = null) =>
        token is null ? $"{Base}/upload/{Uri.EscapeDataString(villageCode)}" : $"{Base}/upload/{Uri.EscapeDataString(villageCode)}?token={Uri.EscapeDataString(token)}";

    /// <summary>
    /// A village's personal access link: its upload page with the token in the fragment (<c>#akses=</c>), which browsers
    /// never send to a server (no log keeps it); the page stores it as the PIC's token.
    /// </summary>
    public string Access(string villageCode, string token) => $"{Base}/upload/{Uri.EscapeDataString(villageCode)}#akses={Uri.EscapeDataString(token)}";
}

/// <summary>Names, in the reports container, of what the workflow writes per batch.</summary>
public static class BatchBlobs
{
    public static string Folder(string batchId) => $"batches/{batchId}";
    public static string ReportJson(string batchId) => $"batches/{batchId}/report.json";
    public static string ReportHtml(string batchId) => $"batches/{batchId}/report.html";
    public static string ReportCsv(string batchId) => $"batches/{batchId}/report.csv";
    /// <summary>The aggregate of the valid rows (<see cref="Intake.BatchSummary"/>).</summary>
    public static string Summary(string batchId) => $"batches/{batchId}/summary.json";
}

/// <summary>Names, in the reports container, of the published coverage summary of a regency: <c>coverage/{regency digits}/…</c>.</summary>
public static class CoverageBlobs
{
    /// <summary>"15.03" → "coverage/1503".</summary>
    public static string Folder(string regencyCode) => $"coverage/{regencyCode.Replace(".", "", StringComparison.Ordinal)}";
    public static string Json(string regencyCode) => $"{Folder(regencyCode)}/latest.json";
    public static string Html(string regencyCode) => $"{Folder(regencyCode)}/latest.html";
    public static string Csv(string regencyCode) => $"{Folder(regencyCode)}/latest.csv";
    /// <summary>The kecamatan ranked by coverage (<see cref="UcjFlow.Core.Coverage.CoverageSvg.RankedBars"/>).</summary>
    public static string Svg(string regencyCode) => $"{Folder(regencyCode)}/latest.svg";
    /// <summary>The daily snapshots behind the trend (<see cref="UcjFlow.Core.Coverage.CoverageTrend"/>).</summary>
    public static string Daily(string regencyCode) => $"{Folder(regencyCode)}/daily.json";
}
