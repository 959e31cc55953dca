using ForumPrefs.Datasets;
using ForumPrefs.Export;
using ForumPrefs.Training;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs score</c>: rewards for answers from a saved model.</summary>
internal sealed class ScoreCommand : Command
{
    public ScoreCommand(CliIO io) : base("score", "Score answers with a saved reward model (higher = preferred)")
    {
        var model = new Option<string>("--model") { Description = "Model folder", HelpName = "FOLDER", Required = true };
        var question = new Option<string?>("--question") { Description = "The question (post)" };
        var answers = new Option<string[]>("--answer") { Description = "An answer to score (repeat for several)", AllowMultipleArgumentsPerToken = false };
        var input = new Option<string?>("--input") { Description = "JSONL with question/answer fields, or an exported Parquet (scores chosen and rejected)", HelpName = "FILE" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        foreach (var option in new Option[] { model, question, answers, input, device })
            Options.Add(option);
        SetAction(async (parse, cancellationToken) =>
        {
            var q = parse.GetValue(question);
            var given = (parse.GetValue(answers) ?? [])
                .Select(answer => (q ?? throw new UsageException("--answer needs --question"), answer)).ToList();
            var file = parse.GetValue(input) is { } path ? io.Resolve(path) : null;
            if (file is not null && !File.Exists(file))
                throw new UsageException($"no such file: {file}");
            if (file is null && given.Count == 0)
                throw new UsageException("give --question and --answer, or --input FILE");
            // A first pass over a JSONL input finds a bad line before the model is loaded and before any reward is written.
            if (file is not null && !file.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
                await foreach (var _ in ReadInputAsync(file, cancellationToken)) { }
            var device_ = parse.GetValue(device)!;
            var (loaded, encoder, _) = Trainer.Load(io.Resolve(parse.GetValue(model)!), device_);
            using (loaded)
            {
                // Streamed, a batch at a time: a file of any size is scored in the memory of one batch.
                var rows = file is null ? given.ToAsyncEnumerable() : ReadInputAsync(file, cancellationToken).Concat(given.ToAsyncEnumerable());
                await foreach (var ((_, answer), reward) in RewardScorer.ScoreAsync(loaded.Model, encoder, rows, r => r, DeviceChoice.Resolve(device_),
                                   cancellationToken: cancellationToken))
                    io.Out.WriteLine($"{reward.ToString("F4", CultureInfo.InvariantCulture)}\t{Shorten(answer)}");
            }
            return ExitCodes.Done;
        });
    }

    /// <summary>The rows of a JSONL (question, answer) or of an exported Parquet (its chosen and rejected answers), read as they are scored.</summary>
    private static async IAsyncEnumerable<(string, string)> ReadInputAsync(string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            await foreach (var row in DatasetReader.ReadFileAsync(path, cancellationToken))
            {
                yield return (row.Prompt, row.Chosen);
                yield return (row.Prompt, row.Rejected);
            }
            yield break;
        }
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)).Where(x => x.l.Trim().Length > 0))
        {
            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new UsageException($"{path} line {number}: not a JSON object ({ex.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ')})");
            }
            using (json)
            {
                if (json.RootElement.ValueKind != JsonValueKind.Object
                    || !json.RootElement.TryGetProperty("question", out var q) || q.ValueKind != JsonValueKind.String
                    || !json.RootElement.TryGetProperty("answer", out var a) || a.ValueKind != JsonValueKind.String)
                    throw new UsageException($"{path} line {number}: needs \"question\" and \"answer\" text fields");
                yield return (q.GetString()!, a.GetString()!);
            }
        }
    }

    private static string Shorten(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 80 ? flat : flat[..77] + "...";
    }
}
