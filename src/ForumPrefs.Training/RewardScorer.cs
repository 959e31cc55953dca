using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>Rewards for question–answer pairs from a saved model.</summary>
public static class RewardScorer
{
    public static IReadOnlyList<float> Score(TorchSharp.torch.nn.Module<Tensor, Tensor, Tensor> model, PairEncoder encoder, IReadOnlyList<(string Question, string Answer)> inputs, Device device, int batchSize = 64)
    {
        var rewards = new List<float>(inputs.Count);
        model.eval();
        using (no_grad())
        {
            for (var start = 0; start < inputs.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = inputs.Skip(start).Take(batchSize).Select(i => encoder.Encode(i.Question, i.Answer)).ToList();
                var (ids, padding) = Batches.Pad(batch, device);
                rewards.AddRange(model.forward(ids, padding).cpu().data<float>().ToArray());
            }
        }
        return rewards;
    }
}
