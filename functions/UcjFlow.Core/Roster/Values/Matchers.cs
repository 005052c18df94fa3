using UcjFlow.Core.Regions;

namespace UcjFlow.Core.Roster.Values;

/// <summary>Matches a segment cell to a campaign's segments by code, name or alias, ignoring case and spaces.</summary>
internal sealed class SegmentMatcher
{
    private readonly Dictionary<string, Segment> _byKey = new(StringComparer.Ordinal);

    public SegmentMatcher(IReadOnlyList<Segment> segments)
    {
        Segments = segments;
        Default = segments.FirstOrDefault(s => s.IsDefault) ?? segments.FirstOrDefault();
        // Codes first, then names, then aliases: an alias never hides another segment's code or name.
        foreach (var s in segments) _byKey.TryAdd(Key(s.Code), s);
        foreach (var s in segments) _byKey.TryAdd(Key(s.Name), s);
        foreach (var s in segments)
            foreach (var a in s.Aliases) _byKey.TryAdd(Key(a), s);
    }

    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>The segment for an empty cell; null only when the campaign has no segments.</summary>
    public Segment? Default { get; }

    public Segment? Match(string text) => _byKey.GetValueOrDefault(Key(text));

    private static string Key(string text) => TextValues.Key(text, keepPunctuation: true);
}

/// <summary>Tells whether a village cell names the batch's village: ignoring case, spaces and a leading Desa/Kelurahan/Kel./Nagari.</summary>
internal sealed class VillageMatcher(Village village)
{
    private readonly string _name = VillageNames.Key(village.Name);
    private readonly string _digits = village.Digits;

    public Village Village => village;

    public bool Matches(string text)
    {
        var key = VillageNames.Key(text);
        if (key.Length == 0 || key == _name) return true;
        // A village code instead of a name is the same village, not another one.
        var digits = new string(text.Where(char.IsDigit).ToArray());
        return digits.Length == 10 && digits == _digits && key.Replace(".", "", StringComparison.Ordinal) == digits;
    }
}

/// <summary>
/// The one lenient reading of a village cell (roster.md, Matching): case, spaces and a leading Desa, Kelurahan,
/// Kel. or Nagari do not count. Also finds which village of a regency a cell names (FILE_OTHER_VILLAGE).
/// </summary>
internal sealed class VillageNames
{
    private static readonly string[] Prefixes = ["desa", "kelurahan", "kel.", "kel", "nagari"];

    // Name key → the regency's villages of that name, in code order (names repeat across kecamatan).
    private readonly Dictionary<string, List<Village>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Village> _byDigits = new(StringComparer.Ordinal);

    /// <summary>The villages of <paramref name="regencyCode"/> (dotted or digits) in <paramref name="regions"/>; none when unknown.</summary>
    public VillageNames(RegionCodes regions, string regencyCode)
    {
        foreach (var v in regions.VillagesOf(regencyCode))
        {
            var key = Key(v.Name);
            if (!_byName.TryGetValue(key, out var list)) _byName[key] = list = [];
            list.Add(v);
            _byDigits[v.Digits] = v;
        }
    }

    /// <summary>
    /// The regency's village a cell names, by name or by code (dotted or digits); <paramref name="own"/> when it is
    /// one of several villages of that name; null when the cell names no village of the regency.
    /// </summary>
    public Village? Find(string text, Village? own)
    {
        var key = Key(text);
        if (key.Length == 0) return null;
        if (_byName.TryGetValue(key, out var named))
            return own is not null && named.Contains(own) ? own : named[0];
        return RegionCodes.Normalize(text) is { Length: 13 } code ? _byDigits.GetValueOrDefault(code.Replace(".", "", StringComparison.Ordinal)) : null;
    }

    /// <summary>The comparable form of a village name: collapsed, lower case, without a leading Desa/Kelurahan/Kel./Nagari.</summary>
    public static string Key(string text)
    {
        var t = TextValues.Collapse(text).ToLowerInvariant();
        foreach (var prefix in Prefixes)
        {
            if (!t.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = t[prefix.Length..];
            // "Desa Lubuk", "Desa/Kel. Lubuk", "Kel.Lubuk" but not "Desaku": the prefix must end a word.
            if (prefix.EndsWith('.') || rest.Length == 0 || rest[0] is ' ' or '.' or ':' or '/')
            {
                t = rest.TrimStart(' ', '.', ':', '/');
                break;
            }
        }
        return TextValues.Key(t, keepPunctuation: true);
    }
}
