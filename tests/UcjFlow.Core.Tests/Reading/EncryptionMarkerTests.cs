using UcjFlow.Core.Roster;
using UcjFlow.Core.Tests.Fixtures;

namespace UcjFlow.Core.Tests.Reading;

/// <summary>
/// FILE_ENCRYPTED from either stream of Office encryption alone (a copy cut short, or a tool that writes one of them):
/// the village is told about the password, not that the file is of an unsupported kind. Found by the mutation check
/// (tests/mutants: file-encrypted survived while only the two-stream container was tested).
/// </summary>
public class EncryptionMarkerTests
{
    [Theory]
    [InlineData("EncryptionInfo")]
    [InlineData("EncryptedPackage")]
    public async Task One_encryption_stream_is_enough_to_read_as_encrypted(string stream)
    {
        var content = new byte[4000];
        new Random(7).NextBytes(content);
        var refused = await RosterRead.RefusalAsync(Ole2Container.Build((stream, content)), "daftar.xlsx");
        Assert.Equal(RuleCodes.FileEncrypted, refused.Code);
    }
}
