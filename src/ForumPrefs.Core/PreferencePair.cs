namespace ForumPrefs.Core;

/// <summary>One answer of a pair, as it was when the pair was built.</summary>
public sealed record PairedAnswer(string Id, string Text, string Author, int Score, DateTimeOffset Created, double? Quality = null);

/// <summary>
/// A preference: readers preferred <see cref="Preferred"/> over <see cref="Other"/> as answers to the post.
/// <see cref="PreferredIsA"/> is the randomised presentation order (SHP's label). <see cref="Margin"/> is the
/// difference in the policy's score; <see cref="ScoreRatio"/> the policy's ratio of the two scores (≥ 1).
/// </summary>
public sealed record PreferencePair(
    Forum Forum,
    string PostId,
    string History,
    double? UpvoteRatio,
    string? PostUrl,
    PairedAnswer Preferred,
    PairedAnswer Other,
    double ScoreRatio,
    double Margin,
    Split Split,
    bool PreferredIsA,
    PairWindow? Window = null)
{
    public PairedAnswer A => PreferredIsA ? Preferred : Other;
    public PairedAnswer B => PreferredIsA ? Other : Preferred;
    public int Label => PreferredIsA ? 1 : 0;
    /// <summary>Preferred created minus other, in seconds; negative when the preferred answer came first.</summary>
    public double CreatedDifferenceSeconds => (Preferred.Created - Other.Created).TotalSeconds;

    /// <summary>
    /// SHP's <c>seconds_difference</c>: preferred created minus other, never negative. Null for a pair whose preferred
    /// answer came first (only policies without SHP's time rule build those): SHP's meaning does not hold for it, and
    /// a reader that assumes it must not get a wrong number. <see cref="CreatedDifferenceSeconds"/> has every pair's.
    /// </summary>
    public double? SecondsDifference => CreatedDifferenceSeconds >= 0 ? CreatedDifferenceSeconds : null;

    /// <summary>
    /// The conversation the two answers reply to, turn by turn (OpenAssistant trees: the first prompt and every turn
    /// down to the answers' parent); null where the question is one post. <see cref="History"/> has it as text.
    /// </summary>
    public IReadOnlyList<ChatTurn>? Conversation { get; init; }

    /// <summary>The language detected for the pair (its question's, ISO 639-1; "und" where it cannot be told); null for pairs built before detection.</summary>
    public string? Language { get; init; }

    /// <summary>Licence, link and author of the question and both answers, where the export asks for them.</summary>
    public PairAttribution? Attribution { get; init; }

    /// <summary>The conversation turn by turn: <see cref="Conversation"/>, or the post as one user turn.</summary>
    public IReadOnlyList<ChatTurn> Turns => Conversation ?? [new ChatTurn(ChatRoles.User, History)];
}
