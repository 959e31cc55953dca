using ForumPrefs.Core;
using ForumPrefs.Sources.StackExchange;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.StackExchange;

/// <summary>
/// Turns a site's Votes.xml into vote timelines: every stored question and answer gets a sighting of score 0 when it
/// was written and one at the end of each day it won or lost votes (up − down so far), beside the dump's own final
/// score. Votes are summed per post and day in memory, so the file may list them in any order; the sightings are
/// written in batches and merge like any sighting, so a killed run simply runs again to the same result.
/// </summary>
public static class StackExchangeVotesIngest
{
    public const string Source = "stackexchange-votes";
    public const string PostNotStored = "post_not_stored";
    private const int Batch = 20_000;

    public sealed class FileState : IngestState
    {
        public long Votes { get; set; }
        public long UpVotes { get; set; }
        public long DownVotes { get; set; }
        public long OtherTypes { get; set; }
        public long Sightings { get; set; }
    }

    public static IReadOnlyList<FileResult<FileState>> Run(ForumStore store, IReadOnlyList<string> files, string site, IngestReporter reporter,
        CancellationToken cancellationToken)
    {
        var forum = new Forum(SourceNames.StackExchange, new PostsXmlReader(site).Site);
        // Read the site's items only when a file is to be ingested (a re-run over finished files reads nothing).
        var items = new Lazy<Dictionary<string, ItemKey>>(() => store.ItemKeys(forum).ToDictionary(k => k.Id));
        return CheckpointedFiles.Run<FileState>(store, Source, files, $"|site={forum.Name}", Batch, reporter, (batch, file) =>
        {
            // An unfinished file starts over: its sightings merge idempotently, and the votes are summed in one pass.
            batch.State = new FileState();
            Ingest(batch, forum, items.Value, file, cancellationToken);
        });
    }

    private static void Ingest(CheckpointedBatch<FileState> batch, Forum forum, Dictionary<string, ItemKey> items, string file,
        CancellationToken cancellationToken)
    {
        var state = batch.State;
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
                state.Skipped[PostNotStored] = state.Skipped.GetValueOrDefault(PostNotStored) + 1;
                continue;
            }
            if (vote.Type == Vote.Up) state.UpVotes++; else state.DownVotes++;
            if (!net.TryGetValue(vote.PostId, out var days))
                net[vote.PostId] = days = [];
            days[vote.Day] = days.GetValueOrDefault(vote.Day) + (vote.Type == Vote.Up ? 1 : -1);
        }
        foreach (var (kind, count) in reader.Skipped)
            state.Skipped[kind] = count;

        void Add(ScoreSighting sighting)
        {
            batch.Add(forum, sighting);
            state.Sightings++;
        }
        foreach (var item in items.Values)
        {
            Add(new ScoreSighting(item.IsPost, item.PostId, item.Id, item.Created, 0));
            if (net.TryGetValue(item.Id, out var days))
            {
                var score = 0;
                foreach (var (day, change) in days)
                {
                    score += change;
                    var endOfDay = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    if (endOfDay > item.Created)
                        Add(new ScoreSighting(item.IsPost, item.PostId, item.Id, endOfDay, score));
                }
            }
            if (batch.Full)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Intermediate batches carry an unfinished state: a resume starts the file over (see Run).
                batch.Commit();
            }
        }
        batch.Complete();
    }
}
