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
            var rows = new List<(string Question, string Answer)>();
            if (parse.GetValue(input) is { } file)
                rows.AddRange(await ReadInputAsync(io.Resolve(file), cancellationToken));
            var q = parse.GetValue(question);
            foreach (var answer in parse.GetValue(answers) ?? [])
                rows.Add((q ?? throw new UsageException("--answer needs --question"), answer));
            if (rows.Count == 0)
                throw new UsageException("give --question and --answer, or --input FILE");
            var device_ = parse.GetValue(device)!;
            var (loaded, encoder, _) = Trainer.Load(io.Resolve(parse.GetValue(model)!), device_);
            using (loaded)
            {
                var rewards = RewardScorer.Score(loaded.Model, encoder, rows, DeviceChoice.Resolve(device_));
                for (var i = 0; i < rows.Count; i++)
                    io.Out.WriteLine($"{rewards[i].ToString("F4", CultureInfo.InvariantCulture)}\t{Shorten(rows[i].Answer)}");
            }
            return ExitCodes.Done;
        });
    }

    private static async Task<List<(string, string)>> ReadInputAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new UsageException($"no such file: {path}");
        var rows = new List<(string, string)>();
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            await foreach (var row in DatasetReader.ReadFileAsync(path, cancellationToken))
            {
                rows.Add((row.Prompt, row.Chosen));
                rows.Add((row.Prompt, row.Rejected));
            }
            return rows;
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
                rows.Add((q.GetString()!, a.GetString()!));
            }
        }
        return rows;
    }

    private static string Shorten(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 80 ? flat : flat[..77] + "...";
    }
}
