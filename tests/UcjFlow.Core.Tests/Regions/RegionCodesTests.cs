using System.Diagnostics;
using UcjFlow.Core.Regions;
using Xunit.Abstractions;

namespace UcjFlow.Core.Tests.Regions;

public sealed class RegionCodesTests(ITestOutputHelper output)
{
    private static RegionCodes Codes => RegionCodes.Default;

    [Fact]
    public void Embedded_list_holds_every_level_with_the_documented_counts()
    {
        Assert.Equal(38, Codes.Provinces.Count);
        Assert.Equal(514, Codes.RegencyCount);
        Assert.Equal(7285, Codes.DistrictCount);
        Assert.Equal(83762, Codes.VillageCount);
    }

    [Fact]
    public void Sarolangun_has_158_villages()
    {
        var villages = Codes.VillagesOf("15.03");
        Assert.Equal(158, villages.Count);
        Assert.All(villages, v => Assert.StartsWith("15.03.", v.Code));
        Assert.All(villages, v => Assert.Equal("Kabupaten Sarolangun", v.Regency.Name));
        Assert.Equal(villages.Count, Codes.VillagesOf("1503").Count);
        Assert.Equal(villages.Count, Codes.DistrictsOf("15.03").Sum(d => Codes.VillagesOf(d.Code).Count));
    }

    [Fact]
    public void Looks_up_each_level_by_dotted_and_digit_codes()
    {
        Assert.Equal("Jambi", Codes.Province("15")?.Name);
        Assert.Equal("Kabupaten Sarolangun", Codes.Regency("15.03")?.Name);
        Assert.Equal(Codes.Regency("15.03"), Codes.Regency("1503"));
        Assert.Equal(RegionLevel.District, Codes.District("150301")?.Level);
        Assert.Equal("15.03.01", Codes.District("150301")?.Code);

        var village = Codes.Village("1311012001");
        Assert.NotNull(village);
        Assert.Equal("13.11.01.2001", village.Code);
        Assert.Equal("Lubuk Gadang", village.Name);
        Assert.False(village.IsKelurahan);
        Assert.Equal("Sangir", village.District.Name);
        Assert.Equal("Kabupaten Solok Selatan", village.Regency.Name);
        Assert.Equal("13", village.Province.Code);
        Assert.Same(village, Codes.Village("13.11.01.2001"));
    }

    [Fact]
    public void Tells_kelurahan_from_desa_by_the_first_digit_of_the_village_segment()
    {
        Assert.True(Codes.Village("16.09.01.1014")!.IsKelurahan);
        Assert.Equal("Kelurahan", Codes.Village("16.09.01.1014")!.Kind);
        Assert.False(Codes.Village("15.03.01.2001")!.IsKelurahan);
        Assert.Equal("Desa", Codes.Village("15.03.01.2001")!.Kind);
    }

    [Fact]
    public void A_lookup_at_the_wrong_level_or_of_an_unknown_code_is_null()
    {
        Assert.Null(Codes.Regency("15"));
        Assert.Null(Codes.Village("15.03.01"));
        Assert.Null(Codes.Province("99"));
        Assert.Null(Codes.Regency("15.99"));
        Assert.Null(Codes.Village("15.03.01.9999"));
        Assert.Empty(Codes.VillagesOf("15.99"));
        Assert.Empty(Codes.VillagesOf("15"));
    }

    [Fact]
    public void Finds_regions_by_nik_prefix()
    {
        const string nik = "1503014101800001";
        Assert.Equal("15", Codes.ProvinceOfNik(nik)?.Code);
        Assert.Equal("15.03", Codes.RegencyOfNik(nik)?.Code);
        Assert.Equal("15.03.01", Codes.DistrictOfNik(nik)?.Code);
        Assert.Null(Codes.ProvinceOfNik("9903014101800001"));
        Assert.Equal("15", Codes.ProvinceOfNik("1599014101800001")?.Code);
        Assert.Null(Codes.RegencyOfNik("1599014101800001"));
        Assert.Null(Codes.DistrictOfNik("1503994101800001"));
        Assert.Null(Codes.ProvinceOfNik("1"));
        Assert.Null(Codes.ProvinceOfNik("1a03014101800001"));
    }

    [Theory]
    [InlineData("1503012001", "15.03.01.2001")]
    [InlineData("15.03.01.2001", "15.03.01.2001")]
    [InlineData(" 15.03.01.2001 ", "15.03.01.2001")]
    [InlineData("150301", "15.03.01")]
    [InlineData("1503", "15.03")]
    [InlineData("15", "15")]
    [InlineData("15.3.01.2001", null)]
    [InlineData("15030120011", null)]
    [InlineData("150301200", null)]
    [InlineData("15.03.01.2001.1", null)]
    [InlineData("15..03", null)]
    [InlineData("1503a", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Normalizes_codes(string? input, string? expected) => Assert.Equal(expected, RegionCodes.Normalize(input));

    [Fact]
    public void Keeps_quoted_names_with_commas()
    {
        Assert.Equal("Lubuk Pakam I,II", Codes.Village("12.07.28.1007")?.Name);
    }

    [Fact]
    public void Loading_is_fast()
    {
        // Measured, not gated: timed assertions make flaky tests.
        var watch = Stopwatch.StartNew();
        using var resource = typeof(RegionCodes).Assembly.GetManifestResourceStream("UcjFlow.Core.Regions.kemendagri-2025.csv.gz")!;
        using var gzip = new System.IO.Compression.GZipStream(resource, System.IO.Compression.CompressionMode.Decompress);
        var codes = RegionCodes.Load(gzip);
        output.WriteLine($"Loaded {codes.VillageCount} villages in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(83762, codes.VillageCount);
    }
}
