using ForumPrefs.Training;
using ForumPrefs.Training.Pretrained;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs models</c>: prepare pretrained base models for <c>train --base</c>.</summary>
internal sealed class ModelsCommand : Command
{
    public ModelsCommand(CliIO io) : base("models", "Prepare pretrained base models for 'train --base'")
    {
        Subcommands.Add(new ImportOnnxCommand(io));
        Subcommands.Add(new InspectCommand(io));
    }

    /// <summary><c>models import-onnx</c>: a BERT ONNX export → a Hugging Face folder.</summary>
    private sealed class ImportOnnxCommand : Command
    {
        public ImportOnnxCommand(CliIO io) : base("import-onnx",
            $"Convert a BERT ONNX export into a Hugging Face folder; without --onnx, the packaged {PackagedMiniLM.Description}")
        {
            var output = new Option<string>("--out") { Description = "The Hugging Face folder to write (config.json, model.safetensors, vocab.txt)", HelpName = "FOLDER", Required = true };
            var onnx = new Option<string?>("--onnx") { Description = "A BERT-family model exported to ONNX (needs --vocab)", HelpName = "FILE" };
            var vocabulary = new Option<string?>("--vocab") { Description = "Its WordPiece vocab.txt", HelpName = "FILE" };
            var heads = new Option<int?>("--heads") { Description = "Attention heads, where the graph does not tell them" };
            Options.Add(output);
            Options.Add(onnx);
            Options.Add(vocabulary);
            Options.Add(heads);
            SetAction((parse, _) =>
            {
                var folder = io.Resolve(parse.GetValue(output)!);
                if (File.Exists(Path.Combine(folder, BaseConfig.FileName)))
                    throw new UsageException($"'{folder}' already holds a model (config.json); choose another --out");
                var (onnxPath, vocabularyPath) = (parse.GetValue(onnx), parse.GetValue(vocabulary));
                if ((onnxPath is null) != (vocabularyPath is null))
                    throw new UsageException("--onnx and --vocab go together");
                OnnxImportResult result;
                if (onnxPath is null)
                {
                    using var model = PackagedMiniLM.OpenOnnx();
                    using var vocab = PackagedMiniLM.OpenVocabulary();
                    result = OnnxBertImport.Convert(model, vocab, folder, PackagedMiniLM.Description, parse.GetValue(heads));
                }
                else
                {
                    using var model = OpenInput(io.Resolve(onnxPath));
                    using var vocab = OpenInput(io.Resolve(vocabularyPath!));
                    result = OnnxBertImport.Convert(model, vocab, folder, Path.GetFileName(onnxPath), parse.GetValue(heads));
                }
                io.Out.WriteLine($"wrote {folder}: {result.Config.Describe()}, {result.Weights} weights ({result.Transposed} projections named from their biases), " +
                    $"{(result.Lowercase ? "uncased" : "cased")} WordPiece vocabulary, LayerNorm ε {result.Config.LayerNormEps:G3} " +
                    $"({(result.EpsilonFromGraph ? "from the graph" : "not in the graph: BERT's default assumed")})");
                io.Out.WriteLine($"fine-tune it: forumprefs train --base {folder} --data DATASET --out MODEL");
                return Task.FromResult(ExitCodes.Done);
            });
        }

        private static FileStream OpenInput(string path) =>
            File.Exists(path) ? File.OpenRead(path) : throw new UsageException($"no such file: {path}");
    }

    /// <summary><c>models inspect</c>: what train --base would load from a folder.</summary>
    private sealed class InspectCommand : Command
    {
        public InspectCommand(CliIO io) : base("inspect", "Load a Hugging Face folder as 'train --base' would and say what it holds")
        {
            var folder = new Argument<string>("FOLDER") { Description = "A Hugging Face model folder" };
            Arguments.Add(folder);
            SetAction((parse, _) =>
            {
                var path = io.Resolve(parse.GetValue(folder)!);
                using var network = RewardNetwork.FromHuggingFace(path);
                var loaded = network.Loaded!;
                var parameters = network.Model.parameters().Sum(p => p.numel());
                io.Out.WriteLine($"{path}: {network.Pretrained!.Describe()}, {parameters:N0} parameters");
                io.Out.WriteLine($"input: {network.Input.Layout}");
                io.Out.WriteLine($"weights: {loaded.Loaded} loaded, {loaded.Initialised.Count} new (reward head{(loaded.Initialised.Count > 0 ? ": " + string.Join(", ", loaded.Initialised) : " present")}), " +
                    $"{loaded.Ignored.Count} ignored{(loaded.Ignored.Count > 0 ? " (" + string.Join(", ", loaded.Ignored.Take(4)) + (loaded.Ignored.Count > 4 ? ", …" : "") + ")" : "")}");
                return Task.FromResult(ExitCodes.Done);
            });
        }
    }
}
