using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using ForumPrefs.Tests.Support;
using ForumPrefs.Training;
using ForumPrefs.Training.Pretrained;
using static TorchSharp.torch;

namespace ForumPrefs.Tests.Training;

/// <summary>Fine-tuning the imported MiniLM on a simulator export: the saved folder, its read-back, resume, eval and score.</summary>
[Collection(TrainingCollection.Name)]
public sealed class FineTuneTests(ImportedMiniLM minilm, SimulatedExport export) : IClassFixture<ImportedMiniLM>, IClassFixture<SimulatedExport>, IDisposable
{
    private readonly TempFolder _folder = new();

    private TrainConfig Config => new()
    {
        Base = minilm.Path, MaxLength = 64, BatchSize = 4, GradientAccumulation = 2, MaxSteps = 4, LearningRate = 1e-4,
        TrainTopLayers = 2, CheckpointEvery = 2,
    };

    [Fact]
    public async Task The_fine_tuned_model_is_a_Hugging_Face_folder_whose_weights_read_back_by_key_name_give_the_same_rewards()
    {
        var result = await Trainer.TrainAsync(Config, export.Data, _folder.File("model"), false, "cpu");
        var folder = _folder.File("model");

        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal("BertForSequenceClassification", (string)config["architectures"]![0]!);
        Assert.Single(config["id2label"]!.AsObject());
        Assert.True(File.Exists(Path.Combine(folder, "vocab.txt")) && File.Exists(Path.Combine(folder, "tokenizer_config.json")));
        Assert.Equal("pt", (string)SafetensorsHeader(Path.Combine(folder, "model.safetensors"))["__metadata__"]!["format"]!);
        Assert.Equal(4, result.State.Step);
        Assert.Equal(["classifier.weight", "classifier.bias"], result.BaseLoad!.Initialised);

        // Read back without ForumPrefs' loader: a model built from config.json, filled key by key from the file.
        var saved = TorchSharp.PyBridge.Safetensors.LoadStateDict(Path.Combine(folder, "model.safetensors"));
        Assert.Contains("classifier.weight", saved.Keys);
        Assert.Contains("bert.encoder.layer.5.output.LayerNorm.bias", saved.Keys);
        using var rebuilt = new BertReward(BaseConfig.Read(folder));
        var parameters = rebuilt.state_dict();
        Assert.Equal(parameters.Keys.Order(), saved.Keys.Order());
        using (no_grad())
            foreach (var (key, value) in saved)
                parameters[key].copy_(value);
        var inputs = new List<(string, string)> { ("Why is the sky blue?", "Sunlight scatters off air molecules, blue the most."), ("Why is the sky blue?", "no idea") };
        var (network, encoder, _) = Trainer.Load(folder, "cpu");
        using (network)
        {
            var expected = RewardScorer.Score(network.Model, encoder, inputs, CPU);
            var actual = RewardScorer.Score(rebuilt, encoder, inputs, CPU);
            Assert.Equal(expected, actual);
            Assert.NotEqual(expected[0], expected[1]);
        }

        // --train-top-layers 2: embeddings and layers 0–3 keep the base weights; the top layers and the head moved.
        var baseWeights = TorchSharp.PyBridge.Safetensors.LoadStateDict(Path.Combine(minilm.Path, "model.safetensors"));
        Assert.True(saved["bert.encoder.layer.3.output.dense.weight"].equal(baseWeights["encoder.layer.3.output.dense.weight"]).all().item<bool>());
        Assert.True(saved["bert.embeddings.word_embeddings.weight"].equal(baseWeights["embeddings.word_embeddings.weight"]).all().item<bool>());
        Assert.False(saved["bert.encoder.layer.5.output.dense.weight"].equal(baseWeights["encoder.layer.5.output.dense.weight"]).all().item<bool>());
    }

    [Fact]
    public async Task A_killed_fine_tuning_resumes_to_the_weights_of_an_uninterrupted_run()
    {
        await Trainer.TrainAsync(Config, export.Data, _folder.File("whole"), false, "cpu");
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Trainer.TrainAsync(Config, export.Data, _folder.File("split"), false, "cpu",
            p => { if (p.Step >= 2) stop.Cancel(); }, stop.Token));
        Assert.Equal(2, ModelFolder.ReadState(_folder.File("split"))!.Step);

        var resumed = await Trainer.TrainAsync(Config, export.Data, _folder.File("split"), true, "cpu");

        Assert.True(resumed.Resumed);
        var whole = TorchSharp.PyBridge.Safetensors.LoadStateDict(_folder.File("whole/model.safetensors"));
        var split = TorchSharp.PyBridge.Safetensors.LoadStateDict(_folder.File("split/model.safetensors"));
        Assert.All(whole.Keys, key => Assert.True(whole[key].equal(split[key]).all().item<bool>(), $"{key} differs after resume"));
    }

    [Fact]
    public async Task Eval_score_and_resume_work_on_a_fine_tuned_model_from_the_command_line()
    {
        await Trainer.TrainAsync(Config with { MaxSteps = 2 }, export.Data, _folder.File("model"), false, "cpu");
        var resumed = await Support.Cli.RunAsync(_folder.Path, "train", "--data", export.Data, "--out", "model", "--resume", "--max-steps", "3",
            "--max-length", "64", "--batch", "4", "--grad-accumulation", "2", "--train-top-layers", "2", "--lr", "1e-4", "--checkpoint-every", "2");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("trained base=minilm, max_length=64: 3 steps", resumed.Out);
        Assert.Matches(@"frozen layers \(4\): [1-9][0-9,]* distinct inputs computed once", resumed.Out); // the resumed step filled the cache

        var eval = await Support.Cli.RunAsync(_folder.Path, "eval", "--model", "model", "--data", export.Data, "--split", "validation");
        var score = await Support.Cli.RunAsync(_folder.Path, "score", "--model", "model", "--question", "Why is the sky blue?",
            "--answer", "Sunlight scatters off air molecules.", "--answer", "dunno");

        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Matches(@"validation: accuracy [0-9.]+ ?% on [0-9,]+ pairs", eval.Out);
        Assert.True(score.ExitCode == 0, score.Error);
        var rewards = score.Out.Trim().Split('\n').Select(line => double.Parse(line.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, rewards.Count);
        Assert.All(rewards, r => Assert.True(double.IsFinite(r)));
    }

    [Fact]
    public async Task Import_and_inspect_from_the_command_line_and_bad_base_folders_are_one_line_errors()
    {
        var import = await Support.Cli.RunAsync(_folder.Path, "models", "import-onnx", "--out", "minilm");
        var inspect = await Support.Cli.RunAsync(_folder.Path, "models", "inspect", "minilm");
        var again = await Support.Cli.RunAsync(_folder.Path, "models", "import-onnx", "--out", "minilm");
        Directory.CreateDirectory(_folder.File("empty"));
        var noConfig = await Support.Cli.RunAsync(_folder.Path, "train", "--base", "empty", "--data", export.Data, "--out", "m1");
        Directory.CreateDirectory(_folder.File("roberta"));
        File.WriteAllText(_folder.File("roberta/config.json"), """{"model_type": "roberta"}""");
        var unsupported = await Support.Cli.RunAsync(_folder.Path, "train", "--base", "roberta", "--data", export.Data, "--out", "m2");
        var tooLong = await Support.Cli.RunAsync(_folder.Path, "train", "--base", "minilm", "--data", export.Data, "--out", "m3", "--max-length", "1000");
        var intoTheBase = await Support.Cli.RunAsync(_folder.Path, "train", "--base", "minilm", "--data", export.Data, "--out", "minilm");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("6 layers, hidden 384, 12 heads", import.Out);
        Assert.Contains("22,713,601 parameters", inspect.Out);
        Assert.Contains("2 new (reward head: classifier.weight, classifier.bias)", inspect.Out);
        Assert.Equal((2, true), (again.ExitCode, again.Error.Contains("already holds a model")));
        Assert.Equal((1, true), (noConfig.ExitCode, noConfig.Error.Contains("config.json is missing")));
        Assert.Equal((1, true), (unsupported.ExitCode, unsupported.Error.Contains("model_type 'roberta' is not supported")));
        Assert.Equal((1, true), (tooLong.ExitCode, tooLong.Error.Contains("exceeds the 512 positions")));
        Assert.Equal((1, true), (intoTheBase.ExitCode, intoTheBase.Error.Contains("holds a Hugging Face model")));
        Assert.True(File.Exists(_folder.File("minilm/model.safetensors")) && !File.Exists(_folder.File("minilm/forumprefs.json")), "the base is untouched");
        foreach (var failed in new[] { again, noConfig, unsupported, tooLong, intoTheBase })
            Assert.Single(failed.Error.Trim().Split('\n'));
    }

    private static JsonObject SafetensorsHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadInt64LittleEndian(bytes);
        return (JsonObject)JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!;
    }

    public void Dispose() => _folder.Dispose();
}
