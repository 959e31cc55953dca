using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>Rewards for question–answer pairs from a saved model, a batch at a time.</summary>
public static class RewardScorer
{
    public static IReadOnlyList<float> Score(nn.Module<Tensor, Tensor, Tensor> model, PairEncoder encoder,
        IReadOnlyList<(string Question, string Answer)> inputs, Device device, int batchSize = 64)
    {
        var rewards = new List<float>(inputs.Count);
        foreach (var batch in inputs.Chunk(batchSize))
            rewards.AddRange(ScoreBatch(model, encoder, batch, device));
        return rewards;
    }

    /// <summary>
    /// Streams: inputs are read, scored and handed back a batch at a time, in their order, so memory is one batch's
    /// whatever the file's size.
    /// </summary>
    public static async IAsyncEnumerable<(T Item, float Reward)> ScoreAsync<T>(nn.Module<Tensor, Tensor, Tensor> model, PairEncoder encoder,
        IAsyncEnumerable<T> items, Func<T, (string Question, string Answer)> text, Device device, int batchSize = 64,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in items.Chunk(batchSize).WithCancellation(cancellationToken))
        {
            var rewards = ScoreBatch(model, encoder, batch.Select(text).ToList(), device);
            for (var i = 0; i < batch.Length; i++)
                yield return (batch[i], rewards[i]);
        }
    }

    private static float[] ScoreBatch(nn.Module<Tensor, Tensor, Tensor> model, PairEncoder encoder,
        IReadOnlyList<(string Question, string Answer)> batch, Device device)
    {
        model.eval();
        using var grad = no_grad();
        using var scope = NewDisposeScope();
        var (ids, padding) = Batches.Pad(batch.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(), device);
        return model.forward(ids, padding).cpu().data<float>().ToArray();
    }
}
