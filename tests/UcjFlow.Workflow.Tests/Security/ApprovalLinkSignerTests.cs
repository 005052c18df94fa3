using System.Security.Cryptography;
using UcjFlow.Core.Security;
using UcjFlow.Workflow.Tests.Support;

namespace UcjFlow.Workflow.Tests.Security;

public class ApprovalLinkSignerTests
{
    static readonly DateTimeOffset Now = new(2024, 10, 10, 2, 0, 0, TimeSpan.Zero);
    readonly ManualTimeProvider _clock = new(Now);
    readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    ApprovalLinkSigner Signer() => new(_secret, _clock);

    [Fact]
    public void A_fresh_token_is_valid_for_its_batch_only_and_url_safe()
    {
        var signer = Signer();
        var token = signer.CreateToken("1503012001-abcdef012345", TimeSpan.FromDays(14));

        Assert.Equal(LinkTokenCheck.Valid, signer.Check(token, "1503012001-abcdef012345"));
        Assert.Equal(LinkTokenCheck.Invalid, signer.Check(token, "1503012002-abcdef012345"));
        Assert.Equal(LinkTokenCheck.Invalid, signer.Check(token, "1503012001-abcdef012345", "report"));
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(token, Uri.EscapeDataString(token));
    }

    [Fact]
    public void A_token_expires_at_its_expiry()
    {
        var signer = Signer();
        var token = signer.CreateToken("b1", TimeSpan.FromHours(1));

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True(signer.IsValid(token, "b1"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(LinkTokenCheck.Expired, signer.Check(token, "b1"));
    }

    [Fact]
    public void Another_secret_a_changed_payload_or_a_changed_mac_is_refused()
    {
        var token = Signer().CreateToken("b1", Now.AddDays(1));
        var other = new ApprovalLinkSigner(RandomNumberGenerator.GetBytes(32), _clock);
        Assert.Equal(LinkTokenCheck.Invalid, other.Check(token, "b1"));

        var (payload, mac) = (token[..token.IndexOf('.')], token[(token.IndexOf('.') + 1)..]);
        // Another grant's payload under this MAC: a later expiry, another batch.
        var later = Signer().CreateToken("b1", Now.AddDays(30));
        Assert.Equal(LinkTokenCheck.Invalid, Signer().Check($"{later[..later.IndexOf('.')]}.{mac}", "b1"));
        var otherBatch = Signer().CreateToken("b2", Now.AddDays(1));
        Assert.Equal(LinkTokenCheck.Invalid, Signer().Check($"{otherBatch[..otherBatch.IndexOf('.')]}.{mac}", "b2"));

        var flipped = (mac[0] == 'A' ? 'B' : 'A') + mac[1..];
        Assert.Equal(LinkTokenCheck.Invalid, Signer().Check($"{payload}.{flipped}", "b1"));
    }

    [Fact]
    public void A_token_carries_its_whole_grant_and_is_valid_for_that_purpose_only()
    {
        var signer = Signer();
        var grant = new LinkGrant(ApprovalLinkSigner.AccessPurpose, "15.03.01.2001", Now.AddDays(90), "pic@desa.example.id", "a1b2c3");
        var token = signer.Sign(grant);

        Assert.Equal(LinkTokenCheck.Valid, signer.Read(token, out var read));
        Assert.Equal(grant, read);
        Assert.Equal(LinkTokenCheck.Valid, signer.Check(token, "15.03.01.2001", ApprovalLinkSigner.AccessPurpose));
        Assert.Equal(LinkTokenCheck.Invalid, signer.Check(token, "15.03.01.2001", ApprovalLinkSigner.UploadPurpose));
        Assert.Equal(LinkTokenCheck.Invalid, signer.Check(token, "15.03.01.2001"));
        Assert.True(token.Length < 200, $"{token.Length} characters: a QR code of the link must stay small");

        _clock.Advance(TimeSpan.FromDays(90));
        Assert.Equal(LinkTokenCheck.Expired, signer.Read(token, out var expired));
        Assert.Equal("a1b2c3", expired!.LinkId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("123.")]
    [InlineData(".abc")]
    [InlineData("-5.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!")]
    public void Malformed_tokens_are_invalid_without_throwing(string? token)
    {
        Assert.Equal(LinkTokenCheck.Invalid, Signer().Check(token, "b1"));
    }

    [Fact]
    public void A_short_secret_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ApprovalLinkSigner(new byte[15], _clock));
        Assert.Equal(32, ApprovalLinkSigner.GenerateSecret().Length);
    }
}
