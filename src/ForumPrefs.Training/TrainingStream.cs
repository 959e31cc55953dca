using System.Collections;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using ForumPrefs.Core;
using ForumPrefs.Datasets;

namespace ForumPrefs.Training;

/// <summary>
/// What training will read from a split: which rows (by their position in the stream) it trains on, and what the
/// filters and the encoder left out. Memory is a bit a row, whatever the size of the split.
/// </summary>
/// <param name="Pairs">Rows trained on.</param>
/// <param name="Truncated">Of those, pairs cut to --max-length (their starts kept).</param>
public sealed record TrainingPlan(int Rows, int Pairs, int FilteredOut, int AnswersTooLong, int IdenticalAfterTruncation, int Truncated, BitArray Trained);

/// <summary>
/// Streams a training split from its Parquet files instead of holding it encoded in memory (SHP-2 has 4.8M pairs):
/// a first pass plans (filters, encodes to count, keeps one bit a row); each epoch then reads the files again, in a
/// seeded order through a shuffle buffer, and pairs are encoded batch by batch.
/// </summary>
public static class TrainingStream
{
    public static async Task<TrainingPlan> PlanAsync(string dataFolder, TrainConfig config, PairEncoder encoder, CancellationToken cancellationToken = default)
    {
        var capped = config.MaxPairsPerPost is { } cap ? await CapPerPostAsync(dataFolder, config, cap, cancellationToken) : null;
        var trained = new BitArray(1024);
        int rows = 0, pairs = 0, filtered = 0, tooLong = 0, identical = 0, truncated = 0;
        await foreach (var row in DatasetReader.ReadAsync(dataFolder, Split.Train, config.Forum, cancellationToken))
        {
            var ordinal = rows++;
            if (ordinal >= trained.Length)
                trained.Length *= 2;
            // --min-ratio 1 (the default) keeps every pair, including Stack Exchange pairs an accepted answer won with
            // fewer votes (their raw-score ratio is below 1).
            if ((config.MinRatio > 1 && row.ScoreRatio < config.MinRatio) || (capped is not null && !capped.Contains(ordinal)))
            {
                filtered++;
                continue;
            }
            var (outcome, _, _) = encoder.EncodePair(row.Prompt, row.Chosen, row.Rejected, config.LongPairs == LongPairs.Truncate);
            switch (outcome)
            {
                case PairEncoder.Outcome.AnswersTooLong: tooLong++; continue;
                case PairEncoder.Outcome.IdenticalAfterTruncation: identical++; continue;
                case PairEncoder.Outcome.Truncated: truncated++; break;
            }
            trained[ordinal] = true;
            pairs++;
        }
        trained.Length = rows;
        return new TrainingPlan(rows, pairs, filtered, tooLong, identical, truncated, trained);
    }

    /// <summary>
    /// The planned rows of one epoch in a seeded shuffled order: rows enter a buffer of <paramref name="buffer"/> pairs
    /// and leave from a random place in it, so memory is the buffer's, not the split's.
    /// </summary>
    public static async IAsyncEnumerable<DatasetRow> ShuffledAsync(string dataFolder, TrainConfig config, TrainingPlan plan, int epoch,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var random = new Random(config.Seed + epoch);
        var held = new List<DatasetRow>(Math.Min(config.ShuffleBuffer, plan.Pairs));
        var ordinal = 0;
        await foreach (var row in DatasetReader.ReadAsync(dataFolder, Split.Train, config.Forum, cancellationToken))
        {
            if (ordinal >= plan.Rows)
                throw new TrainingException($"'{dataFolder}' changed during training (more rows than the {plan.Rows:N0} planned)");
            if (!plan.Trained[ordinal++])
                continue;
            if (held.Count < config.ShuffleBuffer)
            {
                held.Add(row);
                continue;
            }
            var slot = random.Next(held.Count);
            yield return held[slot];
            held[slot] = row;
        }
        if (ordinal != plan.Rows)
            throw new TrainingException($"'{dataFolder}' changed during training ({ordinal:N0} rows, {plan.Rows:N0} planned)");
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(held));
        foreach (var row in held)
            yield return row;
    }

    /// <summary>--max-pairs-per-post: the row positions each post keeps (strongest ratio first, then a hash of the chosen text).</summary>
    private static async Task<HashSet<int>> CapPerPostAsync(string dataFolder, TrainConfig config, int cap, CancellationToken cancellationToken)
    {
        var byPost = new Dictionary<(string, string), List<(int Ordinal, double Ratio, ulong Tie)>>();
        var ordinal = 0;
        await foreach (var row in DatasetReader.ReadAsync(dataFolder, Split.Train, config.Forum, cancellationToken))
        {
            var at = ordinal++;
            if (config.MinRatio > 1 && row.ScoreRatio < config.MinRatio)
                continue;
            if (!byPost.TryGetValue((row.Domain, row.PostId), out var list))
                byPost[(row.Domain, row.PostId)] = list = [];
            list.Add((at, row.ScoreRatio, XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(row.Chosen))));
        }
        return [.. byPost.Values.SelectMany(list => list.OrderByDescending(r => r.Ratio).ThenBy(r => r.Tie).Take(cap).Select(r => r.Ordinal))];
    }
}
