using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using UcjFlow.Core.Security;

namespace UcjFlow.App.Security;

public enum CallerRole { Coordinator, Village, ApprovalLink }

/// <summary>
/// Who is calling. A coordinator may do everything; a village PIC uploads and reads for <see cref="VillageCode"/> only;
/// an approval link (the signed ?token= of an email) may read and decide <see cref="BatchId"/> only.
/// </summary>
public sealed record Caller(CallerRole Role, string Name, string? VillageCode = null, string? BatchId = null)
{
    public bool IsCoordinator => Role == CallerRole.Coordinator;

    public bool MayActForVillage(string villageCode) => IsCoordinator || (Role == CallerRole.Village && VillageCode == villageCode);

    public bool MayReadBatch(string batchId, string villageCode) =>
        MayActForVillage(villageCode) || (Role == CallerRole.ApprovalLink && BatchId == batchId);

    public bool MayDecide(string batchId) => IsCoordinator || (Role == CallerRole.ApprovalLink && BatchId == batchId);
}

/// <summary>
/// Resolves bearer tokens and approval-link tokens into a <see cref="Caller"/>: the app's own access model, the same in
/// both hosts (the Azure Functions triggers are anonymous; function keys grant nothing here).
/// </summary>
public sealed class Access
{
    /// <summary>Recorded as DecidedBy when a decision comes through an emailed link.</summary>
    public const string ApprovalLinkName = "tautan-email";

    readonly (byte[] Hash, Caller Caller)[] bearers;
    readonly ApprovalLinkSigner signer;

    /// <param name="coordinatorTokens">coordinator name → token (at least one).</param>
    /// <param name="villageTokens">village code (dotted) → token of its PIC.</param>
    public Access(IReadOnlyDictionary<string, string> coordinatorTokens, IReadOnlyDictionary<string, string> villageTokens, ApprovalLinkSigner signer)
    {
        this.signer = signer;
        var list = new List<(byte[], Caller)>();
        foreach (var (name, token) in coordinatorTokens) list.Add((Hash(token), new Caller(CallerRole.Coordinator, name)));
        foreach (var (village, token) in villageTokens) list.Add((Hash(token), new Caller(CallerRole.Village, "desa-" + village, village)));
        bearers = list.ToArray();
    }

    /// <summary>The bearer token's caller; null when there is none or it is unknown.</summary>
    public Caller? FromBearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var given = Hash(header[7..].Trim());
        Caller? found = null;
        // Look at every entry so the time taken says nothing about which one matched.
        foreach (var (hash, caller) in bearers)
            if (CryptographicOperations.FixedTimeEquals(hash, given)) found ??= caller;
        return found;
    }

    /// <summary>The header the web page sends a mailed link's token in (kept out of URLs, which logs and telemetry record).</summary>
    public const string LinkTokenHeader = "X-Link-Token";

    /// <summary>
    /// The caller for a request about one batch: a bearer token, else that batch's signed link token, from the
    /// <see cref="LinkTokenHeader"/> header or, for a link opened straight from a mail, the <c>?token=</c> query.
    /// </summary>
    public Caller? ForBatch(HttpRequest request, string batchId)
    {
        if (FromBearer(request) is { } caller) return caller;
        var token = request.Headers[LinkTokenHeader].ToString() is { Length: > 0 } header ? header : request.Query["token"].ToString();
        return token.Length > 0 && signer.IsValid(token, batchId) ? new Caller(CallerRole.ApprovalLink, ApprovalLinkName, BatchId: batchId) : null;
    }

    static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
