using System.Diagnostics;
using System.Globalization;
using ForumPrefs.Training;
using static TorchSharp.torch;

namespace ForumPrefs.Bench;

/// <summary>
/// Training speed for fixed models and batches on the CPU — the small from-scratch model, and all-MiniLM-L6-v2
/// fine-tuned — in TorchSharp here and in PyTorch (Debian's python3-torch) timed in the same run as the reference;
/// and the peak memory of streamed training on two dataset sizes.
/// </summary>
public static class TrainingBenchmark
{
    public sealed record Row(string Model, string Runtime, int Steps, double Seconds, int PairsPerStep)
    {
        public double StepsPerSecond => Steps / Seconds;
        public double PairsPerSecond => StepsPerSecond * PairsPerStep;
    }

    public const string SmallModel = "from scratch: 2 layers, width 128, 64 tokens, batch 32";
    public const string MiniLM = "MiniLM (BERT 6 × 384) fine-tuned: 128 tokens, batch 8";
    private const int FineTuneBatch = 8, FineTuneLength = 128;

    public static readonly TrainConfig Config = new() { Layers = 2, Width = 128, Heads = 4, MaxLength = 64, BatchSize = 32, LearningRate = 3e-4 };
    private const int Vocabulary = 50257;

    public static Row TorchSharp(int steps, int threads)
    {
        random.manual_seed(0);
        set_num_threads(threads);
        using var model = new RewardModel(Vocabulary, Config);
        var seconds = TimeSteps(model, Config.LearningRate, Vocabulary, Config.BatchSize, Config.MaxLength, warmUp: 3, steps);
        return new Row(SmallModel, TorchSharpRuntime, steps, seconds, Config.BatchSize);
    }

    private const string TorchSharpRuntime = "TorchSharp 0.107 (LibTorch 2.10), C#";

    /// <summary>The same step in PyTorch (References/train_reward_model.py); null, with the reason, when it cannot run here.</summary>
    public static Row? PyTorch(int steps, int threads, out string? problem) =>
        Reference(SmallModel, "train_reward_model.py", [steps, threads], steps, Config.BatchSize, out problem);

    /// <summary>all-MiniLM-L6-v2 (a Hugging Face folder) fine-tuned as a reward model: BERT, pooled [CLS], one-label head.</summary>
    public static Row FineTune(string baseFolder, int steps, int threads)
    {
        random.manual_seed(0);
        set_num_threads(threads);
        using var network = RewardNetwork.FromHuggingFace(baseFolder);
        var seconds = TimeSteps(network.Model, 3e-5, network.Pretrained!.VocabSize, FineTuneBatch, FineTuneLength, warmUp: 2, steps);
        return new Row(MiniLM, TorchSharpRuntime, steps, seconds, FineTuneBatch);
    }

    /// <summary>
    /// Seconds for <paramref name="steps"/> training steps after <paramref name="warmUp"/> untimed ones: a fixed batch of
    /// random ids (from 1000 on, past the special tokens), Bradley–Terry loss, AdamW with clipping.
    /// </summary>
    private static double TimeSteps(nn.Module<Tensor, Tensor, Tensor> model, double learningRate, int vocabulary, int pairs, int length, int warmUp, int steps)
    {
        using var optimizer = optim.AdamW(model.parameters(), learningRate, weight_decay: 0.01);
        using var ids = randint(1000, vocabulary, [2 * pairs, length]);
        using var padding = zeros([2 * pairs, length], ScalarType.Bool);
        void Step()
        {
            using var scope = NewDisposeScope();
            model.train();
            var rewards = model.forward(ids, padding);
            var loss = -nn.functional.logsigmoid(rewards[..pairs] - rewards[pairs..]).mean();
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
        }
        for (var i = 0; i < warmUp; i++)
            Step();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
            Step();
        return clock.Elapsed.TotalSeconds;
    }

    public const string MiniLMRandom = "MiniLM fine-tuned, real lengths (≤ 128 tokens), shuffled batches of 8, each padded to its longest";
    public const string MiniLMBucketed = "MiniLM fine-tuned, the same pairs, length-bucketed batches of 8 (--length-buckets 50)";
    public const string MiniLMTopTwo = "MiniLM, the same bucketed batches, top 2 of 6 layers trained (--train-top-layers 2)";

    /// <summary>
    /// The lengths (in MiniLM tokens, question and answer as training encodes them) of the first pairs of a real
    /// preference file, in the seeded shuffled order training uses, cut into steps of 8 pairs: shuffled as they come,
    /// or sorted by length within windows of 50 steps as <see cref="LengthBuckets"/> does.
    /// </summary>
    public static async Task<(int[][] Random, int[][] Bucketed)> StepLengthsAsync(string baseFolder, string sample, int steps)
    {
        var pairs = (await EncodedSampleAsync(baseFolder, sample)).Select(p => p.Pair).ToList();
        new Random(0).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pairs));
        var take = pairs.Take(steps * FineTuneBatch).ToList();
        if (take.Count < steps * FineTuneBatch)
            throw new BenchException($"{sample} has {pairs.Count} usable pairs; --bucket-steps {steps} needs {steps * FineTuneBatch}");
        static int[] Lengths(IReadOnlyList<EncodedPair> step) => [.. step.Select(p => p.Chosen.Length), .. step.Select(p => p.Rejected.Length)];
        var random = take.Chunk(FineTuneBatch).Select(Lengths).ToArray();
        var bucketed = new List<int[]>();
        await foreach (var step in LengthBuckets.StepsAsync(take.ToAsyncEnumerable(), p => p, FineTuneBatch, 50, 0))
            bucketed.Add(Lengths(step));
        return (random, bucketed.ToArray());
    }

    /// <summary>The usable pairs of a preference file, in file order, encoded for MiniLM at 128 tokens as training encodes them.</summary>
    private static async Task<List<(string PostId, EncodedPair Pair)>> EncodedSampleAsync(string baseFolder, string sample)
    {
        using var network = RewardNetwork.FromHuggingFace(baseFolder);
        var encoder = new PairEncoder(network.Input, FineTuneLength);
        var pairs = new List<(string, EncodedPair)>();
        await foreach (var row in new ForumPrefs.Datasets.PreferenceFile().ReadAsync(sample))
        {
            var (outcome, chosen, rejected) = encoder.EncodePair(row.Prompt, row.Chosen, row.Rejected);
            if (outcome is PairEncoder.Outcome.Kept or PairEncoder.Outcome.Truncated)
                pairs.Add((row.PostId, new EncodedPair(chosen, rejected, 1, 0, "", 0, 0)));
        }
        return pairs;
    }

    /// <summary>MiniLM fine-tuning over steps of the given sequence lengths: each batch padded to its longest, padding masked.</summary>
    /// <param name="top">Train only the top layers (and pooler and head), as --train-top-layers does; null trains all.</param>
    public static Row FineTuneLengths(string baseFolder, string model, int[][] steps, int threads, int? top = null)
    {
        random.manual_seed(0);
        set_num_threads(threads);
        using var network = RewardNetwork.FromHuggingFace(baseFolder);
        if (top is { } layers)
            network.FreezeAllButTop(layers);
        var vocabulary = network.Pretrained!.VocabSize;
        var trained = network.Model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(trained, 3e-5, weight_decay: 0.01);
        void Step(int[] lengths)
        {
            using var scope = NewDisposeScope();
            var longest = lengths.Max();
            var ids = randint(1000, vocabulary, [lengths.Length, longest]);
            var padding = arange(longest).unsqueeze(0) >= tensor(lengths).unsqueeze(1);
            network.Model.train();
            var rewards = network.Model.forward(ids, padding);
            var pairs = lengths.Length / 2;
            var loss = -nn.functional.logsigmoid(rewards[..pairs] - rewards[pairs..]).mean();
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(trained, 1.0);
            optimizer.step();
        }
        Step(steps[0]);
        var clock = Stopwatch.StartNew();
        foreach (var lengths in steps)
            Step(lengths);
        return new Row(model, TorchSharpRuntime, steps.Length, clock.Elapsed.TotalSeconds, FineTuneBatch);
    }

    public const string MiniLMRealIds = "MiniLM, top 2 of 6 layers trained, bucketed real pairs of whole posts (real token ids)";
    public const string MiniLMCachedFirst = "the same, frozen layers' outputs kept (--frozen-cache-mb): first epoch";
    public const string MiniLMCachedLater = "the same, frozen layers' outputs kept: a later epoch";

    /// <summary>
    /// Every pair of randomly drawn whole posts of the sample (so an answer comes back as often as it does in the
    /// file), shuffled and length-bucketed as training does, as steps of 8 pairs (the 8 chosen inputs, then the 8
    /// rejected). Also: the share of inputs that repeat an earlier one, in these steps and in the whole file.
    /// </summary>
    public static async Task<(int[][][] Steps, double StepsRepeat, double FileRepeat)> PostStepsAsync(string baseFolder, string sample, int pairs)
    {
        var posts = (await EncodedSampleAsync(baseFolder, sample)).GroupBy(p => p.PostId).ToDictionary(g => g.Key, g => g.Select(p => p.Pair).ToList());
        var order = posts.Keys.Order(StringComparer.Ordinal).ToArray();
        new Random(0).Shuffle(order);
        var take = new List<EncodedPair>();
        foreach (var post in order.TakeWhile(_ => take.Count < pairs))
            take.AddRange(posts[post]);
        if (take.Count < pairs)
            throw new BenchException($"{sample} has {take.Count} usable pairs; --cache-pairs {pairs} needs that many");
        take = take.Take(pairs / FineTuneBatch * FineTuneBatch).ToList();
        new Random(0).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(take));
        var steps = new List<int[][]>();
        await foreach (var step in LengthBuckets.StepsAsync(take.ToAsyncEnumerable(), p => p, FineTuneBatch, 50, 0))
            steps.Add([.. step.Select(p => p.Chosen), .. step.Select(p => p.Rejected)]);
        static double Repeat(IEnumerable<int[]> inputs)
        {
            var all = inputs.Select(i => string.Join(',', i)).ToList();
            return 1 - (double)all.Distinct().Count() / all.Count;
        }
        return (steps.ToArray(), Repeat(steps.SelectMany(s => s)), Repeat(posts.Values.SelectMany(p => p).SelectMany(p => new[] { p.Chosen, p.Rejected })));
    }

    /// <summary>
    /// MiniLM with its top 2 layers trained over real steps: once without the frozen-layer cache, then with it for two
    /// epochs (the first fills it, the second only reads it); a row each.
    /// </summary>
    public static IReadOnlyList<Row> FineTuneCached(string baseFolder, int[][][] steps, int threads)
    {
        random.manual_seed(0);
        set_num_threads(threads);
        using var network = RewardNetwork.FromHuggingFace(baseFolder);
        network.FreezeAllButTop(2);
        var trained = network.Model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(trained, 3e-5, weight_decay: 0.01);
        using var cache = FrozenLayerCache.For(network.Model, network.Pretrained!.Layers - 2, 4096L << 20)!;
        void Step(int[][] inputs, bool cached)
        {
            using var scope = NewDisposeScope();
            var (ids, padding) = Batches.Pad(inputs, CPU);
            network.Model.train();
            var rewards = cached ? cache.Rewards(inputs, ids, padding) : network.Model.forward(ids, padding);
            var loss = -nn.functional.logsigmoid(rewards[..FineTuneBatch] - rewards[FineTuneBatch..]).mean();
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(trained, 1.0);
            optimizer.step();
        }
        Row Epoch(string model, bool cached)
        {
            var clock = Stopwatch.StartNew();
            foreach (var step in steps)
                Step(step, cached);
            return new Row(model, TorchSharpRuntime, steps.Length, clock.Elapsed.TotalSeconds, FineTuneBatch);
        }
        Step(steps[0], cached: false); // warm-up
        return [Epoch(MiniLMRealIds, false), Epoch(MiniLMCachedFirst, true), Epoch(MiniLMCachedLater, true)];
    }

    /// <summary>The same three runs in PyTorch (finetune_bert_cached.py, with the same cache): the steps' ids go in a file, one step a line.</summary>
    public static IReadOnlyList<Row> FineTuneCachedPyTorch(string baseFolder, int[][][] steps, int threads, string folder, out string? problem)
    {
        var file = Path.Combine(folder, "step-ids.txt");
        File.WriteAllLines(file, steps.Select(s => string.Join(';', s.Select(i => string.Join(' ', i)))));
        if (RunReference("finetune_bert_cached.py", [baseFolder, threads, FineTuneBatch, file, 2], out problem) is not { } fields)
            return [];
        var runtime = $"PyTorch {fields[^1]}, Python (reference)";
        return [.. new[] { MiniLMRealIds, MiniLMCachedFirst, MiniLMCachedLater }.Select((model, i) =>
            new Row(model, runtime, steps.Length, double.Parse(fields[i], CultureInfo.InvariantCulture), FineTuneBatch))];
    }

    /// <summary>The same steps in PyTorch: the lengths go to the script in a file, one step a line.</summary>
    public static Row? FineTuneLengthsPyTorch(string baseFolder, string model, int[][] steps, int threads, string folder, out string? problem, int? top = null)
    {
        var file = Path.Combine(folder, $"lengths-{steps.GetHashCode():x}.txt");
        File.WriteAllLines(file, steps.Select(s => string.Join(' ', s)));
        return Reference(model, "finetune_bert.py", [baseFolder, steps.Length, threads, FineTuneBatch, FineTuneLength, file, top ?? 0], steps.Length,
            FineTuneBatch, out problem);
    }

    /// <summary>The same fine-tuning step in PyTorch (References/finetune_bert.py, reading the same folder).</summary>
    public static Row? FineTunePyTorch(string baseFolder, int steps, int threads, out string? problem) =>
        Reference(MiniLM, "finetune_bert.py", [baseFolder, steps, threads, FineTuneBatch, FineTuneLength], steps, FineTuneBatch, out problem);

    private static Row? Reference(string model, string scriptName, object[] arguments, int steps, int pairsPerStep, out string? problem) =>
        RunReference(scriptName, arguments, out problem) is { } fields
            ? new Row(model, $"PyTorch {fields[1]}, Python (reference)", steps, double.Parse(fields[0], CultureInfo.InvariantCulture), pairsPerStep)
            : null;

    /// <summary>Runs a reference script; its printed fields (seconds…, then the torch version), or null with the reason.</summary>
    private static string[]? RunReference(string scriptName, object[] arguments, out string? problem)
    {
        try
        {
            var script = PythonReference.Script(scriptName, ("torch", "python3-torch (Debian) or: pip install torch"));
            var start = new ProcessStartInfo(PythonReference.Python, [script, .. arguments.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)!)])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                problem = error.Trim().Split('\n')[^1];
                return null;
            }
            problem = null;
            return output.Trim().Split(' ');
        }
        catch (BenchException ex)
        {
            problem = ex.Message;
            return null;
        }
    }
}
