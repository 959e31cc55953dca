using Parquet.Serialization.Attributes;
using System.Text.Json.Serialization;

namespace ForumPrefs.Datasets;

/// <summary>One message of TRL's conversational format.</summary>
public sealed class ChatMessage
{
    [JsonPropertyName("role"), ParquetRequired] public string Role { get; set; } = "";
    [JsonPropertyName("content"), ParquetRequired] public string Content { get; set; } = "";
}

/// <summary>
/// A row of the TRL layout in TRL's conversational format (<c>export --layout trl --conversational</c>): the prompt is
/// the conversation as a list of messages, chosen and rejected are one assistant message each, as TRL's reward and DPO
/// trainers take them. Written from <see cref="Layouts.TrlConversational"/> (which has more columns); read with this.
/// </summary>
public sealed class ConversationalRow
{
    [JsonPropertyName("prompt")] public List<ChatMessage> Prompt { get; set; } = [];
    [JsonPropertyName("chosen")] public List<ChatMessage> Chosen { get; set; } = [];
    [JsonPropertyName("rejected")] public List<ChatMessage> Rejected { get; set; } = [];
    [JsonPropertyName("score_ratio")] public double? ScoreRatio { get; set; }
    [JsonPropertyName("margin")] public double? Margin { get; set; }
    [JsonPropertyName("post_id"), ParquetRequired] public string PostId { get; set; } = "";
    [JsonPropertyName("domain"), ParquetRequired] public string Domain { get; set; } = "";
}
