using Azure.Storage.Blobs;

namespace UcjFlow.Functions.Tests.Support;

/// <summary>
/// The Azurite server .ci/run starts (blob, queue and table on loopback): <c>UCJ_TEST_AZURITE</c> holds its
/// development-storage connection string. The server is shared by every test, so each test works under names of its own
/// (<see cref="UniqueName"/>) and never looks at anything else.
/// </summary>
public static class Azurite
{
    public const string Variable = "UCJ_TEST_AZURITE";

    /// <summary>The connection string (blob, queue and table endpoints); fails the test when .ci/run did not set it.</summary>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
                Assert.Fail(
                    $"{Variable} is not set: run the tests through .ci/run, which starts Azurite and sets it " +
                    "(or set it to a development-storage connection string with BlobEndpoint, QueueEndpoint and TableEndpoint, " +
                    "e.g. DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=…;BlobEndpoint=http://127.0.0.1:10100/devstoreaccount1;…).");
            return value!;
        }
    }

    /// <summary>A client on Azurite's blob service.</summary>
    public static BlobServiceClient BlobService() => new(ConnectionString);

    /// <summary>
    /// A name no other test uses: <paramref name="purpose"/> followed by 16 random hex digits, only lowercase letters and
    /// digits, so it is valid as a blob container name (3-63 characters) and as a Durable Task hub name (3-45, starts with
    /// a letter) alike.
    /// </summary>
    public static string UniqueName(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        if (purpose[0] is not (>= 'a' and <= 'z') || !purpose.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9') || purpose.Length > 29)
            throw new ArgumentException($"'{purpose}' must be 1-29 lowercase letters or digits, starting with a letter.", nameof(purpose));
        return purpose + Guid.NewGuid().ToString("N")[..16];
    }
}
