using UcjFlow.Core.Campaigns;

namespace UcjFlow.Core.Tests.Campaigns;

public class IndonesianPhoneTests
{
    [Theory]
    [InlineData("0812-3456-7890", "+6281234567890")]
    [InlineData("081234567890", "+6281234567890")]
    [InlineData("+62 812 3456 7890", "+6281234567890")]
    [InlineData("62 812-3456-7890", "+6281234567890")]
    [InlineData("6281234567890", "+6281234567890")]
    [InlineData("(0812) 3456.7890", "+6281234567890")]
    [InlineData(" 0857 1234 5678 ", "+6285712345678")]
    [InlineData("0813-6600-2002", "+6281366002002")]
    public void A_mobile_number_as_people_write_it_becomes_E164(string written, string e164)
    {
        Assert.Equal(e164, IndonesianPhone.Normalize(written, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("0812-34", "is not a valid Indonesian number")]
    [InlineData("nomor HP", "is not a phone number")]
    [InlineData("+1 415 555 2671", "is not an Indonesian number")]
    [InlineData("+60 12-345 6789", "is not an Indonesian number")]
    [InlineData("(0745) 91234", "is not a mobile number")]
    [InlineData("0812-3456-7890-1234", "is not a valid Indonesian number")]
    public void A_malformed_foreign_or_landline_number_is_refused_with_why(string written, string why)
    {
        Assert.Null(IndonesianPhone.Normalize(written, out var problem));
        Assert.StartsWith(why, problem);
    }

    [Fact]
    public void The_campaign_keeps_the_PIC_phone_normalised_and_names_a_malformed_one()
    {
        var ok = CampaignLoader.Parse(SampleCampaign.With(o => o["villages"]!.AsArray()[0]!["picPhone"] = "0812 3456 7890"));
        Assert.Equal("+6281234567890", ok.Village("15.03.01.2001")!.PicPhone);
        Assert.Null(ok.Village("15.03.01.2003")!.PicPhone);

        var e = Assert.Throws<CampaignConfigException>(() =>
            CampaignLoader.Parse(SampleCampaign.With(o => o["villages"]!.AsArray()[1]!["picPhone"] = "0812-34")));
        Assert.Equal(
            $"villages[1] (15.03.01.2002): picPhone '0812-34' is not a valid Indonesian number: wrong length or prefix (write it like {IndonesianPhone.Example})",
            Assert.Single(e.Problems));
    }

    [Fact]
    public void The_sample_campaign_carries_PIC_phones()
    {
        var c = SampleCampaign.Load();
        Assert.Equal("+6281274002001", c.Village("15.03.01.2001")!.PicPhone);
        Assert.Equal("+6281366002002", c.Village("15.03.01.2002")!.PicPhone);
    }
}
