using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UcjFlow.Core.Security;

/// <summary>Why a token was accepted or refused.</summary>
public enum LinkTokenCheck
{
    Valid,
    /// <summary>Missing, malformed, signed with another secret, or for another batch or purpose.</summary>
    Invalid,
    /// <summary>Well signed for this batch, but past its expiry.</summary>
    Expired,
}

/// <summary>
/// Signs and checks the tokens of the links in emails: an HMAC-SHA256 over (purpose, batch id, expiry) with a secret
/// from settings. A token is valid for that one batch and purpose until it expires. The token is URL-safe
/// ("{expiry unix seconds}.{base64url MAC}"), so it goes into a query string as is.
/// </summary>
public sealed class ApprovalLinkSigner
{
    /// <summary>The purpose of the coordinators' approval links (the batch page with its approve and reject buttons).</summary>
    public const string ApprovePurpose = "approve";

    /// <summary>Secrets shorter than this are refused: HMAC-SHA256 wants at least 128 bits of key.</summary>
    public const int MinSecretBytes = 16;

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

    /// <summary>A token for <paramref name="batchId"/> valid until <paramref name="expiresAt"/> (second precision).</summary>
    public string CreateToken(string batchId, DateTimeOffset expiresAt, string purpose = ApprovePurpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var expiry = expiresAt.ToUnixTimeSeconds();
        return expiry.ToString(CultureInfo.InvariantCulture) + "." + Base64Url(Mac(purpose, batchId, expiry));
    }

    /// <summary>A token for <paramref name="batchId"/> valid for <paramref name="lifetime"/> from now.</summary>
    public string CreateToken(string batchId, TimeSpan lifetime, string purpose = ApprovePurpose)
        => CreateToken(batchId, _time.GetUtcNow() + lifetime, purpose);

    /// <summary>Checks <paramref name="token"/> for <paramref name="batchId"/> and <paramref name="purpose"/> at the current time.</summary>
    public LinkTokenCheck Check(string? token, string batchId, string purpose = ApprovePurpose)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(batchId) || token.Length > 128) return LinkTokenCheck.Invalid;
        var dot = token.IndexOf('.');
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
            return LinkTokenCheck.Invalid;
        var given = FromBase64Url(token.AsSpan(dot + 1));
        if (given is null) return LinkTokenCheck.Invalid;
        // Compare in constant time, and only then look at the expiry, so timing says nothing about the MAC.
        if (!CryptographicOperations.FixedTimeEquals(given, Mac(purpose, batchId, expiry))) return LinkTokenCheck.Invalid;
        return _time.GetUtcNow().ToUnixTimeSeconds() < expiry ? LinkTokenCheck.Valid : LinkTokenCheck.Expired;
    }

    /// <summary>True when <paramref name="token"/> is valid now for <paramref name="batchId"/>.</summary>
    public bool IsValid(string? token, string batchId, string purpose = ApprovePurpose)
        => Check(token, batchId, purpose) == LinkTokenCheck.Valid;

    byte[] Mac(string purpose, string batchId, long expiry)
    {
        // Length-prefixed fields: no two (purpose, batch, expiry) triples share a message.
        var p = Encoding.UTF8.GetBytes(purpose);
        var b = Encoding.UTF8.GetBytes(batchId);
        var message = new byte[4 + p.Length + 4 + b.Length + 8];
        var span = message.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, p.Length);
        p.CopyTo(span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span[(4 + p.Length)..], b.Length);
        b.CopyTo(span[(8 + p.Length)..]);
        BinaryPrimitives.WriteInt64BigEndian(span[(8 + p.Length + b.Length)..], expiry);
        return HMACSHA256.HashData(_secret, message);
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[]? FromBase64Url(ReadOnlySpan<char> text)
    {
        if (text.Length != 43) return null; // 32 bytes unpadded
        var chars = new char[44];
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
        chars[43] = '=';
        try { return Convert.FromBase64CharArray(chars, 0, chars.Length); }
        catch (FormatException) { return null; }
    }
}
