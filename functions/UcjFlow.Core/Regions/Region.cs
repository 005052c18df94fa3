namespace UcjFlow.Core.Regions;

public enum RegionLevel { Province, Regency, District, Village }

/// <summary>
/// A province, regency/city, district (kecamatan) or village with its Kemendagri code in the dotted form
/// ("15", "15.03", "15.03.01", "15.03.01.2001") and its official name ("Kabupaten Sarolangun").
/// </summary>
public sealed record Region(string Code, string Name, RegionLevel Level)
{
    /// <summary>The code without dots ("150301"): how a NIK's prefix spells it.</summary>
    public string Digits => Code.Replace(".", "", StringComparison.Ordinal);
}

/// <summary>
/// A village (desa, kelurahan, nagari) with the regions above it. The first digit of the last code segment tells
/// a kelurahan (1) from a desa (2; 3 is a desa adat in Papua).
/// </summary>
public sealed record Village(string Code, string Name, Region District, Region Regency, Region Province)
{
    public bool IsKelurahan => Code[9] == '1';

    /// <summary>"Kelurahan" or "Desa", for messages ("Desa Lubuk Gadang").</summary>
    public string Kind => IsKelurahan ? "Kelurahan" : "Desa";

    /// <summary>The code without dots ("1503012001").</summary>
    public string Digits => Code.Replace(".", "", StringComparison.Ordinal);

    public Region AsRegion() => new(Code, Name, RegionLevel.Village);
}
