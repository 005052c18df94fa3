using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Storage;

namespace UcjFlow.Adapters.Mail;

/// <summary>
/// A mail the server has not taken yet, as kept in blob <c>mail/pending/…json</c>: the mail itself, the last failure,
/// how many attempts were made (the first included) and when the next is due (UTC).
/// </summary>
public sealed record PendingMail(
    OutgoingMail Mail, MailFailure Failure, int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset LastAttemptAt, DateTimeOffset NextAttemptAt);

/// <summary>
/// The mailer both hosts use, around the real one (SMTP or outbox): a mail that fails to go out (refused login or
/// recipient, TLS, no connection, timeout) is never lost. It is written to the blob store as <see cref="PendingMail"/>,
/// <see cref="SendAsync"/> returns <see cref="MailOutcome.Pending"/> so the workflow goes on, the coordinator page lists
/// it (<see cref="ListAsync"/>), and <see cref="ResendDueAsync"/> (run by the hosts' upkeep) sends it again with
/// exponential backoff — 1, 2, 4 … minutes, at most <see cref="MaxBackoff"/> — until it goes through, then deletes it.
/// While a key is pending only the resend sends it, so a replayed activity adds no second copy.
/// </summary>
/// <remarks>
/// <paramref name="queue"/> names the blob folder under <c>mail/</c>: <see cref="MailQueue"/> for mail,
/// <see cref="TextQueue"/> for the gateway's texts (they share the mail's key, so each channel keeps its own queue).
/// </remarks>
public sealed class PendingMailer(IMailer inner, IBlobStore blobs, TimeProvider time, ILogger? logger = null, string queue = PendingMailer.MailQueue) : IMailer
{
    /// <summary>The queue of mail: blobs <c>mail/pending/…json</c>.</summary>
    public const string MailQueue = "pending/";

    /// <summary>The queue of the gateway's texts: blobs <c>mail/pending-text/…json</c>.</summary>
    public const string TextQueue = "pending-text/";

    /// <summary>The wait after the first failure; it doubles with every failed attempt.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>Which queue this is (<see cref="MailQueue"/> or <see cref="TextQueue"/>).</summary>
    public string Queue { get; } = queue;

    readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>The mailer that sends (SMTP or the outbox).</summary>
    public IMailer Inner => inner;

    /// <summary>The wait after <paramref name="attempts"/> failed attempts (≥ 1).</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Clamp(attempts - 1, 0, 30)));

    /// <summary>Sends now, or keeps the mail as pending when that fails (<see cref="MailOutcome.Pending"/>); a key already pending is left to the resend.</summary>
    /// <exception cref="ArgumentException">the mail has no recipient (a bug, not an outage).</exception>
    public async Task<MailOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var name = BlobName(mail.Key);
        if (await blobs.ExistsAsync(BlobContainers.Mail, name, cancellationToken)) return MailOutcome.Pending;
        MailFailure failure;
        try
        {
            return await inner.SendAsync(mail, cancellationToken);
        }
        catch (Exception e) when (Failure(e) is { } f && !cancellationToken.IsCancellationRequested)
        {
            failure = f;
        }
        var now = time.GetUtcNow();
        await WriteAsync(name, new PendingMail(mail, failure, 1, now, now, now + Backoff(1)), cancellationToken);
        _logger.LogWarning("Mail {Key} not delivered ({Kind}: {Detail}); kept as pending, next attempt in {Backoff}",
            mail.Key, failure.Kind, failure.Detail, Backoff(1));
        return MailOutcome.Pending;
    }

    /// <summary>Every pending mail, oldest key first by blob name.</summary>
    public async Task<IReadOnlyList<PendingMail>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<PendingMail>();
        await foreach (var blob in blobs.ListAsync(BlobContainers.Mail, Queue, cancellationToken))
            if (await ReadAsync(blob.Name, cancellationToken) is { } pending) list.Add(pending);
        return list;
    }

    /// <summary>Sends every pending mail whose next attempt is due; returns how many went out and how many stay pending.</summary>
    public async Task<(int Sent, int StillPending)> ResendDueAsync(CancellationToken cancellationToken = default)
    {
        int sent = 0, still = 0;
        var now = time.GetUtcNow();
        await foreach (var blob in blobs.ListAsync(BlobContainers.Mail, Queue, cancellationToken))
        {
            if (await ReadAsync(blob.Name, cancellationToken) is not { } pending) continue;
            if (pending.NextAttemptAt > now) { still++; continue; }
            try
            {
                await inner.SendAsync(pending.Mail, cancellationToken);
            }
            catch (Exception e) when (Failure(e) is { } failure && !cancellationToken.IsCancellationRequested)
            {
                var attempts = pending.Attempts + 1;
                await WriteAsync(blob.Name, pending with
                {
                    Failure = failure, Attempts = attempts, LastAttemptAt = now, NextAttemptAt = now + Backoff(attempts),
                }, cancellationToken);
                _logger.LogWarning("Pending mail {Key}: attempt {Attempts} failed ({Kind}: {Detail}); next in {Backoff}",
                    pending.Mail.Key, attempts, failure.Kind, failure.Detail, Backoff(attempts));
                still++;
                continue;
            }
            await blobs.DeleteAsync(BlobContainers.Mail, blob.Name, cancellationToken);
            _logger.LogInformation("Pending mail {Key} sent after {Attempts} failed attempt(s)", pending.Mail.Key, pending.Attempts);
            sent++;
        }
        return (sent, still);
    }

    /// <summary>What an exception of the inner mailer says about the delivery; null for a bug (it propagates).</summary>
    static MailFailure? Failure(Exception e) => e switch
    {
        MailDeliveryException d => d.Failure,
        TimeoutException or IOException or SocketException => new MailFailure(MailFailureKind.Unreachable, e.Message),
        _ => null,
    };

    string BlobName(string key) => $"{Queue}{MailKey.Slug(key)}.{MailKey.Hash(key)}.json";

    async Task WriteAsync(string name, PendingMail pending, CancellationToken ct) =>
        await blobs.WriteAsync(BlobContainers.Mail, name, new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(pending, PendingMailJson.Default.PendingMail)), ct);

    async Task<PendingMail?> ReadAsync(string name, CancellationToken ct)
    {
        try
        {
            await using var stream = await blobs.OpenReadAsync(BlobContainers.Mail, name, ct);
            return await JsonSerializer.DeserializeAsync(stream, PendingMailJson.Default.PendingMail, ct);
        }
        catch (BlobNotFoundException)
        {
            return null; // sent and deleted meanwhile
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PendingMail))]
internal sealed partial class PendingMailJson : JsonSerializerContext;
