using Microsoft.ML.Tokenizers;

namespace ForumPrefs.Training;

/// <summary>Token ids for a reward model input: the prompt (cut to fit), a separator, then the answer (never cut).</summary>
public sealed class PairEncoder
{
    private readonly Tokenizer _tokenizer;
    private readonly int _maxLength;

    public PairEncoder(string tokenizer, int maxLength)
    {
        _tokenizer = tokenizer switch
        {
            "gpt2" => TiktokenTokenizer.CreateForModel("gpt2"),
            _ => throw new TrainingException($"unknown tokenizer '{tokenizer}' (gpt2 is bundled)"),
        };
        _maxLength = maxLength;
        VocabularySize = 50257;
        Separator = 50256; // <|endoftext|>
    }

    public int VocabularySize { get; }
    public int Separator { get; }

    public enum Outcome { Kept, AnswersTooLong, IdenticalAfterTruncation }

    /// <summary>
    /// As SHP advises: the answers are kept whole and the prompt is cut so the longer answer fits; a pair whose answers
    /// alone do not fit is skipped; a pair whose two inputs come out identical is dropped.
    /// </summary>
    public (Outcome Outcome, int[] Chosen, int[] Rejected) EncodePair(string prompt, string chosen, string rejected)
    {
        var chosenIds = Ids(chosen);
        var rejectedIds = Ids(rejected);
        var room = _maxLength - 1 - Math.Max(chosenIds.Length, rejectedIds.Length);
        if (room < 0)
            return (Outcome.AnswersTooLong, [], []);
        var promptIds = Ids(prompt);
        var kept = promptIds.Length <= room ? promptIds : promptIds[..room];
        var a = Join(kept, chosenIds);
        var b = Join(kept, rejectedIds);
        return a.AsSpan().SequenceEqual(b) ? (Outcome.IdenticalAfterTruncation, [], []) : (Outcome.Kept, a, b);
    }

    /// <summary>One prompt-answer input for scoring; the prompt is cut to fit, an answer too long for the model is cut at the end.</summary>
    public int[] Encode(string prompt, string answer)
    {
        var answerIds = Ids(answer);
        if (answerIds.Length > _maxLength - 1)
            answerIds = answerIds[..(_maxLength - 1)];
        var promptIds = Ids(prompt);
        var room = _maxLength - 1 - answerIds.Length;
        return Join(promptIds.Length <= room ? promptIds : promptIds[..room], answerIds);
    }

    private int[] Ids(string text) => _tokenizer.EncodeToIds(text).ToArray();

    private int[] Join(int[] prompt, int[] answer)
    {
        var ids = new int[prompt.Length + 1 + answer.Length];
        prompt.CopyTo(ids, 0);
        ids[prompt.Length] = Separator;
        answer.CopyTo(ids, prompt.Length + 1);
        return ids;
    }
}
