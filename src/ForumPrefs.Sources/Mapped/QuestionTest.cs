namespace ForumPrefs.Sources.Mapped;

/// <summary>Flat records: a record is the question when <see cref="Field"/> holds <see cref="EqualsValue"/>.</summary>
public sealed record QuestionTest
{
    public string Field { get; init; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("equals")]
    public string EqualsValue { get; init; } = "";
}
