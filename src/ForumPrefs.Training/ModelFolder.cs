using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using ForumPrefs.Training.Pretrained;

namespace ForumPrefs.Training;

/// <summary>
/// Where a step's training stands: saved with each checkpoint so --resume continues from it exactly — the step (the
/// data order is a function of seed and epoch), the random generator's state (dropout) and the curve's running sums.
/// </summary>
public sealed record TrainingState(int Step, int TotalSteps, IReadOnlyList<CurvePoint> Curve, string? Generator = null,
    double LossSum = 0, double RightSum = 0, int Seen = 0);

public sealed record CurvePoint(int Step, double Loss, double Accuracy, double LearningRate);

/// <summary>
/// A model folder: forumprefs.json (how it was trained: architecture, tokenizer, options), the weights — model.bin for
/// the from-scratch model, a Hugging Face folder (config.json, model.safetensors, tokenizer files) for a fine-tuned
/// pretrained one — and optimizer.bin and state.json for --resume. Files are written under temporary names and moved
/// into place, so a kill never leaves a torn checkpoint.
/// </summary>
public static class ModelFolder
{
    public const string Metadata = "forumprefs.json";
    /// <summary>Where folders written before pretrained models kept their <see cref="TrainConfig"/>.</summary>
    private const string LegacyMetadata = "config.json";
    private const string ScratchWeights = "model.bin";

    private static readonly JsonSerializerOptions Json = Core.JsonDefaults.SnakeCaseIndented;

    /// <summary>Whether <paramref name="folder"/> already holds a trained model.</summary>
    public static bool HoldsModel(string folder) =>
        File.Exists(Path.Combine(folder, Metadata)) || File.Exists(Path.Combine(folder, ScratchWeights));

    /// <param name="tokenizerSource">The folder a pretrained model's tokenizer files come from (its base).</param>
    public static void Save(string folder, TrainConfig config, RewardNetwork network, AdamW? optimizer, TrainingState state, string? tokenizerSource = null)
    {
        Directory.CreateDirectory(folder);
        if (network.Pretrained is null)
            Write(Path.Combine(folder, ScratchWeights), path => network.Model.save(path));
        else
            HuggingFaceFolder.Save(folder, network, tokenizerSource ?? folder, Write);
        Write(Path.Combine(folder, Metadata), path => File.WriteAllText(path, JsonSerializer.Serialize(config with { InputLayout = network.Input.Layout }, Json)));
        if (optimizer is not null)
            Write(Path.Combine(folder, "optimizer.bin"), path => optimizer.save_state_dict(path));
        Write(Path.Combine(folder, "state.json"), path => File.WriteAllText(path, JsonSerializer.Serialize(state, Json)));
    }

    public static TrainConfig ReadConfig(string folder)
    {
        var path = Path.Combine(folder, Metadata);
        if (!File.Exists(path) && File.Exists(Path.Combine(folder, ScratchWeights)))
            path = Path.Combine(folder, LegacyMetadata);
        if (!File.Exists(path))
            throw new TrainingException($"no ForumPrefs model at '{folder}' ({Metadata} is missing)");
        return JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), Json) ?? throw new TrainingException($"'{path}' is empty");
    }

    /// <summary>The network a model folder holds, its weights loaded.</summary>
    public static RewardNetwork Load(string folder, TrainConfig config)
    {
        if (config.Base is not null)
            return RewardNetwork.FromHuggingFace(folder);
        var network = RewardNetwork.Scratch(config);
        try
        {
            LoadWeights(folder, (RewardModel)network.Model);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    public static TrainingState? ReadState(string folder)
    {
        var path = Path.Combine(folder, "state.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Loads weights saved by a model of this configuration; other weights give a clear error.</summary>
    private static void LoadWeights(string folder, RewardModel model)
    {
        var path = Path.Combine(folder, ScratchWeights);
        if (!File.Exists(path))
            throw new TrainingException($"no weights at '{path}'");
        try
        {
            model.load(path);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw new TrainingException($"the weights in '{folder}' do not fit its {Metadata} ({ex.Message.Split('\n')[0]})");
        }
    }

    public static void LoadOptimizer(string folder, AdamW optimizer)
    {
        var path = Path.Combine(folder, "optimizer.bin");
        if (File.Exists(path))
            optimizer.load_state_dict(path);
    }

    private static void Write(string path, Action<string> write)
    {
        var temporary = path + ".partial";
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
