using ForumPrefs.Cli.Output;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Training;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs train</c>: fit a reward model on an exported dataset (SHP or TRL Parquet).</summary>
internal sealed class TrainCommand : Command
{
    private readonly Option<string> _data = new("--data") { Description = "Exported dataset folder (shp or trl layout)", HelpName = "FOLDER", Required = true };
    private readonly Option<string> _out = new("--out") { Description = "Model folder", HelpName = "FOLDER", Required = true };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue the run in --out from its last checkpoint" };
    private readonly TrainingOptions _options = new();

    public TrainCommand(CliIO io) : base("train", "Train a transformer reward model (Bradley–Terry loss) with TorchSharp, then evaluate it")
    {
        Options.Add(_data);
        Options.Add(_out);
        Options.Add(_resume);
        _options.AddTo(this);
        SetAction(async (parse, cancellationToken) =>
        {
            var modelFolder = io.Resolve(parse.GetValue(_out)!);
            var resume = parse.GetValue(_resume);
            // A resumed fine-tune continues from the base it started with, given again or not.
            var savedBase = resume && ModelFolder.HoldsModel(modelFolder) ? ModelFolder.ReadConfig(modelFolder).Base : null;
            var result = await TrainJob.RunAsync(io, _options.Read(parse, io, savedBase), io.Resolve(parse.GetValue(_data)!), modelFolder,
                resume, _options.Device(parse), cancellationToken);
            var t = result.Train;
            if (t.BaseLoad is { } load)
                io.Out.WriteLine($"base {t.Config.Base}: {load.Loaded:N0} weights loaded, {load.Initialised.Count} new ({string.Join(", ", load.Initialised)}), " +
                    $"{load.Ignored.Count} of the checkpoint's tensors not used");
            io.Out.WriteLine($"trained {t.Config.Architecture}: {t.State.Step:N0} steps on {t.Train.Pairs:N0} pairs ({t.Device}, {t.PairsPerSecond:N1} pairs/s, " +
                $"peak memory {t.PeakMemoryBytes / 1048576:N0} MB{(t.Resumed ? ", resumed" : "")}); " +
                $"{t.Train.FilteredOut:N0} left out by --min-ratio/--max-pairs-per-post, " +
                $"{t.Train.Truncated:N0} truncated to --max-length, {t.Train.AnswersTooLong:N0} skipped as too long (--long-pairs skip), " +
                $"{t.Train.IdenticalAfterTruncation:N0} identical after truncation left out");
            if (t.FrozenCache is { } cache)
                io.Out.WriteLine($"frozen layers ({cache.FrozenLayers}): {cache.Computed:N0} distinct inputs computed once, {cache.Reused:N0} inputs reused them " +
                    $"({cache.ReusedShare:P0}), {cache.Bytes / 1048576:N0} MB kept" +
                    (cache.NotKept > 0 ? $"; {cache.NotKept:N0} computed after --frozen-cache-mb was full" : ""));
            TrainingOutput.Print(io, result.Evaluations);
            io.Out.WriteLine($"model, metrics.json, report.md and plots: {io.Resolve(parse.GetValue(_out)!)}");
            return ExitCodes.Done;
        });
    }
}

/// <summary>The model, optimisation and data-filter options of <c>train</c>, checked by <see cref="TrainConfig.Validate"/>.</summary>
internal sealed class TrainingOptions
{
    private readonly Option<string?> _forum = new("--forum") { Description = "Train on this forum only", HelpName = "NAME" };
    private readonly Option<string?> _base = new("--base") { Description = "Fine-tune this Hugging Face checkpoint folder (BERT/MiniLM or GPT-2: config.json, model.safetensors or pytorch_model.bin, tokenizer files) instead of training the small model from scratch; 'forumprefs models import-onnx' makes one offline", HelpName = "FOLDER" };
    private readonly Option<int?> _trainTop = new("--train-top-layers") { Description = "With --base: train only the top K layers (and pooler and head); the embeddings and lower layers stay frozen", HelpName = "K" };
    private readonly Option<int> _frozenCache = new("--frozen-cache-mb") { Description = "With --train-top-layers: memory for the frozen layers' outputs, kept per distinct input so each passes through them once (0: off)", HelpName = "MB", DefaultValueFactory = _ => new TrainConfig().FrozenCacheMegabytes };
    private readonly Option<int> _buckets = new("--length-buckets") { Description = "Sort this many steps' worth of shuffled pairs by length and cut them into steps, so batches pad to about their own length (1: off)", HelpName = "N", DefaultValueFactory = _ => new TrainConfig().LengthBuckets };
    private readonly Option<int> _accumulation = new("--grad-accumulation") { Description = "Batches whose gradients add up before each optimiser step (effective batch: --batch × N)", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _shuffleBuffer = new("--shuffle-buffer") { Description = "Pairs held to shuffle the training stream read from Parquet (memory grows with it, not with the dataset)", DefaultValueFactory = _ => 20_000 };
    private readonly Option<double> _warmup = new("--warmup") { Description = "Share of the steps spent warming the learning rate up", DefaultValueFactory = _ => 0.05 };
    private readonly Option<int> _layers = new("--layers") { Description = "Transformer layers (from scratch)", DefaultValueFactory = _ => 2 };
    private readonly Option<int> _width = new("--width") { Description = "Model width (from scratch)", DefaultValueFactory = _ => 128 };
    private readonly Option<int> _heads = new("--heads") { Description = "Attention heads (from scratch)", DefaultValueFactory = _ => 4 };
    private readonly Option<int> _maxLength = new("--max-length") { Description = "Tokens per input: the question is cut first, then answers (their starts kept)", DefaultValueFactory = _ => 128 };
    private readonly Option<string> _longPairs = new("--long-pairs") { Description = "Training pairs longer than --max-length: truncate or skip (evaluation always truncates, so every pair counts)", HelpName = "truncate|skip", DefaultValueFactory = _ => "truncate" };
    private readonly Option<double> _promptShare = new("--prompt-share") { Description = "When answers must be cut, the share of --max-length the question keeps", DefaultValueFactory = _ => 0.25 };
    private readonly Option<int> _batch = new("--batch") { Description = "Pairs per step", DefaultValueFactory = _ => 32 };
    private readonly Option<double?> _lr = new("--lr") { Description = "Peak learning rate (AdamW, warm-up then cosine); default 3e-4 from scratch, 3e-5 with --base" };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Passes over the data (SHP advises one)", DefaultValueFactory = _ => 1 };
    private readonly Option<int?> _maxSteps = new("--max-steps") { Description = "Stop after this many steps" };
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<double> _margin = new("--margin") { Description = "Scale of TRL's margin term (0 = off)", DefaultValueFactory = _ => 0 };
    private readonly Option<double> _center = new("--center-rewards") { Description = "TRL's reward-centering coefficient (0 = off)", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _checkpoint = new("--checkpoint-every") { Description = "Save a checkpoint every N steps", DefaultValueFactory = _ => 200 };
    private readonly Option<double> _minRatio = new("--min-ratio") { Description = "Train only on pairs with at least this score ratio", DefaultValueFactory = _ => 1 };
    private readonly Option<int?> _maxPairs = new("--max-pairs-per-post") { Description = "Train on at most N pairs per post (strongest ratio first)" };
    private readonly Option<string> _device = new("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _base, _trainTop, _frozenCache, _buckets, _accumulation, _warmup, _shuffleBuffer, _forum, _layers, _width, _heads, _maxLength, _batch, _lr, _epochs, _maxSteps, _seed, _margin, _center, _checkpoint, _minRatio, _maxPairs, _device, _longPairs, _promptShare })
            command.Options.Add(option);
    }

    public string Device(ParseResult parse) => parse.GetValue(_device)!;

    /// <param name="savedBase">The base of the model being resumed, used when --base is not given.</param>
    public TrainConfig Read(ParseResult parse, CliIO io, string? savedBase = null)
    {
        var baseFolder = parse.GetValue(_base) is { } folder ? io.Resolve(folder) : savedBase;
        var config = new TrainConfig
        {
            Base = baseFolder, TrainTopLayers = parse.GetValue(_trainTop), FrozenCacheMegabytes = parse.GetValue(_frozenCache), GradientAccumulation = parse.GetValue(_accumulation), LengthBuckets = parse.GetValue(_buckets),
            WarmupFraction = parse.GetValue(_warmup), ShuffleBuffer = parse.GetValue(_shuffleBuffer),
            Layers = parse.GetValue(_layers), Width = parse.GetValue(_width), Heads = parse.GetValue(_heads), MaxLength = parse.GetValue(_maxLength),
            BatchSize = parse.GetValue(_batch), Epochs = parse.GetValue(_epochs), CheckpointEvery = parse.GetValue(_checkpoint),
            LearningRate = parse.GetValue(_lr) ?? (baseFolder is null ? 3e-4 : 3e-5), MaxSteps = parse.GetValue(_maxSteps), Seed = parse.GetValue(_seed),
            MarginScale = parse.GetValue(_margin), CenterRewards = parse.GetValue(_center),
            MinRatio = parse.GetValue(_minRatio), MaxPairsPerPost = parse.GetValue(_maxPairs), Forum = parse.GetValue(_forum),
            LongPairs = parse.GetValue(_longPairs)!.ToLowerInvariant() switch
            {
                "truncate" => LongPairs.Truncate,
                "skip" => LongPairs.Skip,
                var other => throw new UsageException($"--long-pairs must be truncate or skip, not '{other}'"),
            },
            PromptShare = parse.GetValue(_promptShare),
        };
        try
        {
            config.Validate();
        }
        catch (TrainingException ex)
        {
            throw new UsageException(ex.Message);
        }
        return config;
    }
}
