using ForumPrefs.Training;

namespace ForumPrefs.Tests.Training;

/// <summary>Length-bucketed steps: every pair once, the same order for the same seed, and far less padding than shuffled steps.</summary>
public sealed class LengthBucketsTests
{
    /// <summary>Pairs with lengths spread like forum answers: most short, some at the cap.</summary>
    private static List<EncodedPair> Pairs(int count)
    {
        var random = new Random(7);
        return Enumerable.Range(0, count).Select(i =>
        {
            int Length() => Math.Min(128, 8 + (int)Math.Exp(random.NextDouble() * 5));
            return new EncodedPair(Enumerable.Repeat(i, Length()).ToArray(), Enumerable.Repeat(i, Length()).ToArray(), 2, 1, "f", 0, 0);
        }).ToList();
    }

    private static async Task<List<IReadOnlyList<EncodedPair>>> StepsAsync(List<EncodedPair> pairs, int window, int seed = 3)
    {
        var steps = new List<IReadOnlyList<EncodedPair>>();
        await foreach (var step in LengthBuckets.StepsAsync(pairs.ToAsyncEnumerable(), p => p, 16, window, seed))
            steps.Add(step);
        return steps;
    }

    private static double MeanPadded(IEnumerable<IReadOnlyList<EncodedPair>> steps) => steps.Average(s => s.Max(LengthBuckets.Longer));

    [Fact]
    public async Task Every_pair_is_trained_once_and_batches_pad_to_about_their_own_length()
    {
        var pairs = Pairs(2_000);

        var shuffled = await StepsAsync(pairs, window: 1);
        var bucketed = await StepsAsync(pairs, window: 50);

        Assert.Equal(pairs.Select(p => p.Chosen[0]).Order(), bucketed.SelectMany(s => s).Select(p => p.Chosen[0]).Order());
        Assert.Equal(shuffled.Count, bucketed.Count);
        Assert.True(shuffled.Take(shuffled.Count - 1).All(s => s.Count == 16));
        // Shuffled steps pad nearly to the cap; bucketed ones to about each pair's own length.
        var ownLength = pairs.Average(LengthBuckets.Longer);
        Assert.True(MeanPadded(bucketed) < 1.3 * ownLength, $"bucketed steps pad to {MeanPadded(bucketed):F1}, pairs are {ownLength:F1} long");
        Assert.True(MeanPadded(shuffled) > 2 * MeanPadded(bucketed), $"shuffled {MeanPadded(shuffled):F1}, bucketed {MeanPadded(bucketed):F1}");
        // Window 1 keeps the stream's order: no bucketing.
        Assert.Equal(pairs.Select(p => p.Chosen[0]), shuffled.SelectMany(s => s).Select(p => p.Chosen[0]));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_steps_and_another_seed_another_order()
    {
        var pairs = Pairs(1_000);

        var first = await StepsAsync(pairs, 50);
        var again = await StepsAsync(pairs, 50);
        var other = await StepsAsync(pairs, 50, seed: 4);

        static IEnumerable<int> Ids(IEnumerable<IReadOnlyList<EncodedPair>> steps) => steps.SelectMany(s => s).Select(p => p.Chosen[0]);
        Assert.Equal(Ids(first), Ids(again));
        Assert.NotEqual(Ids(first), Ids(other));
        // Steps are not handed out shortest first: the long ones are spread over the window.
        var padded = first.Select(s => s.Max(LengthBuckets.Longer)).ToList();
        Assert.NotEqual(padded.Order(), padded);
    }
}
