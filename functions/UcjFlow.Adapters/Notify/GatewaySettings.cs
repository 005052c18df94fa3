using System.Text;

namespace UcjFlow.Adapters.Notify;

/// <summary>
/// The settings <c>UcjFlow:Notify:Gateway:*</c>: a regency's WhatsApp or SMS gateway. With a <see cref="Url"/>, every
/// village message to a PIC with a phone is also POSTed there as JSON <c>{"phone","text","key"}</c>, with
/// <c>Authorization: Bearer</c> <see cref="Token"/> when set. Unset: no texts are sent (the page's WhatsApp buttons still work).
/// </summary>
public sealed record GatewaySettings
{
    public Uri? Url { get; init; }
    public string? Token { get; init; }
    /// <summary>Longest wait for one attempt's answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Retries within one send after the first attempt, on no answer, 408, 429 and 5xx.</summary>
    public int MaxRetries { get; init; } = 3;
    /// <summary>The wait before the first retry; it doubles (with jitter) for each further one. Not a setting name: tests shorten it.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public bool IsSet => Url is not null;

    // Records print every property; settings end up in logs, the token must not.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Url = {Url}, Token = {(Token is null ? "" : "***")}, Timeout = {Timeout}, MaxRetries = {MaxRetries}, FirstRetryDelay = {FirstRetryDelay}");
        return true;
    }
}
