using ForumPrefs.Datasets;
using ForumPrefs.Tests.Support;
using Parquet.Serialization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForumPrefs.Tests.Datasets;

/// <summary>
/// Other tools' preference files, written here from real OpenAssistant pairs (a prompt, its rank-0 reply preferred over
/// its rank-1 reply; Samples/oasst): every layout and format must give the same pairs back.
/// </summary>
public sealed class PreferenceFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>(prompt, chosen, rejected) of every prompt or reply whose replies ranked 0 and 1 are there.</summary>
    public static List<(string Prompt, string Chosen, string Rejected)> RealPairs()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "Samples", "oasst", "en-validation.first5trees.jsonl");
        var messages = File.ReadAllLines(sample).Select(l => JsonNode.Parse(l)!).ToList();
        var text = messages.ToDictionary(m => (string)m["message_id"]!, m => (string)m["text"]!);
        return messages.Where(m => m["rank"] is JsonValue && (string?)m["parent_id"] is not null)
            .GroupBy(m => (string)m["parent_id"]!)
            .Select(g => (Parent: g.Key, Best: g.FirstOrDefault(m => (int)m["rank"]! == 0), Next: g.FirstOrDefault(m => (int)m["rank"]! == 1)))
            .Where(g => g.Best is not null && g.Next is not null && text.ContainsKey(g.Parent))
            .Select(g => (text[g.Parent], (string)g.Best!["text"]!, (string)g.Next!["text"]!)).ToList();
    }

    private string Lines(string name, IEnumerable<object> rows)
    {
        File.WriteAllLines(_folder.File(name), rows.Select(r => JsonSerializer.Serialize(r)));
        return _folder.File(name);
    }

    private sealed class TrlRow { public string prompt { get; set; } = ""; public string chosen { get; set; } = ""; public string rejected { get; set; } = ""; }
    private sealed class RewardBenchRow
    {
        public string prompt { get; set; } = ""; public string chosen { get; set; } = ""; public string rejected { get; set; } = "";
        public string subset { get; set; } = ""; public long id { get; set; }
    }
    private sealed class ShpRow
    {
        public string history { get; set; } = ""; public string human_ref_A { get; set; } = ""; public string human_ref_B { get; set; } = "";
        public long labels { get; set; }
    }

    private sealed class ConversationRow
    {
        public List<ChatMessage> prompt { get; set; } = []; public List<ChatMessage> chosen { get; set; } = []; public List<ChatMessage> rejected { get; set; } = [];
    }

    private static List<ChatMessage> Say(string role, string content) => [new ChatMessage { Role = role, Content = content }];

    private async Task<string> Parquet<T>(string name, IEnumerable<T> rows)
    {
        await ParquetSerializer.SerializeAsync(rows.ToList(), _folder.File(name));
        return _folder.File(name);
    }

    private static async Task<List<(string, string, string)>> Read(string path, PreferenceLayout expected)
    {
        var reader = new PreferenceFile();
        var rows = await reader.ReadAsync(path).Select(r => (r.Prompt, r.Chosen, r.Rejected)).ToListAsync();
        Assert.True(expected == reader.Layout, $"{path}: {reader.Layout}");
        Assert.True(reader.Skipped == 0, $"{path}: {reader.Skipped} skipped");
        return rows;
    }

    [Fact]
    public async Task Trl_rewardbench_and_shp_files_in_jsonl_and_parquet_give_the_same_real_pairs()
    {
        var pairs = RealPairs();
        Assert.True(pairs.Count >= 10, $"{pairs.Count} real pairs");
        static object Message(string role, string content) => new { role, content };

        var files = new List<(string Path, PreferenceLayout Layout)>
        {
            (Lines("trl.jsonl", pairs.Select(p => new { prompt = p.Prompt, chosen = p.Chosen, rejected = p.Rejected })), PreferenceLayout.Trl),
            (Lines("conversational.jsonl", pairs.Select(p => new
            {
                prompt = new[] { Message("user", p.Prompt) }, chosen = new[] { Message("assistant", p.Chosen) }, rejected = new[] { Message("assistant", p.Rejected) },
            })), PreferenceLayout.TrlConversational),
            (Lines("implicit.jsonl", pairs.Select(p => new
            {
                chosen = new[] { Message("user", p.Prompt), Message("assistant", p.Chosen) },
                rejected = new[] { Message("user", p.Prompt), Message("assistant", p.Rejected) },
            })), PreferenceLayout.TrlConversational),
            (Lines("rewardbench.jsonl", pairs.Select((p, i) => new { prompt = p.Prompt, chosen = p.Chosen, rejected = p.Rejected, subset = "oasst", id = i })),
                PreferenceLayout.RewardBench),
            // SHP's labels say which of A and B is preferred: half the rows put the preferred answer second.
            (Lines("shp.jsonl", pairs.Select((p, i) => new
            {
                history = p.Prompt, human_ref_A = i % 2 == 0 ? p.Chosen : p.Rejected, human_ref_B = i % 2 == 0 ? p.Rejected : p.Chosen, labels = i % 2 == 0 ? 1 : 0,
            })), PreferenceLayout.Shp),
            (await Parquet("trl.parquet", pairs.Select(p => new TrlRow { prompt = p.Prompt, chosen = p.Chosen, rejected = p.Rejected })), PreferenceLayout.Trl),
            (await Parquet("rewardbench.parquet", pairs.Select((p, i) => new RewardBenchRow
            {
                prompt = p.Prompt, chosen = p.Chosen, rejected = p.Rejected, subset = "oasst", id = i,
            })), PreferenceLayout.RewardBench),
            (await Parquet("conversational.parquet", pairs.Select(p => new ConversationRow
            {
                prompt = Say("user", p.Prompt), chosen = Say("assistant", p.Chosen), rejected = Say("assistant", p.Rejected),
            })), PreferenceLayout.TrlConversational),
            (await Parquet("shp.parquet", pairs.Select((p, i) => new ShpRow
            {
                history = p.Prompt, human_ref_A = i % 2 == 0 ? p.Chosen : p.Rejected, human_ref_B = i % 2 == 0 ? p.Rejected : p.Chosen, labels = i % 2 == 0 ? 1 : 0,
            })), PreferenceLayout.Shp),
        };

        foreach (var (path, layout) in files)
            Assert.Equal(pairs, await Read(path, layout));
    }

    [Fact]
    public async Task A_file_of_no_known_layout_is_one_line_naming_its_columns_and_bad_rows_are_counted()
    {
        var none = Lines("none.jsonl", [new { question = "q", answer = "a" }]);
        var mixed = Lines("mixed.jsonl", [new { prompt = "q", chosen = "a", rejected = "b" }, new { prompt = "q", chosen = 3, rejected = "b" }]);

        var error = await Assert.ThrowsAsync<DatasetException>(async () => await new PreferenceFile().ReadAsync(none).ToListAsync());
        var reader = new PreferenceFile();
        var rows = await reader.ReadAsync(mixed).ToListAsync();

        Assert.Contains("fits no preference layout", error.Message);
        Assert.Contains("answer, question", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Single(rows);
        Assert.Equal(1, reader.Skipped);
    }

    [Fact]
    public void A_forumprefs_export_is_told_from_a_folder_of_other_files()
    {
        Directory.CreateDirectory(_folder.File("export"));
        File.WriteAllText(_folder.File($"export/{ExportFolder.MarkerName}"), "{}");
        Directory.CreateDirectory(_folder.File("theirs"));
        File.WriteAllText(_folder.File("theirs/b.parquet"), "");
        File.WriteAllText(_folder.File("theirs/a.jsonl"), "");
        File.WriteAllText(_folder.File("theirs/notes.txt"), "");

        Assert.Null(PreferenceFile.Files(_folder.File("export")));
        Assert.Equal([_folder.File("theirs/a.jsonl"), _folder.File("theirs/b.parquet")], PreferenceFile.Files(_folder.File("theirs")));
        Assert.Throws<DatasetException>(() => PreferenceFile.Files(_folder.File("nowhere")));
    }
}
