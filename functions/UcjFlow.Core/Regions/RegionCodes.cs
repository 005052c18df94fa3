using System.IO.Compression;
using System.Text;

namespace UcjFlow.Core.Regions;

/// <summary>
/// Kemendagri region codes (2025): look-ups by code (dotted or digits only) and by NIK prefix.
/// <see cref="Default"/> reads the embedded list once, on first use. Instances are immutable and thread-safe.
/// </summary>
public sealed class RegionCodes
{
    private const string ResourceName = "UcjFlow.Core.Regions.kemendagri-2025.csv.gz";

    private static readonly Lazy<RegionCodes> s_default = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    // Keyed by the code's digits as a number ("15.03.01" → 150301): NIK prefixes are looked up without allocating.
    private readonly Dictionary<long, Region> _provinces = new();
    private readonly Dictionary<long, Region> _regencies = new();
    private readonly Dictionary<long, Region> _districts = new(8_000);
    private readonly Dictionary<long, Village> _villages = new(90_000);
    private readonly Dictionary<long, List<Region>> _regenciesByProvince = new();
    private readonly Dictionary<long, List<Region>> _districtsByRegency = new();
    private readonly Dictionary<long, List<Village>> _villagesByRegency = new();
    private readonly Dictionary<long, List<Village>> _villagesByDistrict = new();
    private readonly List<Region> _provinceList = new();

    /// <summary>The embedded Kemendagri 2025 list (see Regions/SOURCE.md), loaded once.</summary>
    public static RegionCodes Default => s_default.Value;

    public IReadOnlyList<Region> Provinces => _provinceList;
    public int RegencyCount => _regencies.Count;
    public int DistrictCount => _districts.Count;
    public int VillageCount => _villages.Count;

    private RegionCodes() { }

    private static RegionCodes LoadEmbedded()
    {
        using var resource = typeof(RegionCodes).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        return Load(gzip);
    }

    /// <summary>Reads a <c>code,name,level</c> CSV ordered parents first, as kemendagri-2025.csv is.</summary>
    public static RegionCodes Load(Stream csv)
    {
        var codes = new RegionCodes();
        using var reader = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        reader.ReadLine(); // header
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            codes.Add(line);
        }
        return codes;
    }

    private void Add(string line)
    {
        var firstComma = line.IndexOf(',');
        var lastComma = line.LastIndexOf(',');
        if (firstComma <= 0 || lastComma <= firstComma)
            throw new FormatException($"Bad region line: {line}");
        var code = line[..firstComma];
        var name = line[(firstComma + 1)..lastComma];
        if (name.Length >= 2 && name[0] == '"' && name[^1] == '"')
            name = name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        if (!TryKey(code, out var key, out var level))
            throw new FormatException($"Bad region code: {code}");
        switch (level)
        {
            case RegionLevel.Province:
                var province = new Region(code, name, level);
                _provinces[key] = province;
                _provinceList.Add(province);
                break;
            case RegionLevel.Regency:
                var regency = new Region(code, name, level);
                _regencies[key] = regency;
                ListOf(_regenciesByProvince, key / 100).Add(regency);
                break;
            case RegionLevel.District:
                var district = new Region(code, name, level);
                _districts[key] = district;
                ListOf(_districtsByRegency, key / 100).Add(district);
                break;
            default:
                var districtKey = key / 10_000;
                var village = new Village(code, name, _districts[districtKey], _regencies[districtKey / 100], _provinces[districtKey / 10_000]);
                _villages[key] = village;
                ListOf(_villagesByDistrict, districtKey).Add(village);
                ListOf(_villagesByRegency, districtKey / 100).Add(village);
                break;
        }
    }

    private static List<T> ListOf<T>(Dictionary<long, List<T>> map, long key)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = new List<T>();
        return list;
    }

    public Region? Province(string code) => Find(_provinces, code, RegionLevel.Province);
    public Region? Regency(string code) => Find(_regencies, code, RegionLevel.Regency);
    public Region? District(string code) => Find(_districts, code, RegionLevel.District);

    public Village? Village(string code) =>
        TryKey(code, out var key, out var level) && level == RegionLevel.Village && _villages.TryGetValue(key, out var v) ? v : null;

    /// <summary>The regencies and cities of a province, in code order.</summary>
    public IReadOnlyList<Region> RegenciesOf(string provinceCode) =>
        TryKey(provinceCode, out var key, out var level) && level == RegionLevel.Province && _regenciesByProvince.TryGetValue(key, out var list)
            ? list : [];

    /// <summary>The districts of a regency, in code order.</summary>
    public IReadOnlyList<Region> DistrictsOf(string regencyCode) =>
        TryKey(regencyCode, out var key, out var level) && level == RegionLevel.Regency && _districtsByRegency.TryGetValue(key, out var list)
            ? list : [];

    /// <summary>The villages of a regency or of a district, in code order.</summary>
    public IReadOnlyList<Village> VillagesOf(string regencyOrDistrictCode)
    {
        if (!TryKey(regencyOrDistrictCode, out var key, out var level)) return [];
        var map = level switch
        {
            RegionLevel.Regency => _villagesByRegency,
            RegionLevel.District => _villagesByDistrict,
            _ => null,
        };
        return map is not null && map.TryGetValue(key, out var list) ? list : [];
    }

    /// <summary>The province of a NIK's first two digits (null when they are not a province code or not digits).</summary>
    public Region? ProvinceOfNik(ReadOnlySpan<char> nik) => ByPrefix(_provinces, nik, 2);

    /// <summary>The regency of a NIK's first four digits, when they are a current regency code.</summary>
    public Region? RegencyOfNik(ReadOnlySpan<char> nik) => ByPrefix(_regencies, nik, 4);

    /// <summary>The district of a NIK's first six digits, when they are a current district code.</summary>
    public Region? DistrictOfNik(ReadOnlySpan<char> nik) => ByPrefix(_districts, nik, 6);

    private static Region? ByPrefix(Dictionary<long, Region> map, ReadOnlySpan<char> nik, int digits)
    {
        if (nik.Length < digits) return null;
        long key = 0;
        foreach (var c in nik[..digits])
        {
            if (c is < '0' or > '9') return null;
            key = key * 10 + (c - '0');
        }
        return map.GetValueOrDefault(key);
    }

    private static Region? Find(Dictionary<long, Region> map, string code, RegionLevel wanted) =>
        TryKey(code, out var key, out var level) && level == wanted && map.TryGetValue(key, out var region) ? region : null;

    /// <summary>
    /// The dotted form of a region code given dotted ("15.03.01.2001") or as digits only ("1503012001"),
    /// ignoring surrounding and inner spaces; null when it is neither (wrong segment lengths, letters).
    /// Says nothing about whether the code exists: use the look-ups for that.
    /// </summary>
    public static string? Normalize(string? code)
    {
        if (code is null || !TryKey(code, out var key, out var level)) return null;
        var digits = key.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return level switch
        {
            RegionLevel.Province => digits,
            RegionLevel.Regency => $"{digits[..2]}.{digits[2..4]}",
            RegionLevel.District => $"{digits[..2]}.{digits[2..4]}.{digits[4..6]}",
            _ => $"{digits[..2]}.{digits[2..4]}.{digits[4..6]}.{digits[6..10]}",
        };
    }

    /// <summary>Parses a dotted or digits-only code into its digits as a number and its level.</summary>
    private static bool TryKey(string code, out long key, out RegionLevel level)
    {
        key = 0;
        level = default;
        Span<int> segmentLengths = stackalloc int[4];
        int segments = 0, digits = 0, current = 0;
        bool dotted = false;
        foreach (var c in code)
        {
            if (c is >= '0' and <= '9')
            {
                key = key * 10 + (c - '0');
                digits++;
                current++;
                if (digits > 10) return false;
            }
            else if (c == '.')
            {
                if (current == 0 || segments == 3) return false;
                dotted = true;
                segmentLengths[segments++] = current;
                current = 0;
            }
            else if (!char.IsWhiteSpace(c)) return false;
        }
        if (current == 0) return false;
        segmentLengths[segments++] = current;
        if (dotted)
        {
            ReadOnlySpan<int> expected = [2, 2, 2, 4];
            for (var i = 0; i < segments; i++)
                if (segmentLengths[i] != expected[i]) return false;
        }
        else
        {
            segments = digits switch { 2 => 1, 4 => 2, 6 => 3, 10 => 4, _ => 0 };
            if (segments == 0) return false;
        }
        // A leading zero would make two codes share a key; Kemendagri codes start at 11.
        if (code.TrimStart()[0] == '0') return false;
        level = (RegionLevel)(segments - 1);
        return true;
    }
}
