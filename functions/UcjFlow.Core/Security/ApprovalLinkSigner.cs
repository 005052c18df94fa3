using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace UcjFlow.Core.Security;

/// <summary>Why a token was accepted or refused.</summary>
public enum LinkTokenCheck
{
    Valid,
    /// <summary>Missing, malformed, signed with another secret, or for another subject or purpose.</summary>
    Invalid,
    /// <summary>Well signed, but past its expiry.</summary>
    Expired,
}

/// <summary>
/// What a signed link grants: <see cref="Purpose"/> (one of <see cref="ApprovalLinkSigner"/>'s purposes) on
/// <see cref="Subject"/> (a batch id, or a dotted village code), until <see cref="ExpiresAt"/> (whole seconds, UTC).
/// <see cref="Recipient"/> is the person a mailed link was sent to (their address: a decision through it is recorded as
/// theirs); <see cref="LinkId"/> names a stored, revocable access link (null for mailed links, which are not stored).
/// </summary>
public sealed record LinkGrant(string Purpose, string Subject, DateTimeOffset ExpiresAt, string? Recipient = null, string? LinkId = null);

/// <summary>
/// The one signer and checker of every signed link: the links in mails (a batch page, a village's upload page) and the
/// villages' personal access links. A token is "{base64url payload}.{base64url HMAC-SHA256(payload)}" with a secret
/// from settings; the payload carries the whole <see cref="LinkGrant"/> (length-prefixed fields), so a token says
/// what it grants and cannot be stretched to anything else. URL-safe, so it goes into a query string as is.
/// </summary>
public sealed class ApprovalLinkSigner
{
    /// <summary>The coordinators' approval links: read and decide one batch (subject: batch id).</summary>
    public const string ApprovePurpose = "approve";
    /// <summary>A batch page mailed to its village: read that one batch (subject: batch id).</summary>
    public const string BatchPurpose = "batch";
    /// <summary>A village's upload page mailed to its PIC: act for that village (subject: village code).</summary>
    public const string UploadPurpose = "upload";
    /// <summary>A village's personal access link issued by a coordinator: act for that village while not revoked (subject: village code; carries a link id).</summary>
    public const string AccessPurpose = "access";

    /// <summary>Secrets shorter than this are refused: HMAC-SHA256 wants at least 128 bits of key.</summary>
    public const int MinSecretBytes = 16;

    /// <summary>Tokens longer than this are refused unread (a payload of a few short fields is far below).</summary>
    public const int MaxTokenLength = 512;

    const byte Version = 2;

    readonly byte[] _secret;
    readonly TimeProvider _time;

    public ApprovalLinkSigner(ReadOnlySpan<byte> secret, TimeProvider time)
    {
        if (secret.Length < MinSecretBytes)
            throw new ArgumentException($"The link signing secret must be at least {MinSecretBytes} bytes.", nameof(secret));
        _secret = secret.ToArray();
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>A new random 32-byte secret, for a data folder that has none yet.</summary>
    public static byte[] GenerateSecret() => RandomNumberGenerator.GetBytes(32);

    /// <summary>The token of <paramref name="grant"/>.</summary>
    public string Sign(LinkGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentException.ThrowIfNullOrEmpty(grant.Purpose);
        ArgumentException.ThrowIfNullOrEmpty(grant.Subject);
        var payload = Payload(grant);
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(_secret, payload));
    }

    /// <summary>A token of <paramref name="purpose"/> for <paramref name="subject"/> valid until <paramref name="expiresAt"/>.</summary>
    public string CreateToken(string subject, DateTimeOffset expiresAt, string purpose = ApprovePurpose, string? recipient = null)
        => Sign(new LinkGrant(purpose, subject, expiresAt, recipient));

    /// <summary>A token of <paramref name="purpose"/> for <paramref name="subject"/> valid for <paramref name="lifetime"/> from now.</summary>
    public string CreateToken(string subject, TimeSpan lifetime, string purpose = ApprovePurpose, string? recipient = null)
        => CreateToken(subject, _time.GetUtcNow() + lifetime, purpose, recipient);

    /// <summary>
    /// Reads <paramref name="token"/>: <see cref="LinkTokenCheck.Valid"/> or <see cref="LinkTokenCheck.Expired"/> with
    /// what it grants, or <see cref="LinkTokenCheck.Invalid"/> (null grant) for anything not signed with this secret.
    /// </summary>
    public LinkTokenCheck Read(string? token, out LinkGrant? grant)
    {
        grant = null;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) return LinkTokenCheck.Invalid;
        var dot = token.IndexOf('.');
        if (dot <= 0 || FromBase64Url(token.AsSpan(0, dot)) is not { } payload || FromBase64Url(token.AsSpan(dot + 1)) is not { Length: 32 } mac)
            return LinkTokenCheck.Invalid;
        // Compare in constant time, and only then look inside, so timing says nothing about the MAC.
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_secret, payload))) return LinkTokenCheck.Invalid;
        grant = Parse(payload);
        if (grant is null) return LinkTokenCheck.Invalid;
        return _time.GetUtcNow() < grant.ExpiresAt ? LinkTokenCheck.Valid : LinkTokenCheck.Expired;
    }

    /// <summary>Checks <paramref name="token"/> for <paramref name="subject"/> and <paramref name="purpose"/> at the current time.</summary>
    public LinkTokenCheck Check(string? token, string subject, string purpose = ApprovePurpose)
    {
        var check = Read(token, out var grant);
        return grant is null || grant.Subject != subject || grant.Purpose != purpose ? LinkTokenCheck.Invalid : check;
    }

    /// <summary>True when <paramref name="token"/> is valid now for <paramref name="subject"/> and <paramref name="purpose"/>.</summary>
    public bool IsValid(string? token, string subject, string purpose = ApprovePurpose) => Check(token, subject, purpose) == LinkTokenCheck.Valid;

    static byte[] Payload(LinkGrant g)
    {
        // Version, expiry, then length-prefixed fields: no two grants share a payload.
        string?[] fields = [g.Purpose, g.Subject, g.Recipient, g.LinkId];
        var bytes = fields.Select(f => f is null ? null : Encoding.UTF8.GetBytes(f)).ToArray();
        var buffer = new byte[1 + 8 + bytes.Sum(b => 2 + (b?.Length ?? 0))];
        var span = buffer.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(span[1..], g.ExpiresAt.ToUnixTimeSeconds());
        var at = 9;
        foreach (var b in bytes)
        {
            if (b is { Length: > 4000 }) throw new ArgumentException("A link field is too long.", nameof(g));
            // 0xFFFF marks an absent field.
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], b is null ? ushort.MaxValue : (ushort)b.Length);
            at += 2;
            if (b is null) continue;
            b.CopyTo(span[at..]);
            at += b.Length;
        }
        return buffer;
    }

    static LinkGrant? Parse(byte[] payload)
    {
        if (payload.Length < 9 + 8 || payload[0] != Version) return null;
        var span = payload.AsSpan();
        var expiry = BinaryPrimitives.ReadInt64BigEndian(span[1..]);
        var fields = new string?[4];
        var at = 9;
        for (var i = 0; i < fields.Length; i++)
        {
            if (at + 2 > span.Length) return null;
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
            at += 2;
            if (length == ushort.MaxValue) continue;
            if (at + length > span.Length) return null;
            fields[i] = Encoding.UTF8.GetString(span.Slice(at, length));
            at += length;
        }
        if (at != span.Length || string.IsNullOrEmpty(fields[0]) || string.IsNullOrEmpty(fields[1])) return null;
        if (expiry < 0 || expiry > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return null;
        return new LinkGrant(fields[0]!, fields[1]!, DateTimeOffset.FromUnixTimeSeconds(expiry), fields[2], fields[3]);
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[]? FromBase64Url(ReadOnlySpan<char> text)
    {
        if (text.Length % 4 == 1) return null;
        var chars = new char[text.Length + (4 - text.Length % 4) % 4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            chars[i] = c switch
            {
                '-' => '+',
                '_' => '/',
                _ when char.IsAsciiLetterOrDigit(c) => c,
                _ => '\0',
            };
            if (chars[i] == '\0') return null;
        }
        for (var i = text.Length; i < chars.Length; i++) chars[i] = '=';
        try { return Convert.FromBase64CharArray(chars, 0, chars.Length); }
        catch (FormatException) { return null; }
    }
}
