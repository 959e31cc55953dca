using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;

namespace ForumPrefs.Training;

/// <summary>
/// Where a step's training stands: saved with each checkpoint so --resume continues from it exactly — the step (the
/// data order is a function of seed and epoch), the random generator's state (dropout) and the curve's running sums.
/// </summary>
public sealed record TrainingState(int Step, int TotalSteps, IReadOnlyList<CurvePoint> Curve, string? Generator = null,
    double LossSum = 0, double RightSum = 0, int Seen = 0);

public sealed record CurvePoint(int Step, double Loss, double Accuracy, double LearningRate);

/// <summary>
/// A model folder: config.json (the architecture and tokenizer), model.bin (weights), optimizer.bin and state.json
/// (for --resume). Files are written under temporary names and moved into place, so a kill never leaves a torn checkpoint.
/// </summary>
public static class ModelFolder
{
    private static readonly JsonSerializerOptions Json = Core.JsonDefaults.SnakeCaseIndented;

    public static void Save(string folder, TrainConfig config, RewardModel model, AdamW? optimizer, TrainingState state)
    {
        Directory.CreateDirectory(folder);
        Write(Path.Combine(folder, "config.json"), path => File.WriteAllText(path, JsonSerializer.Serialize(config, Json)));
        Write(Path.Combine(folder, "model.bin"), path => model.save(path));
        if (optimizer is not null)
            Write(Path.Combine(folder, "optimizer.bin"), path => optimizer.save_state_dict(path));
        Write(Path.Combine(folder, "state.json"), path => File.WriteAllText(path, JsonSerializer.Serialize(state, Json)));
    }

    public static TrainConfig ReadConfig(string folder)
    {
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
            throw new TrainingException($"no model at '{folder}' (config.json is missing)");
        return JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), Json) ?? throw new TrainingException($"'{path}' is empty");
    }

    public static TrainingState? ReadState(string folder)
    {
        var path = Path.Combine(folder, "state.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Loads weights saved by a model of this configuration; other weights give a clear error.</summary>
    public static void LoadWeights(string folder, RewardModel model)
    {
        var path = Path.Combine(folder, "model.bin");
        if (!File.Exists(path))
            throw new TrainingException($"no weights at '{path}'");
        try
        {
            model.load(path);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw new TrainingException($"the weights in '{folder}' do not fit its config.json ({ex.Message.Split('\n')[0]})");
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
