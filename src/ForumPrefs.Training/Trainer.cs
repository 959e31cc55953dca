using ForumPrefs.Training.Pretrained;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForumPrefs.Training;

/// <summary>What a training run did.</summary>
/// <param name="PeakMemoryBytes">The process's peak resident memory (VmHWM on Linux) at the end of training.</param>
/// <param name="BaseLoad">With --base: what loading the checkpoint took, initialised and ignored.</param>
/// <param name="FrozenCache">With --train-top-layers: what keeping the frozen layers' outputs saved; null when nothing was kept.</param>
public sealed record TrainResult(TrainConfig Config, TrainingPlan Train, TrainingState State, bool Resumed, double PairsPerSecond, string Device,
    long PeakMemoryBytes, CheckpointLoad? BaseLoad, FrozenCacheUse? FrozenCache = null);

/// <summary>
/// Fits a reward model with the Bradley–Terry loss −log σ(r_chosen − r_rejected [− margin]) (plus TRL's optional reward
/// centering), AdamW with linear warm-up then cosine decay, gradient clipping and a fixed seed. Checkpoints every N
/// steps and at the end; --resume reloads the last one and replays the same batch order from the step it reached.
/// </summary>
public static class Trainer
{
    /// <summary>Reported after every step; loss and accuracy are means since the last point of the curve (every 10 steps).</summary>
    public sealed record Progress(int Step, int TotalSteps, double Loss, double Accuracy, double PairsPerSecond);

    public static async Task<TrainResult> TrainAsync(TrainConfig config, string dataFolder, string modelFolder, bool resume, string deviceChoice,
        Action<Progress>? progress = null, CancellationToken cancellationToken = default)
    {
        config.Validate();
        var device = DeviceChoice.Resolve(deviceChoice);
        TrainingState? saved = null;
        if (resume)
        {
            var previous = ModelFolder.ReadConfig(modelFolder);
            if (previous.Architecture != config.Architecture)
                throw new TrainingException($"'{modelFolder}' holds a model with {previous.Architecture}, not {config.Architecture}");
            saved = ModelFolder.ReadState(modelFolder);
        }
        else if (ModelFolder.HoldsModel(modelFolder))
        {
            throw new TrainingException($"'{modelFolder}' already holds a model: use --resume to continue it, or another --out");
        }
        else if (File.Exists(Path.Combine(modelFolder, BaseConfig.FileName)))
        {
            // A base checkpoint (or any Hugging Face folder) would be overwritten by the fine-tuned weights.
            throw new TrainingException($"'{modelFolder}' holds a Hugging Face model (config.json): choose another --out");
        }

        var generator = random.manual_seed(config.Seed); // before the network: new layers draw their initial weights from it
        torch.set_num_threads(Environment.ProcessorCount);
        using var network = saved is not null ? ModelFolder.Load(modelFolder, config)
            : config.Base is null ? RewardNetwork.Scratch(config) : RewardNetwork.FromHuggingFace(config.Base);
        if (network.Pretrained is { } shape)
        {
            if (config.MaxLength > shape.MaxPositions)
                throw new TrainingException($"--max-length {config.MaxLength} exceeds the {shape.MaxPositions} positions of '{config.Base}'");
            if (config.TrainTopLayers > shape.Layers)
                throw new TrainingException($"--train-top-layers {config.TrainTopLayers} exceeds the {shape.Layers} layers of '{config.Base}'");
        }
        if (config.TrainTopLayers is { } top)
            network.FreezeAllButTop(top);
        var model = network.Model;
        model.to(device);
        using var frozen = network.Pretrained is { } layers && config.TrainTopLayers is { } trainedLayers
            ? FrozenLayerCache.For(model, layers.Layers - trainedLayers, (long)config.FrozenCacheMegabytes << 20) : null;
        var encoder = new PairEncoder(network.Input, config.MaxLength, config.PromptShare);
        var train = await TrainingStream.PlanAsync(dataFolder, config, encoder, cancellationToken);
        if (train.Pairs == 0)
            throw new TrainingException($"no training pairs in '{dataFolder}'{(config.Forum is null ? "" : $" for forum {config.Forum}")} after filters ({train.Rows} rows read)");

        var pairsPerStep = config.BatchSize * config.GradientAccumulation;
        var batchesPerEpoch = (train.Pairs + pairsPerStep - 1) / pairsPerStep;
        var totalSteps = Math.Min(config.MaxSteps ?? int.MaxValue, batchesPerEpoch * config.Epochs);
        var trained = model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(trained, config.LearningRate, weight_decay: config.WeightDecay);
        if (saved is not null)
            ModelFolder.LoadOptimizer(modelFolder, optimizer);
        // Dropout draws from this generator: a resumed run continues its stream where the checkpoint left it
        // (restored after the model is built, whose initialisation draws from it too).
        if (saved?.Generator is { } stream)
            generator.set_state(tensor(Convert.FromBase64String(stream), dtype: ScalarType.Byte));

        var tokenizerSource = saved is null ? config.Base : modelFolder;
        var curve = saved?.Curve.ToList() ?? [];
        var step = saved?.Step ?? 0;
        // The running means of the learning curve continue too, so the curve matches an uninterrupted run.
        var (lossSum, rightSum, seen) = (saved?.LossSum ?? 0.0, saved?.RightSum ?? 0.0, saved?.Seen ?? 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long pairsDone = 0;
        for (var epoch = 0; step < totalSteps && epoch < config.Epochs; epoch++)
        {
            var b = -1;
            var shuffled = TrainingStream.ShuffledAsync(dataFolder, config, train, epoch, cancellationToken);
            await foreach (var batch in LengthBuckets.StepsAsync(shuffled, row => Encode(encoder, row, config), pairsPerStep, config.LengthBuckets,
                               config.Seed + epoch, cancellationToken))
            {
                if (++b >= batchesPerEpoch || step >= totalSteps)
                    break;
                if (epoch * batchesPerEpoch + b < step)
                    continue; // already trained before the checkpoint we resumed from
                cancellationToken.ThrowIfCancellationRequested();
                model.train();
                double loss = 0, right = 0;
                optimizer.zero_grad();
                // Gradient accumulation: each slice adds its share of the step's mean loss, then one optimiser step.
                foreach (var slice in batch.Chunk(config.BatchSize))
                {
                    using var scope = NewDisposeScope();
                    int[][] inputs = [.. slice.Select(p => p.Chosen), .. slice.Select(p => p.Rejected)];
                    var (ids, padding) = Batches.Pad(inputs, device);
                    var rewards = frozen is null ? model.forward(ids, padding) : frozen.Rewards(inputs, ids, padding);
                    var chosen = rewards[..slice.Length];
                    var rejected = rewards[slice.Length..];
                    var difference = chosen - rejected;
                    if (config.MarginScale != 0)
                        difference -= tensor(slice.Select(p => (float)(p.Margin * config.MarginScale)).ToArray(), device: device);
                    var objective = -nn.functional.logsigmoid(difference).mean();
                    if (config.CenterRewards != 0)
                        objective += config.CenterRewards * (chosen + rejected).pow(2).mean();
                    var share = (double)slice.Length / batch.Count;
                    (objective * share).backward();
                    loss += objective.item<float>() * share;
                    right += (chosen > rejected).sum().item<long>();
                }
                using (NewDisposeScope())
                {
                    nn.utils.clip_grad_norm_(trained, config.ClipNorm);
                    var rate = LearningRate(config, step, totalSteps);
                    foreach (var group in optimizer.ParamGroups)
                        group.LearningRate = rate;
                    optimizer.step();
                }
                step++;
                pairsDone += batch.Count;
                (lossSum, rightSum, seen) = (lossSum + loss * batch.Count, rightSum + right, seen + batch.Count);
                progress?.Invoke(new Progress(step, totalSteps, lossSum / seen, rightSum / seen, pairsDone / clock.Elapsed.TotalSeconds));
                if (step % 10 == 0 || step == totalSteps)
                {
                    curve.Add(new CurvePoint(step, lossSum / seen, rightSum / seen, LearningRate(config, step - 1, totalSteps)));
                    (lossSum, rightSum, seen) = (0, 0, 0);
                }
                if (step % config.CheckpointEvery == 0 && step < totalSteps)
                    ModelFolder.Save(modelFolder, config, network, optimizer,
                        new TrainingState(step, totalSteps, curve, Convert.ToBase64String(generator.get_state().data<byte>().ToArray()), lossSum, rightSum, seen), tokenizerSource);
            }
        }
        var state = new TrainingState(step, totalSteps, curve);
        var peak = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
        ModelFolder.Save(modelFolder, config, network, optimizer, state, tokenizerSource);
        return new TrainResult(config, train, state, saved is not null, pairsDone / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), device.type.ToString(), peak, saved is null ? network.Loaded : null,
            frozen?.Use);
    }

    /// <summary>A planned row as model inputs (the plan already left out the rows the encoder would skip).</summary>
    private static EncodedPair Encode(PairEncoder encoder, Datasets.DatasetRow row, TrainConfig config)
    {
        var (_, chosen, rejected) = encoder.EncodePair(row.Prompt, row.Chosen, row.Rejected, config.LongPairs == LongPairs.Truncate);
        return new EncodedPair(chosen, rejected, row.ScoreRatio, row.Margin, TrainingData.ForumOf(row.Domain), row.Chosen.Length, row.Rejected.Length);
    }

    /// <summary>Linear warm-up to the peak rate, then cosine decay to zero.</summary>
    public static double LearningRate(TrainConfig config, int step, int totalSteps)
    {
        var warmup = Math.Max(1, (int)(config.WarmupFraction * totalSteps));
        if (step < warmup)
            return config.LearningRate * (step + 1) / warmup;
        var progress = (double)(step - warmup) / Math.Max(1, totalSteps - warmup);
        return config.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
    }

    /// <summary>Loads a saved model for evaluation or scoring.</summary>
    public static (RewardNetwork Network, PairEncoder Encoder, TrainConfig Config) Load(string modelFolder, string deviceChoice)
    {
        var config = ModelFolder.ReadConfig(modelFolder);
        var network = ModelFolder.Load(modelFolder, config);
        network.Model.to(DeviceChoice.Resolve(deviceChoice));
        network.Model.eval();
        return (network, new PairEncoder(network.Input, config.MaxLength, config.PromptShare), config);
    }
}
