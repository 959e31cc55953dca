using ForumPrefs.Core;
using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>Accuracy of a reward model on pairs, always next to "the longer answer wins" on the same pairs.</summary>
public sealed record Accuracy(long Pairs, double Model, double LongerAnswer)
{
    /// <summary>The 95 % Wilson score interval of <see cref="Model"/> (what another sample of as many pairs could give).</summary>
    public (double Low, double High) ModelInterval => Interval95.Wilson(Model, Pairs);
    public (double Low, double High) LongerAnswerInterval => Interval95.Wilson(LongerAnswer, Pairs);
    /// <summary>Where a coin toss lands on as many pairs, 95 % of the time: the random baseline's interval around 50 %.</summary>
    public (double Low, double High) RandomInterval => Interval95.Wilson(0.5, Pairs);
}

public static class Interval95
{
    /// <summary>
    /// Wilson's score interval for a proportion at 95 %: unlike p ± 1.96·√(p(1−p)/n) it stays inside [0, 1] and is
    /// sound for the small test splits of small sites. Ties count half, so p may be fractional.
    /// </summary>
    public static (double Low, double High) Wilson(double p, long n)
    {
        if (n == 0 || double.IsNaN(p))
            return (double.NaN, double.NaN);
        const double z = 1.959964;
        var z2n = z * z / n;
        var centre = (p + z2n / 2) / (1 + z2n);
        var half = z / (1 + z2n) * Math.Sqrt(p * (1 - p) / n + z2n / (4 * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

/// <param name="Truncated">Pairs evaluated with their question and answers cut to the model's length.</param>
/// <param name="Length">The accuracy with the length bias taken apart (preferred longer, preferred shorter, balanced).</param>
public sealed record EvalResult(Accuracy Overall, IReadOnlyDictionary<string, Accuracy> PerForum, IReadOnlyList<(string Bin, Accuracy Accuracy)> PerRatioBin,
    long Truncated, LengthControl Length);

public static class Evaluator
{
    /// <summary>What evaluation keeps of a pair once scored: its token ids are dropped, so a split of any size streams.</summary>
    private readonly record struct Scored(string Forum, double ScoreRatio, int ChosenLength, int RejectedLength, bool Truncated, double Right);

    public static async ValueTask<EvalResult> EvaluateAsync(TorchSharp.torch.nn.Module<Tensor, Tensor, Tensor> model, IAsyncEnumerable<EncodedPair> pairs,
        Device device, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        var scored = new List<Scored>();
        model.eval();
        await foreach (var batch in pairs.Chunk(batchSize).WithCancellation(cancellationToken))
        {
            float[] rewards;
            using (no_grad())
            using (NewDisposeScope())
            {
                var (ids, padding) = Batches.Pad([.. batch.Select(p => p.Chosen), .. batch.Select(p => p.Rejected)], device);
                rewards = model.forward(ids, padding).cpu().data<float>().ToArray();
            }
            // 1 when the chosen answer scores higher, ½ on a tie (identical inputs after truncation), else 0.
            for (var i = 0; i < batch.Length; i++)
                scored.Add(new Scored(batch[i].Forum, batch[i].ScoreRatio, batch[i].ChosenLength, batch[i].RejectedLength, batch[i].Truncated,
                    rewards[i] > rewards[batch.Length + i] ? 1 : rewards[i] == rewards[batch.Length + i] ? 0.5 : 0));
        }
        static Accuracy Of(IEnumerable<Scored> pairs)
        {
            var list = pairs.ToList();
            if (list.Count == 0)
                return new Accuracy(0, double.NaN, double.NaN);
            var longer = list.Sum(p => p.ChosenLength > p.RejectedLength ? 1.0 : p.ChosenLength == p.RejectedLength ? 0.5 : 0);
            return new Accuracy(list.Count, list.Sum(p => p.Right) / list.Count, longer / list.Count);
        }
        return new EvalResult(
            Of(scored),
            scored.GroupBy(p => p.Forum).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Of(g)),
            RatioBins.LowerBounds.Select((_, bin) => (RatioBins.Label(bin), Of(scored.Where(p => RatioBins.Of(p.ScoreRatio) == bin)))).ToList(),
            scored.Count(p => p.Truncated),
            new LengthControl(Of(scored.Where(p => p.ChosenLength > p.RejectedLength)), Of(scored.Where(p => p.ChosenLength < p.RejectedLength)),
                scored.LongCount(p => p.ChosenLength == p.RejectedLength),
                LengthRatioBins.LowerBounds.Select((_, bin) => (LengthRatioBins.Label(bin),
                    Of(scored.Where(p => LengthRatioBins.Of(p.ChosenLength, p.RejectedLength) == bin)))).ToList()));
    }
}
