namespace UcjFlow.Core.Storage;

/// <summary>
/// Where a village upload lives inside the <c>uploads</c> container: <c>{regency}/{district}/{village}/{file}</c> with
/// Kemendagri codes without dots, e.g. <c>1503/150301/1503012001/roster.xlsx</c> for village 15.03.01.2001.
/// </summary>
public sealed record UploadPath(string VillageCode, string FileName, string? CampaignId = null)
{
    /// <summary>The blob name inside the uploads container (no container prefix).</summary>
    public string BlobName
    {
        get
        {
            var digits = VillageCode.Replace(".", "", StringComparison.Ordinal);
            return CampaignId is null ? $"{digits[..4]}/{digits[..6]}/{digits}/{FileName}" : $"{digits[..4]}/{digits[..6]}/{digits}/{CampaignId}/{FileName}";
        }
    }

    /// <summary>The district code with dots ("15.03.01").</summary>
    public string DistrictCode => VillageCode[..8];

    /// <summary>The regency code with dots ("15.03").</summary>
    public string RegencyCode => VillageCode[..5];

    /// <summary>Builds the path for a village code ("15.03.01.2001" or "1503012001") and a file name (no '/').</summary>
    /// <param name="campaignId">The campaign the upload goes to (a folder below the village's); null: the village's one open campaign when it is picked up.</param>
    public static UploadPath For(string villageCode, string fileName, string? campaignId = null)
    {
        var code = NormaliseVillageCode(villageCode)
            ?? throw new ArgumentException($"'{villageCode}' is not a village code like 15.03.01.2001.", nameof(villageCode));
        var file = Path.GetFileName(fileName.Replace('\\', '/'));
        if (string.IsNullOrWhiteSpace(file) || file is "." or ".." || file.Contains('/'))
            throw new ArgumentException($"'{fileName}' is not a file name.", nameof(fileName));
        BlobNames.Validate(file, nameof(fileName));
        if (campaignId is not null && !Campaigns.CampaignLoader.IsCampaignId(campaignId))
            throw new ArgumentException($"'{campaignId}' is not a campaign id.", nameof(campaignId));
        return new UploadPath(code, file, campaignId);
    }

    /// <summary>
    /// Reads a blob name back ("1503/150301/1503012001/roster.xlsx", or with the campaign's folder
    /// "1503/150301/1503012001/sarolangun-2025/roster.xlsx"; with or without a leading "uploads/").
    /// False when the segments are not consistent codes (district must start with the regency, village with the district).
    /// </summary>
    public static bool TryParse(string blobName, out UploadPath path)
    {
        path = null!;
        if (string.IsNullOrEmpty(blobName)) return false;
        var parts = blobName.Split('/');
        if (parts.Length is 5 or 6 && parts[0] == BlobContainers.Uploads) parts = parts[1..];
        string? campaignId = null;
        if (parts.Length == 5)
        {
            if (!Campaigns.CampaignLoader.IsCampaignId(parts[3])) return false;
            campaignId = parts[3];
            parts = [parts[0], parts[1], parts[2], parts[4]];
        }
        if (parts.Length != 4) return false;
        var (regency, district, village, file) = (parts[0], parts[1], parts[2], parts[3]);
        if (regency.Length != 4 || district.Length != 6 || village.Length != 10) return false;
        if (!AllDigits(village) || !district.StartsWith(regency, StringComparison.Ordinal) || !village.StartsWith(district, StringComparison.Ordinal))
            return false;
        if (file.Length == 0 || file is "." or "..") return false;
        path = new UploadPath(WithDots(village), file, campaignId);
        return true;
    }

    /// <summary>"1503012001" or "15.03.01.2001" → "15.03.01.2001"; null when it is neither.</summary>
    public static string? NormaliseVillageCode(string? code)
    {
        if (code is null) return null;
        code = code.Trim();
        if (code.Length == 10 && AllDigits(code)) return WithDots(code);
        if (code.Length == 13 && code[2] == '.' && code[5] == '.' && code[8] == '.' && AllDigits(code.Replace(".", "", StringComparison.Ordinal)))
            return code;
        return null;
    }

    private static string WithDots(string digits) => $"{digits[..2]}.{digits[2..4]}.{digits[4..6]}.{digits[6..]}";

    private static bool AllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}
