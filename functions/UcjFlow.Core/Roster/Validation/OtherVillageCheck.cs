using System.Text.RegularExpressions;
using UcjFlow.Core.Regions;
using UcjFlow.Core.Roster.Reading;
using UcjFlow.Core.Roster.Values;

namespace UcjFlow.Core.Roster.Validation;

/// <summary>
/// FILE_OTHER_VILLAGE (roster.md, file-level): the file belongs to another village when most rows with a village cell
/// name one other village of the regency, or when the file name carries another village's code (and not the batch's
/// own). Says nothing when the batch's village is not in the region list: there is nothing to compare with.
/// </summary>
internal sealed partial class OtherVillageCheck
{
    private readonly Village? _own;
    private readonly VillageNames? _names;
    private readonly int _column;
    private readonly string _title;
    private int _withCell;
    private readonly Dictionary<string, (Village Village, int Rows)> _others = new(StringComparer.Ordinal);

    public OtherVillageCheck(RosterHeader header, ValidationSettings settings)
    {
        _own = settings.Regions.Village(settings.VillageCode);
        _column = header.IndexOf(RosterField.Village);
        _title = header.TitleOf(RosterField.Village);
        if (_own is not null && _column >= 0) _names = new VillageNames(settings.Regions, settings.RegencyCode);
    }

    /// <summary>Counts one data row's village cell (blank cells and blank marks such as "-" do not count).</summary>
    public void Observe(SheetRow row)
    {
        if (_names is null) return;
        var cell = row[_column];
        if (TextValues.IsBlankMark(cell)) return;
        _withCell++;
        if (_names.Find(cell.Text, _own) is { } named && named.Code != _own!.Code)
        {
            var rows = _others.TryGetValue(named.Code, out var seen) ? seen.Rows : 0;
            _others[named.Code] = (named, rows + 1);
        }
    }

    /// <summary>The refusal once every row is observed: one other village named by more than half the rows with a village cell.</summary>
    public RosterFileException? Verdict()
    {
        if (_own is null || _withCell == 0) return null;
        foreach (var (village, rows) in _others.Values)
            if (rows * 2 > _withCell)
                return RosterFileException.OtherVillage(village, _own,
                    $"{rows} dari {_withCell} baris yang mengisi kolom {_title} menyebut desa tersebut");
        return null;
    }

    /// <summary>The refusal when <paramref name="fileName"/> carries a village code (dotted or 10 digits) of another known village and not the batch's own.</summary>
    public static RosterFileException? ByFileName(string fileName, ValidationSettings settings)
    {
        var own = settings.Regions.Village(settings.VillageCode);
        if (own is null) return null;
        Village? other = null;
        foreach (Match m in CodeInName().Matches(Path.GetFileName(fileName)))
        {
            if (RegionCodes.Normalize(m.Value) is not { } code || settings.Regions.Village(code) is not { } named) continue;
            if (named.Code == own.Code) return null;
            other ??= named;
        }
        return other is null ? null : RosterFileException.OtherVillage(other, own, $"nama berkas memuat kode desa {other.Code}");
    }

    // Candidates only: RegionCodes.Normalize decides what a code is.
    [GeneratedRegex(@"(?<![\d.])(\d{2}\.\d{2}\.\d{2}\.\d{4}|\d{10})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CodeInName();
}
