using PhoneNumbers;

namespace UcjFlow.Core.Campaigns;

/// <summary>
/// The one rule for a village PIC's phone (<c>picPhone</c> in the campaign file): an Indonesian mobile number, since
/// WhatsApp and SMS reach only those, kept in E.164 ("+6281234567890"). Parsing and the numbering plan are Google's
/// libphonenumber (the metadata of Indonesia's operators), not a home-made pattern.
/// </summary>
public static class IndonesianPhone
{
    /// <summary>How a PIC may write it, for messages: "0812-3456-7890 or +62 812-3456-7890".</summary>
    public const string Example = "0812-3456-7890 or +62 812-3456-7890";

    static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The number in E.164 ("+6281234567890") from how people write it: "0812-3456-7890", "+62 812 3456 7890",
    /// "62812…", "(0812) 3456.7890". Null with <paramref name="problem"/> (English, for the campaign file's operator)
    /// when it is no number, not Indonesian, or not a mobile number.
    /// </summary>
    public static string? Normalize(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) { problem = "is empty"; return null; }
        PhoneNumber number;
        // "62812…" without '+' is read as the international form too (libphonenumber strips a leading country code that fits).
        try { number = Numbers.Parse(text.Trim(), "ID"); }
        catch (NumberParseException)
        {
            problem = $"is not a phone number (write it like {Example})";
            return null;
        }
        if (Numbers.GetRegionCodeForNumber(number) != "ID" && number.CountryCode != 62)
        {
            problem = $"is not an Indonesian number (+62; write it like {Example})";
            return null;
        }
        if (!Numbers.IsValidNumber(number))
        {
            problem = $"is not a valid Indonesian number: wrong length or prefix (write it like {Example})";
            return null;
        }
        if (Numbers.GetNumberType(number) is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            problem = "is not a mobile number: WhatsApp and SMS need a mobile number (08…)";
            return null;
        }
        return Numbers.Format(number, PhoneNumberFormat.E164);
    }
}
