namespace UcjFlow.Core.Campaigns;

/// <summary>
/// Where a campaign's premiums are paid from (issue 13): the regency's budget (APBD), its mid-year revision (P-APBD),
/// the province's budget, the palm-oil revenue share (DBH Sawit), village funds (Dana Desa) or another source.
/// <see cref="Code"/> is what campaign files and the API carry; <see cref="Name"/> is shown to readers.
/// </summary>
public sealed record Funder(string Code, string Name)
{
    public static readonly Funder Apbd = new("APBD", "APBD Kabupaten");
    public static readonly Funder PApbd = new("P-APBD", "APBD Perubahan");
    public static readonly Funder ApbdProvinsi = new("APBD-PROVINSI", "APBD Provinsi");
    public static readonly Funder DbhSawit = new("DBH-SAWIT", "DBH Sawit");
    public static readonly Funder DanaDesa = new("DANA-DESA", "Dana Desa");
    public static readonly Funder Other = new("LAINNYA", "Lainnya");

    /// <summary>Every funder, in the order pages list them.</summary>
    public static readonly IReadOnlyList<Funder> All = [Apbd, PApbd, ApbdProvinsi, DbhSawit, DanaDesa, Other];

    /// <summary>
    /// The funder a campaign file names: its code or name, ignoring case, spaces, '-' and '_' ("p-apbd", "APBD Provinsi",
    /// "dbh sawit", "other"); null when none matches.
    /// </summary>
    public static Funder? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var key = Key(text);
        if (key == "OTHER") return Other;
        return All.FirstOrDefault(f => Key(f.Code) == key || Key(f.Name) == key);
    }

    static string Key(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}

/// <summary>
/// One funder's share of every premium of a campaign over a period (issue 13.6, e.g. regency 60% and province 40% in
/// Penajam Paser Utara). The shares valid on a day add up to 100; a campaign without shares is paid whole by its funder.
/// </summary>
/// <param name="Percent">0 &lt; percent ≤ 100.</param>
/// <param name="From">First day (inclusive); null: from the coverage start.</param>
/// <param name="To">Last day (inclusive); null: to the coverage end.</param>
public sealed record CostShare(Funder Funder, decimal Percent, DateOnly? From, DateOnly? To)
{
    public bool Covers(DateOnly day) => (From is null || day >= From.Value) && (To is null || day <= To.Value);
}
