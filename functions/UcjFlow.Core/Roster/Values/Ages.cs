namespace UcjFlow.Core.Roster.Values;

/// <summary>Age in completed years, the one rule for validation (AGE_OUT_OF_RANGE), batch summaries and the batch page.</summary>
public static class Ages
{
    /// <summary>Completed years on <paramref name="on"/> of a person born on <paramref name="born"/> (one day short of a birthday: not yet).</summary>
    public static int On(DateOnly born, DateOnly on)
    {
        var age = on.Year - born.Year;
        if (on < born.AddYears(age)) age--;
        return age;
    }
}
