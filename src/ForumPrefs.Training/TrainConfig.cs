namespace ForumPrefs.Training;

/// <summary>Everything that shapes a training run; saved with the model so eval, score and resume rebuild the same network.</summary>
public sealed record TrainConfig
{
    // Architecture (a model folder only loads with the same values).
    /// <summary>A Hugging Face checkpoint folder to fine-tune (BERT or GPT-2 family); null trains the small model from scratch.</summary>
    public string? Base { get; init; }
    public string Tokenizer { get; init; } = "gpt2";
    public int Layers { get; init; } = 2;
    public int Width { get; init; } = 128;
    public int Heads { get; init; } = 4;
    public int MaxLength { get; init; } = 128;
    public double Dropout { get; init; } = 0.1;

    // Optimisation.
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 3e-4;
    public double WeightDecay { get; init; } = 0.01;
    public double WarmupFraction { get; init; } = 0.05;
    public double ClipNorm { get; init; } = 1.0;
    public int Epochs { get; init; } = 1;
    public int? MaxSteps { get; init; }
    public int Seed { get; init; } = 42;
    /// <summary>TRL's margin: the loss is −log σ(r_chosen − r_rejected − scale·margin). 0 turns it off.</summary>
    public double MarginScale { get; init; }
    /// <summary>TRL's reward centering: adds coefficient · mean((r_chosen + r_rejected)²). 0 turns it off.</summary>
    public double CenterRewards { get; init; }
    public int CheckpointEvery { get; init; } = 200;
    /// <summary>Batches whose gradients are summed before each optimiser step (an effective batch of BatchSize × this).</summary>
    public int GradientAccumulation { get; init; } = 1;
    /// <summary>Pairs held to shuffle the training stream (the split itself is never held in memory).</summary>
    public int ShuffleBuffer { get; init; } = 20_000;
    /// <summary>
    /// Rows of this many steps are sorted by length together and cut into steps (handed out in a seeded random order),
    /// so a batch is padded to about its own length, not the longest of random rows. 1 turns it off.
    /// </summary>
    public int LengthBuckets { get; init; } = 50;
    /// <summary>With a base model: train only its top K layers (and pooler/head); null trains all.</summary>
    public int? TrainTopLayers { get; init; }
    /// <summary>
    /// With TrainTopLayers: memory for the frozen layers' outputs, kept per distinct input so each goes through them
    /// once (<see cref="FrozenLayerCache"/>). 0 turns it off.
    /// </summary>
    public int FrozenCacheMegabytes { get; init; } = 4096;

    /// <summary>How inputs are laid out (written when the model is saved, for users scoring it elsewhere).</summary>
    public string? InputLayout { get; init; }

    // Pairs longer than MaxLength.
    /// <summary>Truncate (default: the question's start and each answer's start, as TRL's reward trainer keeps starts) or skip them.</summary>
    public LongPairs LongPairs { get; init; } = LongPairs.Truncate;
    /// <summary>The share of the budget the question keeps when answers must be cut (answers get the rest).</summary>
    public double PromptShare { get; init; } = 0.25;

    // Data filters.
    public double MinRatio { get; init; } = 1;
    public int? MaxPairsPerPost { get; init; }
    public string? Forum { get; init; }

    public string Architecture => Base is null
        ? $"tokenizer={Tokenizer}, layers={Layers}, width={Width}, heads={Heads}, max_length={MaxLength}"
        : $"base={Path.GetFileName(Path.TrimEndingDirectorySeparator(Base))}, max_length={MaxLength}";

    public void Validate()
    {
        if (Layers < 1 || Width < 8 || Heads < 1 || Width % Heads != 0)
            throw new TrainingException($"--layers must be ≥ 1, --width ≥ 8 and a multiple of --heads (got layers {Layers}, width {Width}, heads {Heads})");
        if (MaxLength < 16)
            throw new TrainingException("--max-length must be at least 16 tokens");
        if (BatchSize < 1 || Epochs < 1 || LearningRate <= 0 || CheckpointEvery < 1 || GradientAccumulation < 1 || ShuffleBuffer < 1)
            throw new TrainingException("--batch, --epochs, --lr, --checkpoint-every, --grad-accumulation and --shuffle-buffer must be positive");
        if (WarmupFraction is < 0 or >= 1 || double.IsNaN(WarmupFraction))
            throw new TrainingException("--warmup must be at least 0 and below 1");
        if (LengthBuckets < 1)
            throw new TrainingException("--length-buckets must be at least 1 (1: no bucketing)");
        if (TrainTopLayers is < 0)
            throw new TrainingException("--train-top-layers must be 0 or more");
        if (FrozenCacheMegabytes < 0)
            throw new TrainingException("--frozen-cache-mb must be 0 or more (0: off)");
        if (TrainTopLayers is not null && Base is null)
            throw new TrainingException("--train-top-layers applies to a pretrained --base model");
        if (MinRatio < 1)
            throw new TrainingException("--min-ratio must be at least 1");
        if (PromptShare is < 0 or > 0.9 || double.IsNaN(PromptShare))
            throw new TrainingException("--prompt-share must be between 0 and 0.9");
    }
}

/// <summary>What training does with a pair longer than --max-length; evaluation always truncates.</summary>
public enum LongPairs
{
    Truncate,
    Skip,
}

/// <summary>A training problem a user can act on; one line.</summary>
public sealed class TrainingException(string message) : Exception(message);
