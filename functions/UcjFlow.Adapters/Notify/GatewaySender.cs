using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using UcjFlow.Adapters.Mail;
using UcjFlow.Core.Mail;

namespace UcjFlow.Adapters.Notify;

/// <summary>What the gateway receives: the PIC's phone (E.164), the message's short text, and the idempotency key of the message.</summary>
public sealed record GatewayMessage(string Phone, string Text, string Key);

/// <summary>
/// Sends a text to one phone through the regency's WhatsApp/SMS gateway (<see cref="GatewaySettings"/>): HTTP POST of
/// <see cref="GatewayMessage"/> as JSON, <c>Authorization: Bearer</c> token. The key is the mail's idempotency key, the
/// same on every attempt, so a gateway that deduplicates by key delivers one text per message. Within one send, Polly
/// retries no answer, 408, 429 and 5xx with exponential backoff and jitter; what still fails throws
/// <see cref="MailDeliveryException"/> (<see cref="MailFailureKind.GatewayUnreachable"/> or
/// <see cref="MailFailureKind.GatewayRefused"/>), which <see cref="PendingMailer"/> keeps and resends later, like mail.
/// The message given is addressed to its phone: <see cref="OutgoingMail.To"/> holds the phone, <see cref="OutgoingMail.PlainText"/> the text.
/// </summary>
public sealed class GatewaySender : IMailer
{
    readonly HttpClient _http;
    readonly GatewaySettings _settings;
    readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    readonly ILogger _logger;

    /// <exception cref="ArgumentException">no gateway URL.</exception>
    public GatewaySender(HttpClient http, GatewaySettings settings, TimeProvider? time = null, ILogger? logger = null)
    {
        if (settings.Url is null) throw new ArgumentException("The gateway needs GatewaySettings.Url.", nameof(settings));
        _http = http;
        _settings = settings;
        _logger = logger ?? NullLogger.Instance;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time ?? TimeProvider.System };
        if (settings.MaxRetries > 0)
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.FirstRetryDelay,
                OnRetry = a =>
                {
                    _logger.LogWarning("Gateway attempt {Attempt} failed ({Outcome}); retrying in {Delay}", a.AttemptNumber + 1,
                        a.Outcome.Exception?.Message ?? $"HTTP {(int)a.Outcome.Result!.StatusCode}", a.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        _pipeline = builder.AddTimeout(settings.Timeout).Build();
    }

    /// <summary>No answer worth waiting for now, but maybe later: 408, 429 and every 5xx.</summary>
    static bool IsTransient(HttpStatusCode code) => code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)code >= 500;

    /// <exception cref="ArgumentException">the message has no phone or no text (a bug, not an outage).</exception>
    /// <exception cref="MailDeliveryException">the gateway refused it or did not answer, after the retries.</exception>
    public async Task<MailOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        if (mail.To is not [var phone] || string.IsNullOrEmpty(mail.PlainText))
            throw new ArgumentException($"Text '{mail.Key}' needs exactly one phone and a text.", nameof(mail));
        var message = new GatewayMessage(phone, mail.PlainText, mail.Key);
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _settings.Url)
                {
                    Content = JsonContent.Create(message, GatewayJson.Default.GatewayMessage),
                };
                if (_settings.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return await _http.SendAsync(request, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new MailDeliveryException(new MailFailure(MailFailureKind.GatewayUnreachable, $"{_settings.Url?.GetLeftPart(UriPartial.Path)}: {e.Message}"), e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var kind = IsTransient(response.StatusCode) ? MailFailureKind.GatewayUnreachable : MailFailureKind.GatewayRefused;
                throw new MailDeliveryException(new MailFailure(kind, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"));
            }
        }
        _logger.LogInformation("Text {Key} handed to the gateway", mail.Key);
        return MailOutcome.Sent;
    }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GatewayMessage))]
internal sealed partial class GatewayJson : JsonSerializerContext;
