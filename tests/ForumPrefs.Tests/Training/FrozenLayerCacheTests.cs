using System.Text.Json.Nodes;
using ForumPrefs.Training;
using ForumPrefs.Training.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace ForumPrefs.Tests.Training;

/// <summary>
/// Keeping the frozen lower layers' outputs (<c>--train-top-layers</c>): the rewards and gradients are those of the
/// whole network, repeated inputs skip the frozen layers, and a full cache still gives the same rewards.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class FrozenLayerCacheTests
{
    // Dropout 0, so the cached path (whose frozen layers run without dropout) and the whole network compute the same thing.
    private static BaseConfig Bert(int layers) => BaseConfig.Parse(new JsonObject
    {
        ["model_type"] = "bert", ["vocab_size"] = 40, ["hidden_size"] = 16, ["num_hidden_layers"] = layers, ["num_attention_heads"] = 2,
        ["intermediate_size"] = 32, ["max_position_embeddings"] = 32, ["hidden_dropout_prob"] = 0.0, ["attention_probs_dropout_prob"] = 0.0,
    }, "tiny bert");

    private static BaseConfig Gpt2(int layers) => BaseConfig.Parse(new JsonObject
    {
        ["model_type"] = "gpt2", ["vocab_size"] = 40, ["n_embd"] = 16, ["n_layer"] = layers, ["n_head"] = 2, ["n_positions"] = 32,
        ["resid_pdrop"] = 0.0, ["attn_pdrop"] = 0.0, ["embd_pdrop"] = 0.0,
    }, "tiny gpt2");

    // Inputs of several lengths, one of them twice (an answer in two pairs of its post); 3 is BERT's [SEP] here.
    private static readonly int[][] Inputs = [[1, 5, 6, 3, 7, 8, 9, 3], [1, 5, 6, 3, 10, 3], [1, 5, 6, 3, 7, 8, 9, 3], [1, 11, 3, 12, 13, 14, 15, 16, 17, 3]];

    public static TheoryData<string> Families => ["bert", "gpt2"];

    [Theory]
    [MemberData(nameof(Families))]
    public void Rewards_and_gradients_through_the_cache_are_those_of_the_whole_network(string family)
    {
        random.manual_seed(3);
        using nn.Module<Tensor, Tensor, Tensor> model = family == "bert" ? new BertReward(Bert(3)) { Bert = { SeparatorId = 3 } } : new Gpt2Reward(Gpt2(3));
        using var cache = FrozenLayerCache.For(model, 2, 1 << 20)!;
        var (ids, padding) = Pad(Inputs);
        model.train();

        var whole = model.forward(ids, padding);
        var wholeGradient = Gradients(model, whole);
        var cached = cache.Rewards(Inputs, ids, padding);
        var cachedGradient = Gradients(model, cached);
        var again = cache.Rewards(Inputs, ids, padding);

        Assert.True(whole.allclose(cached, rtol: 1e-2, atol: 1e-3), $"{whole.str()} vs {cached.str()}");
        Assert.True(again.equal(cached).all().item<bool>()); // kept states, not recomputed ones
        // Only what sits above the frozen layers gets gradients through the cache (the top layer, pooler or final
        // LayerNorm, head), and they match the whole network's.
        static bool Frozen(string name) => name.Contains(".0.", StringComparison.Ordinal) || name.Contains(".1.", StringComparison.Ordinal) ||
            name.Contains("embeddings", StringComparison.Ordinal) || name.Contains(".wte.", StringComparison.Ordinal) || name.Contains(".wpe.", StringComparison.Ordinal);
        Assert.Equal(wholeGradient.Keys.Where(k => !Frozen(k)).Order(), cachedGradient.Keys.Order());
        Assert.Contains(cachedGradient.Keys, k => k.Contains(".2.", StringComparison.Ordinal));
        Assert.All(cachedGradient, g => Assert.True(g.Value.allclose(wholeGradient[g.Key], rtol: 5e-2, atol: 1e-3), g.Key));
        // Three distinct inputs went through the frozen layers once; the repeated one and the second call reused them.
        var use = cache.Use;
        Assert.Equal((2, 3L, 4L, 0L), (use.FrozenLayers, use.Computed, use.Reused, use.NotKept));
        Assert.Equal(2L * 16 * (8 + 6 + 10), use.Bytes); // 16-bit floats, each input's own length
    }

    [Fact]
    public void BERT_rewards_from_the_CLS_row_of_the_last_layer_alone_are_those_of_the_whole_last_layer()
    {
        random.manual_seed(5);
        using var model = new BertReward(Bert(2)) { Bert = { SeparatorId = 3 } };
        var (ids, padding) = Pad(Inputs);
        model.eval();
        using var disabled = no_grad();

        var rewards = model.forward(ids, padding); // the last layer computes [CLS]'s row only
        var (last, pooled) = model.Bert.Encode(ids, ~padding, BertModel.SegmentsAfterFirstSeparator(ids, 3)); // every row
        var classifierWeights = model.named_parameters().Where(p => p.name.StartsWith("classifier.", StringComparison.Ordinal)).ToDictionary(p => p.name, p => p.parameter);
        var expected = (pooled.matmul(classifierWeights["classifier.weight"].t()) + classifierWeights["classifier.bias"]).squeeze(-1);

        Assert.Equal([Inputs.Length, 10L, 16L], last.shape);
        Assert.True(rewards.allclose(expected, rtol: 1e-5, atol: 1e-6), $"{rewards.str()} vs {expected.str()}");
    }

    [Fact]
    public void A_full_cache_still_gives_every_reward_and_counts_what_it_could_not_keep()
    {
        random.manual_seed(3);
        using var model = new BertReward(Bert(2)) { Bert = { SeparatorId = 3 } };
        using var roomy = FrozenLayerCache.For(model, 1, 1 << 20)!;
        using var full = FrozenLayerCache.For(model, 1, 2 * 16 * 8)!; // room for the first input only
        var (ids, padding) = Pad(Inputs);
        model.eval();
        using var disabled = no_grad();

        var expected = roomy.Rewards(Inputs, ids, padding);
        var first = full.Rewards(Inputs, ids, padding);
        var afterFirst = full.Use;
        var second = full.Rewards(Inputs, ids, padding);

        Assert.True(first.equal(expected).all().item<bool>());
        Assert.True(second.equal(expected).all().item<bool>());
        Assert.False(model.training); // filling the cache left the model in the mode it found it in
        Assert.Equal((3L, 0L, 2L), (afterFirst.Computed, afterFirst.Reused, afterFirst.NotKept)); // 3 computed, the first (8 tokens) kept
        Assert.Equal((5L, 2L, 4L), (full.Use.Computed, full.Use.Reused, full.Use.NotKept)); // the 2 not kept were computed again
    }

    [Fact]
    public void Nothing_frozen_or_no_memory_means_no_cache()
    {
        using var model = new BertReward(Bert(2));
        Assert.Null(FrozenLayerCache.For(model, 0, 1 << 20));
        Assert.Null(FrozenLayerCache.For(model, 1, 0));
        Assert.Throws<TrainingException>(() => new TrainConfig { Base = "x", TrainTopLayers = 1, FrozenCacheMegabytes = -1 }.Validate());
    }

    private static Dictionary<string, Tensor> Gradients(nn.Module model, Tensor rewards)
    {
        model.zero_grad();
        (rewards * arange(1, rewards.shape[0] + 1)).sum().backward();
        return model.named_parameters().Where(p => p.parameter.grad is not null && p.parameter.grad.abs().sum().item<float>() > 0)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }

    private static (Tensor Ids, Tensor Padding) Pad(int[][] inputs)
    {
        var length = inputs.Max(i => i.Length);
        var ids = zeros([inputs.Length, length], ScalarType.Int64);
        var padding = ones([inputs.Length, length], ScalarType.Bool);
        for (var row = 0; row < inputs.Length; row++)
        {
            ids[row, ..inputs[row].Length] = tensor(inputs[row].Select(i => (long)i).ToArray());
            padding[row, ..inputs[row].Length] = false;
        }
        return (ids, padding);
    }
}
