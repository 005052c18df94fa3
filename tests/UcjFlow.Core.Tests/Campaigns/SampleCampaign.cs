using System.Text.Json.Nodes;
using UcjFlow.Core.Campaigns;

namespace UcjFlow.Core.Tests.Campaigns;

/// <summary>The shipped Sarolangun campaign file, and variants of it for validation tests.</summary>
internal static class SampleCampaign
{
    public static string PathOnDisk => Path.Combine(AppContext.BaseDirectory, "Campaigns", "campaign.sarolangun-2024.json");

    public static string Json => File.ReadAllText(PathOnDisk);

    private static readonly Lazy<Campaign> s_loaded = new(() => CampaignLoader.LoadFile(PathOnDisk));

    public static Campaign Load() => s_loaded.Value;

    /// <summary>The sample with <paramref name="change"/> applied to its JSON tree.</summary>
    public static string With(Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Json, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        change(node);
        return node.ToJsonString();
    }
}
