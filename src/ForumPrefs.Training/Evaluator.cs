using ForumPrefs.Core;
using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>Accuracy of a reward model on pairs, always next to "the longer answer wins" on the same pairs.</summary>
public sealed record Accuracy(long Pairs, double Model, double LongerAnswer)
{
    /// <summary>The 95 % Wilson score interval of <see cref="Model"/> (what another sample of as many pairs could give).</summary>
    public (double Low, double High) ModelInterval => Interval95.Wilson(Model, Pairs);
    public (double Low, double High) LongerAnswerInterval => Interval95.Wilson(LongerAnswer, Pairs);
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
public sealed record EvalResult(Accuracy Overall, IReadOnlyDictionary<string, Accuracy> PerForum, IReadOnlyList<(string Bin, Accuracy Accuracy)> PerRatioBin,
    long Truncated = 0);

public static class Evaluator
{
    public static EvalResult Evaluate(TorchSharp.torch.nn.Module<Tensor, Tensor, Tensor> model, IReadOnlyList<EncodedPair> pairs, Device device, int batchSize = 64)
    {
        // 1 when the chosen answer scores higher, ½ on a tie (identical inputs after truncation), else 0.
        var modelRight = new double[pairs.Count];
        model.eval();
        using (no_grad())
        {
            for (var start = 0; start < pairs.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = pairs.Skip(start).Take(batchSize).ToList();
                var (ids, padding) = Batches.Pad([.. batch.Select(p => p.Chosen), .. batch.Select(p => p.Rejected)], device);
                var rewards = model.forward(ids, padding).cpu().data<float>().ToArray();
                for (var i = 0; i < batch.Count; i++)
                    modelRight[start + i] = rewards[i] > rewards[batch.Count + i] ? 1 : rewards[i] == rewards[batch.Count + i] ? 0.5 : 0;
            }
        }
        Accuracy Of(IEnumerable<int> indexes)
        {
            var list = indexes.ToList();
            if (list.Count == 0)
                return new Accuracy(0, double.NaN, double.NaN);
            var longer = list.Sum(i => pairs[i].ChosenLength > pairs[i].RejectedLength ? 1.0 : pairs[i].ChosenLength == pairs[i].RejectedLength ? 0.5 : 0);
            return new Accuracy(list.Count, list.Sum(i => modelRight[i]) / list.Count, longer / list.Count);
        }
        var all = Enumerable.Range(0, pairs.Count).ToList();
        return new EvalResult(
            Of(all),
            all.GroupBy(i => pairs[i].Forum).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Of(g)),
            RatioBins.LowerBounds.Select((_, bin) => (RatioBins.Label(bin), Of(all.Where(i => RatioBins.Of(pairs[i].ScoreRatio) == bin)))).ToList());
    }
}
