using ForumPrefs.Core;
using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Sources.StackExchange;
using ForumPrefs.Store;
using System.Text.Json;

namespace ForumPrefs.Cli.Jobs;

/// <summary>
/// Turns a site's Votes.xml into vote timelines: every stored question and answer gets a sighting of score 0 when it
/// was written and one at the end of each day it won or lost votes (up − down so far), beside the dump's own final
/// score. Votes are summed per post and day in memory, so the file may list them in any order; the sightings are
/// written in batches and merge like any sighting, so a killed run simply runs again to the same result.
/// </summary>
internal static class StackExchangeVotesJob
{
    public const string Source = "stackexchange-votes";
    private const int Batch = 20_000;

    public sealed class FileState
    {
        public long Votes { get; set; }
        public long UpVotes { get; set; }
        public long DownVotes { get; set; }
        public long OtherTypes { get; set; }
        public long Sightings { get; set; }
        public bool Done { get; set; }
        public Dictionary<string, long> Skipped { get; set; } = [];
    }

    public sealed record FileResult(string File, FileState State, bool AlreadyDone);

    public static IReadOnlyList<FileResult> Run(ForumStore store, IReadOnlyList<string> files, string site, CancellationToken cancellationToken)
    {
        var forum = new Forum(SourceNames.StackExchange, new PostsXmlReader(site).Site);
        // Read the site's items only when a file is to be ingested (a re-run over finished files reads nothing).
        var items = new Lazy<Dictionary<string, ItemKey>>(() => store.ItemKeys(forum).ToDictionary(k => k.Id));
        var results = new List<FileResult>();
        foreach (var file in files)
        {
            var key = $"{DumpFileIdentity.Of(file).Head}|site={forum.Name}";
            if (store.GetCheckpoint(Source, key) is { } saved && JsonSerializer.Deserialize<FileState>(saved.State, JsonDefaults.SnakeCase) is { Done: true } done)
            {
                results.Add(new FileResult(file, done, true));
                continue;
            }
            results.Add(new FileResult(file, Ingest(store, forum, items.Value, file, key, cancellationToken), false));
        }
        return results;
    }

    private static FileState Ingest(ForumStore store, Forum forum, Dictionary<string, ItemKey> items, string file, string key,
        CancellationToken cancellationToken)
    {
        var state = new FileState();
        var reader = new VotesXmlReader();
        var net = new Dictionary<string, SortedDictionary<DateOnly, int>>();
        foreach (var vote in reader.Read(file))
        {
            state.Votes++;
            if (vote.Type is not (Vote.Up or Vote.Down))
            {
                state.OtherTypes++; // accepted marks, favourites, close votes...: no score change
                continue;
            }
            if (!items.ContainsKey(vote.PostId))
            {
                state.Skipped["post_not_stored"] = state.Skipped.GetValueOrDefault("post_not_stored") + 1;
                continue;
            }
            if (vote.Type == Vote.Up) state.UpVotes++; else state.DownVotes++;
            if (!net.TryGetValue(vote.PostId, out var days))
                net[vote.PostId] = days = [];
            days[vote.Day] = days.GetValueOrDefault(vote.Day) + (vote.Type == Vote.Up ? 1 : -1);
        }
        foreach (var (kind, count) in reader.Skipped)
            state.Skipped[kind] = count;

        var batch = new List<ScoreSighting>(Batch);
        void Flush(bool last)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Every sighting here is of a stored item, so all are kept; the last batch commits with the file's checkpoint.
            state.Sightings += batch.Count;
            store.WriteSightings(forum, batch,
                last ? new Checkpoint(Source, key, JsonSerializer.Serialize(state, JsonDefaults.SnakeCase), DateTimeOffset.UtcNow) : null);
            batch.Clear();
        }
        foreach (var item in items.Values)
        {
            batch.Add(new ScoreSighting(item.IsPost, item.PostId, item.Id, item.Created, 0));
            if (net.TryGetValue(item.Id, out var days))
            {
                var score = 0;
                foreach (var (day, change) in days)
                {
                    score += change;
                    var endOfDay = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    if (endOfDay > item.Created)
                        batch.Add(new ScoreSighting(item.IsPost, item.PostId, item.Id, endOfDay, score));
                }
            }
            if (batch.Count >= Batch)
                Flush(last: false);
        }
        state.Done = true;
        Flush(last: true);
        return state;
    }
}
