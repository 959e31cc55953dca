namespace ForumPrefs.Training;

/// <summary>Token ids for a reward model input: the prompt, a separator, then the answer (in the model's <see cref="InputFormat"/>), cut to fit.</summary>
public sealed class PairEncoder
{
    private readonly InputFormat _format;
    private readonly int _maxLength;
    private readonly double _promptShare;

    /// <param name="promptShare">The share of the budget the prompt keeps when the answers must be cut.</param>
    public PairEncoder(InputFormat format, int maxLength, double promptShare = 0.25)
    {
        _format = format;
        _maxLength = maxLength;
        _promptShare = promptShare;
    }

    public enum Outcome { Kept, Truncated, AnswersTooLong, IdenticalAfterTruncation }

    /// <summary>
    /// As SHP advises, answers are kept whole and the prompt is cut first. When even that does not fit, the pair is
    /// truncated (the prompt keeps its start, at least <c>promptShare</c> of the budget, and each answer its start in
    /// the rest) or, with <paramref name="truncate"/> off, skipped. A pair whose two inputs come out identical is marked.
    /// </summary>
    public (Outcome Outcome, int[] Chosen, int[] Rejected) EncodePair(string prompt, string chosen, string rejected, bool truncate = true)
    {
        var chosenIds = Ids(chosen);
        var rejectedIds = Ids(rejected);
        var promptIds = Ids(prompt);
        var budget = _maxLength - _format.Overhead;
        var longest = Math.Max(chosenIds.Length, rejectedIds.Length);
        var outcome = Outcome.Kept;
        int[] kept;
        if (promptIds.Length + longest <= budget)
            kept = promptIds;
        else
        {
            var promptFloor = Math.Min(promptIds.Length, (int)(_promptShare * budget));
            var promptRoom = Math.Max(promptFloor, budget - longest);
            if (promptRoom > budget - longest)
            {
                // The answers themselves must be cut.
                if (!truncate)
                    return (Outcome.AnswersTooLong, [], []);
                outcome = Outcome.Truncated;
                chosenIds = chosenIds.Length <= budget - promptRoom ? chosenIds : chosenIds[..(budget - promptRoom)];
                rejectedIds = rejectedIds.Length <= budget - promptRoom ? rejectedIds : rejectedIds[..(budget - promptRoom)];
            }
            kept = promptIds.Length <= promptRoom ? promptIds : promptIds[..promptRoom];
        }
        var a = Join(kept, chosenIds);
        var b = Join(kept, rejectedIds);
        return a.AsSpan().SequenceEqual(b) ? (Outcome.IdenticalAfterTruncation, a, b) : (outcome, a, b);
    }

    /// <summary>One prompt-answer input for scoring; the prompt is cut to fit, an answer too long for the model is cut at the end.</summary>
    public int[] Encode(string prompt, string answer)
    {
        var answerIds = Ids(answer);
        var budget = _maxLength - _format.Overhead;
        if (answerIds.Length > budget)
            answerIds = answerIds[..budget];
        var promptIds = Ids(prompt);
        var room = budget - answerIds.Length;
        return Join(promptIds.Length <= room ? promptIds : promptIds[..room], answerIds);
    }

    private int[] Ids(string text) => _format.Ids(text);

    private int[] Join(int[] prompt, int[] answer) => [.. _format.Start, .. prompt, .. _format.Separator, .. answer, .. _format.End];
}
