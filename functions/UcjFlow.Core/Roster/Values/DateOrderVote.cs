namespace UcjFlow.Core.Roster.Values;

/// <summary>
/// The one owner of roster.md's file-level date rule (Reading values): a file's dates are read month-first when any
/// of its text dates has a middle part above 12 (and is a real date read month-first, so "05/99/1980" decides
/// nothing), or when most of its rows that have a three-number text date and a valid NIK match the NIK's birth date
/// only with day and month swapped; otherwise day-first. Fed one row at a time; holds two counts, not the rows.
/// </summary>
internal sealed class DateOrderVote(DateOnly coverageStart)
{
    /// <summary>
    /// Rows a validation holds back, unchecked, while the order is open. A village roster (tens to a few hundred rows)
    /// is decided on all its rows; a regency file on its first ones, so memory stays flat.
    /// </summary>
    public const int Window = 1000;

    private int _rows;
    private int _swappedOnly;

    /// <summary>True once a text date could only be month-first: nothing later can change the order.</summary>
    public bool Settled { get; private set; }

    /// <summary>The order of the rows seen so far.</summary>
    public DateOrder Order => Settled || _swappedOnly * 2 > _rows ? DateOrder.MonthFirst : DateOrder.DayFirst;

    /// <param name="dateText">The row's birth date as text, or null when it is a date cell, a number or missing.</param>
    /// <param name="nikBirthDate">The birth date in the row's NIK, or null when the NIK is not valid.</param>
    public void Observe(string? dateText, DateOnly? nikBirthDate)
    {
        if (Settled || dateText is null || !RosterDates.TryOpenOrderParts(dateText, out _, out var middle)) return;
        var monthFirstRead = RosterDates.TryParse(dateText, coverageStart, out var monthFirst, DateOrder.MonthFirst);
        if (middle > 12)
        {
            Settled = monthFirstRead;
            return;
        }
        if (nikBirthDate is not { } nik) return;
        _rows++;
        if (monthFirstRead && monthFirst == nik &&
            !(RosterDates.TryParse(dateText, coverageStart, out var dayFirst) && dayFirst == nik))
            _swappedOnly++;
    }
}
