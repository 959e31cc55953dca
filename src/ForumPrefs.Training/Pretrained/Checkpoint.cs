using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ForumPrefs.Training.Pretrained;

/// <summary>What loading a checkpoint into a reward model did.</summary>
/// <param name="Loaded">Parameters taken from the checkpoint.</param>
/// <param name="Initialised">Head parameters the checkpoint did not have (a base model), initialised as Hugging Face does.</param>
/// <param name="Ignored">Checkpoint tensors the reward model has no place for (a language-model head, buffers).</param>
public sealed record CheckpointLoad(int Loaded, IReadOnlyList<string> Initialised, IReadOnlyList<string> Ignored);

/// <summary>
/// Reads a Hugging Face checkpoint's weights (<c>model.safetensors</c>, else <c>pytorch_model.bin</c>) by name into a
/// reward model. Checkpoints name the backbone with or without its prefix (<c>bert.</c>, <c>transformer.</c>) depending
/// on the class that saved them, so both are accepted; half-precision weights are widened to float32.
/// </summary>
public static class Checkpoint
{
    public const string Safetensors = "model.safetensors";
    public const string PyTorch = "pytorch_model.bin";

    public static string WeightsFile(string folder)
    {
        foreach (var name in new[] { Safetensors, PyTorch })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
                return path;
        }
        if (Directory.EnumerateFiles(folder, "model-*-of-*.safetensors").Any())
            throw new TrainingException($"'{folder}' holds a sharded checkpoint; merge it into one model.safetensors first");
        throw new TrainingException($"'{folder}' has no weights ({Safetensors} or {PyTorch})");
    }

    public static Dictionary<string, Tensor> Read(string path)
    {
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.Ordinal))
                return TorchSharp.PyBridge.Safetensors.LoadStateDict(path);
            var table = PyTorchUnpickler.UnpickleStateDict(path);
            return table.Cast<DictionaryEntry>().Where(e => e.Value is Tensor).ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
        }
        catch (Exception ex) when (ex is not TrainingException)
        {
            throw new TrainingException($"cannot read the weights in '{path}': {ex.Message.Split('\n')[0]}");
        }
    }

    /// <param name="backbone">The backbone's prefix in the reward model (bert, transformer).</param>
    /// <param name="head">The head's prefix (classifier, score): the only parameters a checkpoint may lack.</param>
    public static CheckpointLoad LoadInto(nn.Module model, IReadOnlyDictionary<string, Tensor> weights, string backbone, string head, string source)
    {
        var parameters = model.state_dict();
        var taken = new HashSet<string>();
        var ignored = new List<string>();
        using (no_grad())
        {
            foreach (var (stored, value) in weights)
            {
                // Checkpoints converted from TensorFlow (bert-base-uncased's pytorch_model.bin) name LayerNorm's
                // parameters gamma and beta; Hugging Face renames them on load, and so does this.
                var key = stored.Replace("LayerNorm.gamma", "LayerNorm.weight", StringComparison.Ordinal)
                    .Replace("LayerNorm.beta", "LayerNorm.bias", StringComparison.Ordinal);
                var name = parameters.ContainsKey(key) ? key : parameters.ContainsKey($"{backbone}.{key}") ? $"{backbone}.{key}" : null;
                if (name is null)
                {
                    ignored.Add(stored);
                    continue;
                }
                var target = parameters[name];
                if (!target.shape.SequenceEqual(value.shape))
                    throw new TrainingException($"'{source}': {key} has shape [{string.Join(", ", value.shape)}], the model expects [{string.Join(", ", target.shape)}] (does config.json match the weights?)");
                target.copy_(value.to_type(target.dtype));
                taken.Add(name);
            }
        }
        var missing = parameters.Keys.Where(k => !taken.Contains(k)).ToList();
        var missingBackbone = missing.Where(k => !k.StartsWith(head + ".", StringComparison.Ordinal)).ToList();
        if (missingBackbone.Count > 0)
            throw new TrainingException($"'{source}' lacks {missingBackbone.Count} of the model's weights ({string.Join(", ", missingBackbone.Take(3))}{(missingBackbone.Count > 3 ? ", …" : "")})");
        return new CheckpointLoad(taken.Count, missing, ignored);
    }
}
