namespace UcjFlow.Core.Mail;

/// <summary>
/// The one owner of the WhatsApp "click to chat" link (https://faq.whatsapp.com/5913398998672934):
/// <c>https://wa.me/{number}?text={text}</c>, the number in international form without '+' (6281234567890), the text
/// percent-encoded as RFC 3986 data (space %20, line break %0A, UTF-8 bytes of non-ASCII characters).
/// </summary>
public static class WhatsAppLink
{
    /// <summary>
    /// The link that opens a chat with <paramref name="e164Phone"/> ("+6281234567890", as <c>IndonesianPhone</c> keeps it)
    /// with <paramref name="text"/> typed in; without a phone, WhatsApp asks whom to send it to.
    /// </summary>
    /// <exception cref="ArgumentException">the phone is not in E.164 form (a '+' then 8 to 15 digits).</exception>
    public static string For(string? e164Phone, string text)
    {
        var number = "";
        if (e164Phone is not null)
        {
            if (e164Phone.Length is < 9 or > 16 || e164Phone[0] != '+' || e164Phone.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
                throw new ArgumentException($"'{e164Phone}' is not an E.164 phone number.", nameof(e164Phone));
            number = e164Phone[1..];
        }
        return $"https://wa.me/{number}?text={Uri.EscapeDataString(text)}";
    }
}
