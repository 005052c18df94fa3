using UcjFlow.Core.Storage;

namespace UcjFlow.Core.Tests.Storage;

public class UploadPathTests
{
    [Theory]
    [InlineData("15.03.01.2001")]
    [InlineData("1503012001")]
    public void For_builds_codes_without_dots(string village)
    {
        var p = UploadPath.For(village, "roster.xlsx");
        Assert.Equal("1503/150301/1503012001/roster.xlsx", p.BlobName);
        Assert.Equal("15.03.01.2001", p.VillageCode);
        Assert.Equal("15.03.01", p.DistrictCode);
        Assert.Equal("15.03", p.RegencyCode);
    }

    [Fact]
    public void For_keeps_only_the_file_name()
    {
        Assert.Equal("1503/150301/1503012001/x.csv", UploadPath.For("15.03.01.2001", "C:\\Users\\desa\\x.csv").BlobName);
        Assert.Equal("1503/150301/1503012001/x.csv", UploadPath.For("15.03.01.2001", "../../x.csv").BlobName);
        Assert.Throws<ArgumentException>(() => UploadPath.For("15.03.01.2001", ".."));
        Assert.Throws<ArgumentException>(() => UploadPath.For("15.03.01", "x.csv"));
    }

    [Theory]
    [InlineData("1503/150301/1503012001/roster.xlsx", "15.03.01.2001", "roster.xlsx")]
    [InlineData("uploads/1503/150305/1503052010/data desa.csv", "15.03.05.2010", "data desa.csv")]
    public void TryParse_reads_the_village_back(string blob, string village, string file)
    {
        Assert.True(UploadPath.TryParse(blob, out var p));
        Assert.Equal(village, p.VillageCode);
        Assert.Equal(file, p.FileName);
    }

    [Fact]
    public void A_campaign_folder_below_the_village_names_the_campaign_and_round_trips()
    {
        var path = UploadPath.For("15.03.01.2001", "peserta.xlsx", "sarolangun-2025");

        Assert.Equal("1503/150301/1503012001/sarolangun-2025/peserta.xlsx", path.BlobName);
        Assert.True(UploadPath.TryParse("uploads/" + path.BlobName, out var back));
        Assert.Equal(path, back);
        Assert.True(UploadPath.TryParse("1503/150301/1503012001/peserta.xlsx", out var without));
        Assert.Null(without.CampaignId);
        Assert.Throws<ArgumentException>(() => UploadPath.For("15.03.01.2001", "x.csv", "Bukan Id"));
    }

    [Theory]
    [InlineData("1503/150401/1504012001/roster.xlsx")] // district not in regency
    [InlineData("1503/150301/1503022001/roster.xlsx")] // village not in district
    [InlineData("1503/150301/1503012001")]
    [InlineData("1503/150301/1503012001/Kampanye Baru/b.xlsx")] // not a campaign id
    [InlineData("1503/150301/1503012001/a/b/c.xlsx")]
    [InlineData("15.03/15.03.01/15.03.01.2001/x.csv")]
    [InlineData("1503/150301/150301200A/x.csv")]
    [InlineData("")]
    public void TryParse_refuses_inconsistent_paths(string blob)
    {
        Assert.False(UploadPath.TryParse(blob, out _));
    }
}
