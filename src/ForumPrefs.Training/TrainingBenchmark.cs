using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace ForumPrefs.Training;

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

    /// <summary>The same step in PyTorch; null when python3 with torch is not installed.</summary>
    public static Row? PyTorch(int steps, int threads, out string? problem)
    {
        var script = Path.Combine(Path.GetTempPath(), $"forumprefs-bench-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, Script.Replace("{STEPS}", steps.ToString(CultureInfo.InvariantCulture)).Replace("{THREADS}", threads.ToString(CultureInfo.InvariantCulture)));
        try
        {
            var start = new ProcessStartInfo("/usr/bin/python3", script) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                problem = error.Contains("No module named 'torch'") ? "python3-torch is not installed (apt-get install python3-torch)" : error.Trim().Split('\n')[^1];
                return null;
            }
            var fields = output.Trim().Split(' ');
            problem = null;
            return new Row($"PyTorch {fields[1]}, Python (reference)", steps, double.Parse(fields[0], CultureInfo.InvariantCulture));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            problem = "/usr/bin/python3 not found";
            return null;
        }
        finally
        {
            File.Delete(script);
        }
    }

    private const string Script = """
        import time, torch, torch.nn as nn, torch.nn.functional as F
        torch.manual_seed(0); torch.set_num_threads({THREADS})
        V, D, H, L, S, B = 50257, 128, 4, 2, 64, 32
        class RewardModel(nn.Module):
            def __init__(self):
                super().__init__()
                self.tokens = nn.Embedding(V, D); self.positions = nn.Embedding(S, D)
                self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, H, D * 4, 0.1), L)
                self.norm = nn.LayerNorm(D); self.head = nn.Linear(D, 1)
            def forward(self, ids, padding):
                x = self.tokens(ids) + self.positions(torch.arange(ids.shape[1])).unsqueeze(0)
                x = self.encoder(x.transpose(0, 1), src_key_padding_mask=padding).transpose(0, 1)
                keep = (~padding).unsqueeze(-1).float()
                return self.head((self.norm(x) * keep).sum(1) / keep.sum(1).clamp_min(1)).squeeze(-1)
        model = RewardModel(); optimizer = torch.optim.AdamW(model.parameters(), 3e-4, weight_decay=0.01)
        ids = torch.randint(0, V, (2 * B, S)); padding = torch.zeros(2 * B, S, dtype=torch.bool)
        def step():
            model.train(); r = model(ids, padding)
            loss = -F.logsigmoid(r[:B] - r[B:]).mean()
            optimizer.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); optimizer.step()
        for _ in range(3): step()
        start = time.perf_counter()
        for _ in range({STEPS}): step()
        print(time.perf_counter() - start, torch.__version__)
        """;
}
