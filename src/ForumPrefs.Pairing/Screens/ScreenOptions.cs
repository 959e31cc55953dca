using ForumPrefs.Pairing.NearDuplicates;

namespace ForumPrefs.Pairing.Screens;

/// <summary>The content rules' options, stored with each run (under "screens") so a dataset card can say what was applied.</summary>
public sealed record ScreenOptions
{
    public NearDuplicateOptions NearDuplicates { get; init; } = new();
    /// <summary>Drop pairs whose two answers are near-duplicates (<c>--keep near-duplicates</c> turns it off).</summary>
    public bool NearDuplicatePairs { get; init; } = true;
    /// <summary>Send near-duplicate questions to one split (<c>--keep question-clusters</c> turns it off).</summary>
    public bool QuestionClusters { get; init; } = true;
    public int? MaxAnswerCopies { get; init; }
    public IReadOnlyList<string> Decontaminate { get; init; } = [];
    public int NGramWords { get; init; } = 13;
    public IReadOnlySet<string>? Languages { get; init; }

    public ScreenOptions Validated()
    {
        if (MaxAnswerCopies is < 1)
            throw new PairingOptionsException($"--max-answer-copies must be at least 1, not {MaxAnswerCopies}");
        if (NGramWords is < 1 or > 64)
            throw new PairingOptionsException($"--ngram-words must be between 1 and 64, not {NGramWords}");
        if (Languages?.FirstOrDefault(l => l.Length is < 2 or > 3 || !l.All(char.IsAsciiLetterLower)) is { } bad)
            throw new PairingOptionsException($"--language takes ISO 639-1 codes such as en,de, not '{bad}'");
        return this;
    }
}
