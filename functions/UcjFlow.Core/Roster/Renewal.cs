using UcjFlow.Core.Roster.Values;

namespace UcjFlow.Core.Roster;

/// <summary>
/// The "Lanjut?" column of a renewal roster (issue 13, deliverable 5; docs/renewal-roster.md): does this person go on
/// into the next campaign. <see cref="Yes"/> or empty: an ordinary row, validated as any roster row; <see cref="No"/>
/// (also T, N, No, Tdk, Tidak lanjut …; case and spaces ignored): a removal, never enrolled, not validated, counted per
/// reason; anything else: RENEWAL_ANSWER_UNKNOWN and the row is read as Ya.
/// </summary>
public static class RenewalAnswers
{
    /// <summary>The column's title as the renewal roster writes it.</summary>
    public const string Column = "Lanjut?";

    public const string Yes = "Ya";
    public const string No = "Tidak";

    // Keys as TextValues.Key makes them: lower case, letters and digits only.
    private static readonly HashSet<string> YesForms = new(StringComparer.Ordinal) { "ya", "y", "yes", "iya", "lanjut", "dilanjutkan", "diperpanjang" };
    private static readonly HashSet<string> NoForms = new(StringComparer.Ordinal)
    {
        "tidak", "t", "n", "no", "tdk", "tak", "tidaklanjut", "tidakdilanjutkan", "tidakdiperpanjang", "berhenti",
    };

    /// <summary>What a "Lanjut?" cell says: true for Ya (and empty), false for Tidak, null when it is neither.</summary>
    public static bool? Read(Cell cell)
    {
        if (TextValues.IsBlankMark(cell)) return true;
        if (cell.Kind != CellKind.Text) return null;
        var key = TextValues.Key(cell.Text);
        if (YesForms.Contains(key)) return true;
        if (NoForms.Contains(key)) return false;
        return null;
    }
}

/// <summary>
/// Why a person of a renewal roster stops (the "Alasan berhenti" column, a drop-down of <see cref="Listed"/>). These
/// words are also the keys of the report's <c>removedByReason</c>: what the village picks is what the report says.
/// </summary>
public static class RenewalReasons
{
    /// <summary>The column's title as the renewal roster writes it.</summary>
    public const string Column = "Alasan berhenti";

    public const string Died = "meninggal";
    public const string Moved = "pindah";
    /// <summary>Now a wage earner (peserta Penerima Upah), covered by an employer.</summary>
    public const string WageEarner = "sudah menjadi peserta PU";
    public const string Other = "lainnya";

    /// <summary>The report's key for removals whose reason cell is empty (they also get RENEWAL_REASON_MISSING).</summary>
    public const string Missing = "tanpa alasan";

    /// <summary>The drop-down, in its order; the report lists reasons in this order, then <see cref="Missing"/>.</summary>
    public static IReadOnlyList<string> Listed { get; } = [Died, Moved, WageEarner, Other];

    private static readonly Dictionary<string, string> Forms = Build();

    /// <summary>
    /// The reason a cell names: one of <see cref="Listed"/> (also "meninggal dunia", "wafat", "pindah domisili",
    /// "peserta PU", "PU", "lain-lain" …), with <c>Text</c> the words as typed when the cell says more than a listed
    /// reason (then the reason is <see cref="Other"/>); null when the cell is empty.
    /// </summary>
    public static (string Reason, string? Text)? Read(Cell cell)
    {
        if (TextValues.IsBlankMark(cell)) return null;
        var text = TextValues.Collapse(cell.Text);
        if (text.Length == 0) return null;
        return Forms.TryGetValue(TextValues.Key(text), out var reason) ? (reason, null) : (Other, text);
    }

    private static Dictionary<string, string> Build()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string reason, params string[] forms)
        {
            d[TextValues.Key(reason)] = reason;
            foreach (var f in forms) d[TextValues.Key(f)] = reason;
        }
        Add(Died, "meninggal dunia", "wafat", "almarhum", "almarhumah", "sudah meninggal", "md");
        Add(Moved, "pindah domisili", "pindah alamat", "pindah desa", "pindah tempat tinggal", "sudah pindah");
        Add(WageEarner, "peserta PU", "PU", "sudah PU", "penerima upah", "sudah peserta PU", "menjadi peserta PU", "peserta penerima upah");
        Add(Other, "lain", "lain-lain", "lain lain", "lainnya");
        return d;
    }
}
