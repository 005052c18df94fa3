using System.Globalization;
using System.Text;
using UcjFlow.Core.Campaigns;

namespace UcjFlow.Host.Demo;

public enum RosterFlavor
{
    /// <summary>Every row valid.</summary>
    Clean,
    /// <summary>Every row valid; some carry warnings (no birth date, a bad phone number).</summary>
    Warnings,
    /// <summary>About a third of the rows rejected (NIK of 15 digits, missing name); the rest valid.</summary>
    Errors,
}

/// <summary>
/// Writes made-up village rosters as an Indonesian spreadsheet saves them (CSV with ';', UTF-8 BOM), with NIKs that pass
/// every check for the village's district: region digits of the district, a real birth date (day + 40 for women),
/// a serial other than 0000. Person <c>k = villageIndex × 1000 + row</c> gets a unique (birth date, serial), so NIKs
/// never repeat across villages unless asked to. For the demo, the end-to-end tests and the benchmark.
/// </summary>
public static class RosterGenerator
{
    static readonly string[] FirstNames = ["Ahmad", "Siti", "Budi", "Nur", "Dedi", "Sri", "Rahmat", "Dewi", "Hendra", "Fitri", "Joko", "Yuni", "Agus", "Rina", "Hasan", "Wati"];
    static readonly string[] LastNames = ["Saputra", "Hidayat", "Lestari", "Pratama", "Wahyuni", "Siregar", "Nasution", "Rahayu", "Kurniawan", "Syahputra", "Marlina", "Harahap"];
    static readonly string[] Jobs = ["Petani", "Buruh Tani", "Pedagang Kecil", "Pekebun", "Nelayan", "Marbot", "Guru Ngaji"];
    static readonly DateOnly FirstBirthDate = new(1962, 1, 1);
    const int BirthDays = 15000; // 1962-01-01 .. 2003-01-25: aged 21..62 on 2024-11-01

    public static readonly string[] Header = ["No", "NIK", "Nama", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir", "Alamat", "Desa", "Kecamatan", "Pekerjaan", "No HP"];

    /// <summary>The NIK of person <paramref name="k"/> living in <paramref name="village"/>'s district.</summary>
    public static string Nik(CampaignVillage village, int k)
    {
        var birth = FirstBirthDate.AddDays(k % BirthDays);
        var female = k % 2 == 1;
        var serial = 1 + k / BirthDays;
        return village.DistrictCode.Replace(".", "", StringComparison.Ordinal)
            + (birth.Day + (female ? 40 : 0)).ToString("00", CultureInfo.InvariantCulture)
            + birth.ToString("MMyy", CultureInfo.InvariantCulture)
            + serial.ToString("0000", CultureInfo.InvariantCulture);
    }

    /// <summary>The roster rows of a village (header first).</summary>
    public static IEnumerable<string[]> Rows(CampaignVillage village, int villageIndex, int count, RosterFlavor flavor, IReadOnlyList<int>? borrowFrom = null)
    {
        if (count > 999) throw new ArgumentOutOfRangeException(nameof(count), "At most 999 rows per village keep NIKs unique.");
        yield return Header;
        for (var row = 1; row <= count; row++)
        {
            // Borrowed persons repeat another village's NIK: a duplicate across villages.
            var k = borrowFrom is not null && row <= borrowFrom.Count ? borrowFrom[row - 1] : villageIndex * 1000 + row;
            var birth = FirstBirthDate.AddDays(k % BirthDays);
            var female = k % 2 == 1;
            var nik = Nik(village, k);
            var name = $"{FirstNames[k % FirstNames.Length]} {LastNames[k / FirstNames.Length % LastNames.Length]}";
            var birthText = birth.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);
            var phone = "08" + (1_200_000_000L + k * 7919L % 800_000_000L).ToString(CultureInfo.InvariantCulture);
            switch (flavor)
            {
                case RosterFlavor.Warnings when row % 10 == 0:
                    birthText = "";
                    break;
                case RosterFlavor.Warnings when row % 15 == 3:
                    phone = "12345";
                    break;
                case RosterFlavor.Errors when row % 5 == 0:
                    nik = nik[..15];
                    break;
                case RosterFlavor.Errors when row % 7 == 0:
                    name = "";
                    break;
            }
            yield return
            [
                row.ToString(CultureInfo.InvariantCulture), nik, name, female ? "P" : "L", "Sarolangun", birthText,
                $"RT {row % 9 + 1:00}", village.Name, village.DistrictName, Jobs[k % Jobs.Length], phone,
            ];
        }
    }

    /// <summary>A CSV roster (';', UTF-8 with BOM, CRLF) named "{code}-{village}.csv".</summary>
    public static (string FileName, byte[] Content) Csv(CampaignVillage village, int villageIndex, int count, RosterFlavor flavor = RosterFlavor.Clean, IReadOnlyList<int>? borrowFrom = null)
    {
        var text = new StringBuilder();
        foreach (var row in Rows(village, villageIndex, count, flavor, borrowFrom))
            text.AppendJoin(';', row.Select(v => v.Contains(';', StringComparison.Ordinal) ? $"\"{v}\"" : v)).Append("\r\n");
        var name = $"{village.Code}-{Slug(village.Name)}.csv";
        return (name, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text.ToString())]);
    }

    /// <summary>A file no spreadsheet program wrote, named like one: the intake must call it unreadable.</summary>
    public static (string FileName, byte[] Content) Unreadable(CampaignVillage village) =>
        ($"{village.Code}-{Slug(village.Name)}.xlsx", Encoding.ASCII.GetBytes("%PDF-1.4\n% hasil scan daftar pekerja, bukan spreadsheet\n"));

    static string Slug(string name) => new(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
