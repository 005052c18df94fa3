using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using UcjFlow.App.Api;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;

namespace UcjFlow.App.Security;

/// <summary>
/// Coordinator; Village (a PIC's configured token, personal access link or mailed upload link); ApprovalLink (a mailed
/// link to read and decide one batch); BatchLink (a mailed link to read one batch).
/// </summary>
public enum CallerRole { Coordinator, Village, ApprovalLink, BatchLink }

/// <summary>
/// Who is calling. A coordinator acts for every village, or, scoped to one kecamatan (<see cref="DistrictCode"/>,
/// setting <c>CoordinatorDistricts</c>), for its villages only; a village PIC uploads and reads for
/// <see cref="VillageCode"/> only; a mailed link reads (and an approval link decides) <see cref="BatchId"/> only.
/// <see cref="Name"/> is what a decision records as DecidedBy: the coordinator's name, or the address a link was mailed to.
/// </summary>
public sealed record Caller(CallerRole Role, string Name, string? VillageCode = null, string? BatchId = null, string? DistrictCode = null,
    string? AccessLinkId = null, string? RegencyScope = null)
{
    public bool IsCoordinator => Role == CallerRole.Coordinator;

    /// <summary>
    /// The one regency (dotted) the caller belongs to: a village's, a kecamatan coordinator's, a regency coordinator's
    /// (setting <c>CoordinatorRegencies</c>); null: a coordinator of every regency of the deployment, or a mailed link.
    /// </summary>
    public string? RegencyCode => VillageCode?[..5] ?? DistrictCode?[..5] ?? RegencyScope;

    /// <summary>Whether the caller may see a regency's campaigns and coverage (dotted code).</summary>
    public bool SeesRegency(string regencyCode) => Role is CallerRole.ApprovalLink or CallerRole.BatchLink || RegencyCode is null || RegencyCode == regencyCode;

    /// <summary>A coordinator of every village, of one regency, or of the kecamatan the village (dotted code) lies in.</summary>
    public bool CoordinatesVillage(string villageCode) =>
        IsCoordinator && (DistrictCode is null || villageCode.StartsWith(DistrictCode + ".", StringComparison.Ordinal))
        && (RegencyScope is null || villageCode.StartsWith(RegencyScope + ".", StringComparison.Ordinal));

    public bool MayActForVillage(string villageCode) => CoordinatesVillage(villageCode) || (Role == CallerRole.Village && VillageCode == villageCode);

    public bool MayReadBatch(string batchId, string villageCode) =>
        MayActForVillage(villageCode) || (Role is CallerRole.ApprovalLink or CallerRole.BatchLink && BatchId == batchId);

    /// <summary>Approve or reject the batch of <paramref name="villageCode"/>: its coordinators, or the batch's mailed approval link.</summary>
    public bool MayDecide(string batchId, string villageCode) => CoordinatesVillage(villageCode) || (Role == CallerRole.ApprovalLink && BatchId == batchId);
}

/// <summary>The caller of a request, or the 401 to answer (a clear Indonesian reason: unknown, expired, revoked).</summary>
public sealed record Identity(Caller? Caller, IResult Refusal);

/// <summary>
/// The app's one access model, the same in both hosts (the Azure Functions triggers are anonymous; function keys grant
/// nothing here): configured bearer tokens (coordinators, village PICs), a village's personal access link token
/// (as <c>Authorization: Bearer</c>: that village's own calls only, refused once revoked or expired, its last use
/// recorded at most once a minute), and the signed tokens of mailed links (<see cref="LinkTokenHeader"/> or
/// <c>?token=</c>: what the link names only). Every token is signed and checked by <see cref="ApprovalLinkSigner"/>.
/// </summary>
public sealed class Access
{
    /// <summary>Recorded as DecidedBy when a decision comes through a mailed link that names no recipient.</summary>
    public const string ApprovalLinkName = "tautan-email";

    /// <summary>The header the web page sends a mailed link's token in (kept out of URLs, which logs and telemetry record).</summary>
    public const string LinkTokenHeader = "X-Link-Token";

    readonly (byte[] Hash, Caller Caller)[] bearers;
    readonly ApprovalLinkSigner signer;
    readonly IEnrollmentRegistry registry;
    readonly TimeProvider time;
    readonly ConcurrentDictionary<string, DateTimeOffset> lastUseWritten = new(StringComparer.Ordinal);

    /// <param name="coordinatorTokens">coordinator name → token (at least one).</param>
    /// <param name="villageTokens">village code (dotted) → token of its PIC.</param>
    /// <param name="coordinatorDistricts">coordinator name → dotted kecamatan code the coordinator is scoped to.</param>
    /// <param name="coordinatorRegencies">coordinator name → dotted regency code the coordinator is scoped to.</param>
    public Access(IReadOnlyDictionary<string, string> coordinatorTokens, IReadOnlyDictionary<string, string> villageTokens,
        IReadOnlyDictionary<string, string> coordinatorDistricts, ApprovalLinkSigner signer, IEnrollmentRegistry registry, TimeProvider time,
        IReadOnlyDictionary<string, string>? coordinatorRegencies = null)
    {
        this.signer = signer;
        this.registry = registry;
        this.time = time;
        var list = new List<(byte[], Caller)>();
        foreach (var (name, token) in coordinatorTokens)
            list.Add((Hash(token), new Caller(CallerRole.Coordinator, name, DistrictCode: coordinatorDistricts.GetValueOrDefault(name),
                RegencyScope: coordinatorRegencies?.GetValueOrDefault(name))));
        foreach (var (village, token) in villageTokens) list.Add((Hash(token), new Caller(CallerRole.Village, "desa-" + village, village)));
        bearers = list.ToArray();
    }

    /// <summary>
    /// The caller of a coordinators-only route: <see cref="IdentifyAsync"/>'s identity when it is a coordinator, else a
    /// refusal (401 for no, an unknown, a revoked or an expired token; 403 for a village or a mailed link).
    /// </summary>
    public async Task<Identity> CoordinatorAsync(HttpRequest request, CancellationToken ct = default)
    {
        var who = await IdentifyAsync(request, ct: ct);
        return who.Caller is null or { IsCoordinator: true } ? who : new Identity(null, Api.ApiErrors.Forbidden());
    }

    /// <summary>
    /// The caller of <paramref name="request"/>: a configured bearer token, a personal access link token as bearer
    /// (checked against the registry: revoked or expired → 401), else a mailed link's token from
    /// <see cref="LinkTokenHeader"/> or <c>?token=</c>: an approval or batch link for <paramref name="batchId"/> only,
    /// an upload link for its village.
    /// </summary>
    public async Task<Identity> IdentifyAsync(HttpRequest request, string? batchId = null, CancellationToken ct = default)
    {
        if (BearerToken(request) is { } bearer)
            return Configured(bearer) is { } configured ? Known(configured) : await FromAccessLinkAsync(bearer, ct);
        var token = request.Headers[LinkTokenHeader].ToString() is { Length: > 0 } header ? header : request.Query["token"].ToString();
        if (token.Length == 0) return Unknown;
        var check = signer.Read(token, out var grant);
        if (grant is null) return Unknown;
        if (grant.Purpose == ApprovalLinkSigner.AccessPurpose) return await FromAccessLinkAsync(token, ct);
        if (check == LinkTokenCheck.Expired)
            return Refused($"Tautan ini sudah kedaluwarsa (berlaku sampai {IndonesianFormat.DateTime(grant.ExpiresAt)}). " +
                "Buka tautan pada email yang lebih baru, atau masukkan token dari koordinator.", "link_expired");
        return grant.Purpose switch
        {
            ApprovalLinkSigner.ApprovePurpose when grant.Subject == batchId =>
                Known(new Caller(CallerRole.ApprovalLink, grant.Recipient ?? ApprovalLinkName, BatchId: batchId)),
            ApprovalLinkSigner.BatchPurpose when grant.Subject == batchId =>
                Known(new Caller(CallerRole.BatchLink, grant.Recipient ?? ApprovalLinkName, BatchId: batchId)),
            ApprovalLinkSigner.UploadPurpose =>
                Known(new Caller(CallerRole.Village, grant.Recipient ?? "desa-" + grant.Subject, grant.Subject)),
            _ => Unknown,
        };
    }

    async Task<Identity> FromAccessLinkAsync(string token, CancellationToken ct)
    {
        var check = signer.Read(token, out var grant);
        if (grant is not { Purpose: ApprovalLinkSigner.AccessPurpose, LinkId: { } linkId }) return Unknown;
        var link = await registry.GetAccessLinkAsync(linkId, ct);
        if (link is null || link.VillageCode != grant.Subject) return Unknown;
        if (link.RevokedAt is { } revoked)
            return Refused($"Tautan akses ini sudah dicabut oleh koordinator ({IndonesianFormat.DateTime(revoked)}). " +
                "Minta tautan akses baru kepada koordinator.", "access_revoked");
        if (check == LinkTokenCheck.Expired)
            return Refused($"Tautan akses ini sudah kedaluwarsa (berlaku sampai {IndonesianFormat.DateTime(grant.ExpiresAt)}). " +
                "Minta tautan akses baru kepada koordinator.", "access_expired");
        await RecordUseAsync(linkId, ct);
        return Known(new Caller(CallerRole.Village, "desa-" + link.VillageCode, link.VillageCode, AccessLinkId: linkId));
    }

    /// <summary>Last use, cheaply: this instance skips the write within a minute of its last one, the registry's UPDATE is conditional too.</summary>
    async Task RecordUseAsync(string linkId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (lastUseWritten.TryGetValue(linkId, out var last) && now - last < AccessLinkUse.Interval) return;
        lastUseWritten[linkId] = now;
        await registry.RecordAccessLinkUseAsync(linkId, now, ct);
    }

    static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token : null;
    }

    Caller? Configured(string? token)
    {
        if (token is null) return null;
        var given = Hash(token);
        Caller? found = null;
        // Look at every entry so the time taken says nothing about which one matched.
        foreach (var (hash, caller) in bearers)
            if (CryptographicOperations.FixedTimeEquals(hash, given)) found ??= caller;
        return found;
    }

    static Identity Known(Caller caller) => new(caller, ApiErrors.Unauthorized());

    static readonly Identity Unknown = new(null, ApiErrors.Unauthorized());

    static Identity Refused(string message, string code) => new(null, ApiErrors.Json(StatusCodes.Status401Unauthorized, message, code));

    static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
