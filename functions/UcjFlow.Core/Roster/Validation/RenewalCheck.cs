using UcjFlow.Core.Roster.Values;

namespace UcjFlow.Core.Roster.Validation;

/// <summary>
/// The "Lanjut?" and "Alasan berhenti" columns of a renewal roster (docs/renewal-roster.md): which rows are removals
/// (Tidak), their reason, RENEWAL_REASON_MISSING and RENEWAL_ANSWER_UNCLEAR. Exists only for a header with a
/// "Lanjut?" column; a reason column alone changes nothing.
/// </summary>
internal sealed class RenewalCheck
{
    private readonly int _answer;
    private readonly int _reason;
    private readonly string _answerTitle;
    private readonly string _reasonTitle;
    private readonly int _name;

    private RenewalCheck(RosterHeader header)
    {
        _answer = header.IndexOf(RosterField.Renewal);
        _reason = header.IndexOf(RosterField.RenewalReason);
        _answerTitle = header.TitleOf(RosterField.Renewal);
        _reasonTitle = _reason >= 0 ? header.TitleOf(RosterField.RenewalReason) : _answerTitle;
        _name = header.IndexOf(RosterField.Name);
    }

    /// <summary>The check for <paramref name="header"/>, or null when it has no "Lanjut?" column (an ordinary roster).</summary>
    public static RenewalCheck? For(RosterHeader header) => header.IndexOf(RosterField.Renewal) < 0 ? null : new RenewalCheck(header);

    /// <summary>True when the row's "Lanjut?" says Tidak: the row is a removal, not a person to validate.</summary>
    public bool IsRemoval(SheetRow row) => RenewalAnswers.Read(row[_answer]) == false;

    /// <summary>A removal row as a result: no NIK, no enrollee; RENEWAL_REASON_MISSING when the reason is empty.</summary>
    public RowResult Removal(SheetRow row)
    {
        var result = new RowResult(row.Row);
        var nameCell = _name >= 0 ? row[_name] : Cell.Empty;
        var name = nameCell.IsEmpty ? "" : NameValues.Normalise(nameCell.Text);
        if (name.Length > 0) result.Name = name;
        var reason = _reason >= 0 ? RenewalReasons.Read(row[_reason]) : null;
        result.Removal = new RosterRemoval(row.Row, result.Name, reason?.Reason ?? RenewalReasons.Missing, reason?.Text);
        if (reason is null)
            result.Add(new RosterIssue(row.Row, _reasonTitle, RuleCodes.RenewalReasonMissing, IssueSeverity.Warning,
                RosterIssue.Prefix(row.Row, _reasonTitle) +
                $"orang ini tidak dilanjutkan ({_answerTitle} = Tidak), tetapi alasannya kosong. Pilih alasan: " +
                string.Join(", ", RenewalReasons.Listed.SkipLast(1)) + " atau " + RenewalReasons.Other + "."));
        return result;
    }

    /// <summary>
    /// RENEWAL_ANSWER_UNCLEAR for a row read as Ya: its "Lanjut?" is neither Ya nor Tidak, or it is Ya (or empty) while
    /// a reason to stop is given. Null when the row is plainly Ya.
    /// </summary>
    public RosterIssue? Unclear(SheetRow row)
    {
        var cell = row[_answer];
        var answer = RenewalAnswers.Read(cell);
        if (answer is null)
            return Warning(row.Row,
                $"isian \"{TextValues.Quote(cell.Text)}\" bukan {RenewalAnswers.Yes} atau {RenewalAnswers.No}; baris ini dibaca " +
                $"{RenewalAnswers.Yes} (diusulkan lagi). Pilih {RenewalAnswers.Yes} atau {RenewalAnswers.No}.");
        if (_reason >= 0 && RenewalReasons.Read(row[_reason]) is { } reason)
            return Warning(row.Row,
                $"alasan berhenti \"{TextValues.Quote(reason.Text ?? reason.Reason)}\" diisi, tetapi {_answerTitle} " +
                $"{(TextValues.IsBlankMark(cell) ? "kosong" : "= " + RenewalAnswers.Yes)}; baris ini dibaca {RenewalAnswers.Yes} (diusulkan lagi). " +
                $"Bila orang ini tidak dilanjutkan, pilih {RenewalAnswers.No}.");
        return null;
    }

    private RosterIssue Warning(int row, string text) =>
        new(row, _answerTitle, RuleCodes.RenewalAnswerUnclear, IssueSeverity.Warning, RosterIssue.Prefix(row, _answerTitle) + text);
}
