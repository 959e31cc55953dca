using ForumPrefs.Training.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>
/// A reward model ready to train or score: the network (rewards from [batch, length] ids and a padding mask) and the
/// input format it reads. Either the small from-scratch transformer or a Hugging Face checkpoint (BERT, GPT-2) with a
/// one-label head.
/// </summary>
public sealed class RewardNetwork : IDisposable
{
    private RewardNetwork(nn.Module<Tensor, Tensor, Tensor> model, InputFormat input, BaseConfig? pretrained, CheckpointLoad? loaded)
    {
        Model = model;
        Input = input;
        Pretrained = pretrained;
        Loaded = loaded;
    }

    public nn.Module<Tensor, Tensor, Tensor> Model { get; }
    public InputFormat Input { get; }
    /// <summary>The checkpoint's shape; null for the from-scratch model.</summary>
    public BaseConfig? Pretrained { get; }
    /// <summary>What loading the checkpoint took, initialised and ignored; null for the from-scratch model.</summary>
    public CheckpointLoad? Loaded { get; }

    public static RewardNetwork Scratch(TrainConfig config)
    {
        var input = InputFormat.Bundled(config.Tokenizer);
        return new RewardNetwork(new RewardModel(input.VocabularySize, config), input, null, null);
    }

    /// <summary>A Hugging Face folder: a base checkpoint (its head is initialised) or a reward model saved by ForumPrefs.</summary>
    public static RewardNetwork FromHuggingFace(string folder)
    {
        if (!Directory.Exists(folder))
            throw new TrainingException($"no model folder at '{folder}'");
        var config = BaseConfig.Read(folder);
        var path = Checkpoint.WeightsFile(folder);
        // The weights are read and the config checked against them before a model of the config's size is built.
        var weights = Checkpoint.Read(path);
        nn.Module<Tensor, Tensor, Tensor>? model = null;
        try
        {
            ConfigCheck.Against(config, weights.ToDictionary(w => w.Key, w => w.Value.shape), Path.Combine(folder, BaseConfig.FileName));
            var input = BaseTokenizer.Load(folder, config);
            model = config.Family switch
            {
                BaseFamily.Bert => new BertReward(config) { Bert = { SeparatorId = input.Separator[0] } },
                _ => new Gpt2Reward(config),
            };
            var (backbone, head) = Prefixes(config.Family);
            return new RewardNetwork(model, input, config, Checkpoint.LoadInto(model, weights, backbone, head, path));
        }
        catch
        {
            model?.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in weights.Values)
                tensor.Dispose();
        }
    }

    /// <summary>
    /// Trains only the top <paramref name="layers"/> transformer layers and what sits above them (pooler, final
    /// LayerNorm, head); the embeddings and lower layers keep the checkpoint's weights.
    /// </summary>
    public void FreezeAllButTop(int layers)
    {
        if (Pretrained is null)
            throw new TrainingException("--train-top-layers applies to a pretrained --base model");
        var (backbone, _) = Prefixes(Pretrained.Family);
        var layerPrefix = Pretrained.Family == BaseFamily.Bert ? $"{backbone}.encoder.layer." : $"{backbone}.h.";
        var embeddings = Pretrained.Family == BaseFamily.Bert ? [$"{backbone}.embeddings."] : new[] { $"{backbone}.wte.", $"{backbone}.wpe." };
        var firstTrained = Pretrained.Layers - layers;
        foreach (var (name, parameter) in Model.named_parameters())
        {
            var layer = name.StartsWith(layerPrefix, StringComparison.Ordinal) ? int.Parse(name[layerPrefix.Length..].Split('.')[0]) : (int?)null;
            if (embeddings.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || layer < firstTrained)
                parameter.requires_grad = false;
        }
    }

    internal static (string Backbone, string Head) Prefixes(BaseFamily family) =>
        family == BaseFamily.Bert ? ("bert", "classifier") : ("transformer", "score");

    public void Dispose() => Model.Dispose();
}
