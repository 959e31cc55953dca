using System.Diagnostics;
using System.Globalization;
using ForumPrefs.Training;
using static TorchSharp.torch;

namespace ForumPrefs.Bench;

/// <summary>
/// Training speed for a fixed model and batch on the CPU: TorchSharp here, and the same model, batch, loss and
/// optimiser in PyTorch (Debian's python3-torch) timed in the same run as the reference.
/// </summary>
public static class TrainingBenchmark
{
    public sealed record Row(string Runtime, int Steps, double Seconds)
    {
        public double StepsPerSecond => Steps / Seconds;
    }

    public static readonly TrainConfig Config = new() { Layers = 2, Width = 128, Heads = 4, MaxLength = 64, BatchSize = 32, LearningRate = 3e-4 };
    private const int Vocabulary = 50257;

    public static Row TorchSharp(int steps, int threads)
    {
        random.manual_seed(0);
        set_num_threads(threads);
        using var model = new RewardModel(Vocabulary, Config);
        using var optimizer = optim.AdamW(model.parameters(), Config.LearningRate, weight_decay: 0.01);
        var ids = randint(0, Vocabulary, [2 * Config.BatchSize, Config.MaxLength]);
        var padding = zeros([2 * Config.BatchSize, Config.MaxLength], ScalarType.Bool);
        void Step()
        {
            using var scope = NewDisposeScope();
            model.train();
            var rewards = model.forward(ids, padding);
            var loss = -nn.functional.logsigmoid(rewards[..Config.BatchSize] - rewards[Config.BatchSize..]).mean();
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
        }
        for (var i = 0; i < 3; i++)
            Step(); // warm-up
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
            Step();
        return new Row("TorchSharp 0.107 (LibTorch 2.10), C#", steps, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The same step in PyTorch (References/train_reward_model.py); null, with the reason, when it cannot run here.</summary>
    public static Row? PyTorch(int steps, int threads, out string? problem)
    {
        try
        {
            var script = PythonReference.Script("train_reward_model.py", ("torch", "python3-torch (Debian) or: pip install torch"));
            var start = new ProcessStartInfo(PythonReference.Python, [script, steps.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture)])
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
            var fields = output.Trim().Split(' ');
            problem = null;
            return new Row($"PyTorch {fields[1]}, Python (reference)", steps, double.Parse(fields[0], CultureInfo.InvariantCulture));
        }
        catch (BenchException ex)
        {
            problem = ex.Message;
            return null;
        }
    }
}
