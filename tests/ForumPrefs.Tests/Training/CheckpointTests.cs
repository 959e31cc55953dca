using System.Text.Json.Nodes;
using ForumPrefs.Training;
using ForumPrefs.Training.Pretrained;
using static TorchSharp.torch;

namespace ForumPrefs.Tests.Training;

/// <summary>Loading checkpoints by name, as the classes that save them name their keys.</summary>
public sealed class CheckpointTests
{
    private static readonly BaseConfig TinyBert = BaseConfig.Parse(new JsonObject
    {
        ["model_type"] = "bert", ["vocab_size"] = 30, ["hidden_size"] = 8, ["num_hidden_layers"] = 1, ["num_attention_heads"] = 2,
        ["intermediate_size"] = 16, ["max_position_embeddings"] = 16,
    }, "tiny");

    /// <summary>A BertModel checkpoint (no "bert." prefix) converted from TensorFlow (LayerNorm gamma/beta) with its pre-training head.</summary>
    private static Dictionary<string, Tensor> BaseCheckpoint(BertReward source) =>
        source.state_dict().Where(p => p.Key.StartsWith("bert.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["bert.".Length..].Replace("LayerNorm.weight", "LayerNorm.gamma", StringComparison.Ordinal)
                .Replace("LayerNorm.bias", "LayerNorm.beta", StringComparison.Ordinal), p => p.Value.detach().clone())
            .Append(new KeyValuePair<string, Tensor>("cls.predictions.bias", zeros(30))).ToDictionary();

    [Fact]
    public void A_base_checkpoint_loads_without_its_prefix_with_TensorFlow_names_and_its_head_is_new()
    {
        random.manual_seed(1);
        using var source = new BertReward(TinyBert);
        using var target = new BertReward(TinyBert);

        var load = Checkpoint.LoadInto(target, BaseCheckpoint(source), "bert", "classifier", "tiny");

        Assert.Equal(["classifier.weight", "classifier.bias"], load.Initialised);
        Assert.Equal(["cls.predictions.bias"], load.Ignored);
        Assert.Equal(source.state_dict().Count - 2, load.Loaded);
        var expected = source.state_dict();
        Assert.All(target.state_dict().Where(p => !p.Key.StartsWith("classifier", StringComparison.Ordinal)),
            p => Assert.True(p.Value.equal(expected[p.Key]).all().item<bool>(), p.Key));
    }

    [Fact]
    public void A_checkpoint_of_another_shape_or_missing_backbone_weights_is_a_clear_error()
    {
        using var source = new BertReward(TinyBert);
        using var target = new BertReward(TinyBert);
        var wrongShape = BaseCheckpoint(source);
        wrongShape["embeddings.word_embeddings.weight"] = zeros(31, 8);
        var missing = BaseCheckpoint(source);
        missing.Remove("encoder.layer.0.output.dense.weight");

        var shape = Assert.Throws<TrainingException>(() => Checkpoint.LoadInto(target, wrongShape, "bert", "classifier", "tiny"));
        var absent = Assert.Throws<TrainingException>(() => Checkpoint.LoadInto(target, missing, "bert", "classifier", "tiny"));

        Assert.Contains("embeddings.word_embeddings.weight has shape [31, 8], the model expects [30, 8]", shape.Message);
        Assert.Contains("lacks 1 of the model's weights (bert.encoder.layer.0.output.dense.weight)", absent.Message);
    }
}
