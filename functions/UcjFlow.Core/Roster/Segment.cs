namespace UcjFlow.Core.Roster;

/// <summary>
/// A worker segment a campaign funds ("rentan", "keagamaan", ...). Matching ignores case and spaces. <see cref="Kind"/>
/// says which BPJS Ketenagakerjaan programme its people join: non-wage (BPU, the default) or wage earners (PU).
/// </summary>
public sealed record Segment(string Code, string Name, IReadOnlyList<string> Aliases, bool IsDefault = false, SegmentKind Kind = SegmentKind.Bpu);

/// <summary>BPJS Ketenagakerjaan's participant kinds: Bukan Penerima Upah (non-wage) and Penerima Upah (wage earners).</summary>
public enum SegmentKind { Bpu, Pu }

public enum Sex { Male, Female }

/// <summary>A valid roster row, normalised: what the registry enrols and the BPJS export lists.</summary>
public sealed record Enrollee(
    int Row,
    string Nik,
    string? Kk,
    string Name,
    string? BirthPlace,
    DateOnly BirthDate,
    Sex Sex,
    string? Address,
    string VillageCode,
    string? Phone,
    string SegmentCode,
    string? Occupation,
    string? Source);
