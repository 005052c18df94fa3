using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;

namespace UcjFlow.Adapters.Mail;

/// <summary>What an idempotency key turns into: a file-name-safe slug, a hash that tells keys apart, and a Message-ID.</summary>
public static class MailKey
{
    /// <summary>16 hex digits of SHA-256: keys that slug alike ("a:b", "a/b") still get different names.</summary>
    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 8);

    /// <summary>ASCII letters, digits and '-' only, at most <paramref name="max"/> characters.</summary>
    public static string Slug(string key, int max = 60)
    {
        var sb = new StringBuilder(Math.Min(key.Length, max));
        foreach (var c in key)
        {
            if (sb.Length == max) break;
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Stable across retries, so a mail client can collapse a copy sent twice. The slug is cut so that the whole
    /// "Message-ID: &lt;…&gt;" line stays within RFC 5322's 78 characters (a msg-id cannot be folded).
    /// </summary>
    public static string MessageId(string key, MailAddress from)
    {
        const int fixedLength = 13 + 1 + 16 + 1 + 1; // "Message-ID: <", ".", hash, "@", ">"
        var slug = Slug(key, Math.Clamp(78 - fixedLength - from.Host.Length, 0, 40));
        return slug.Length == 0 ? $"<{Hash(key)}@{from.Host}>" : $"<{slug}.{Hash(key)}@{from.Host}>";
    }
}
