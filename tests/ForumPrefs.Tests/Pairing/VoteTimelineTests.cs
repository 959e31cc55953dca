using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Xml.Linq;

namespace ForumPrefs.Tests.Pairing;

/// <summary>Vote timelines end to end: the real beer site's Votes.xml, the simulator's known votes, export and run.</summary>
public sealed class VoteTimelineTests : IDisposable
{
    private const string Site = "stackexchange_dump/WafflesonFire_stackdump";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task IngestBeerAsync()
    {
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange", Fixtures.File($"{Site}/beer.Posts.xml"), "--site", "beer")).ExitCode);
        var votes = await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange-votes", Fixtures.File($"{Site}/beer.Votes.xml"), "--site", "beer", "--format", "csv");
        Assert.True(votes.ExitCode is 0 or 3, votes.Error);
    }

    [SkippableFact]
    public async Task Votes_xml_becomes_each_answer_s_score_by_day()
    {
        await IngestBeerAsync();
        // Independently: up minus down per post and day, from the file itself.
        var answers = XDocument.Load(Fixtures.File($"{Site}/beer.Posts.xml")).Root!.Elements("row")
            .Where(r => (string?)r.Attribute("PostTypeId") == "2").Select(r => (string)r.Attribute("Id")!).ToHashSet();
        var net = XDocument.Load(Fixtures.File($"{Site}/beer.Votes.xml")).Root!.Elements("row")
            .Where(r => (string?)r.Attribute("VoteTypeId") is "2" or "3" && answers.Contains((string)r.Attribute("PostId")!))
            .GroupBy(r => (string)r.Attribute("PostId")!)
            .ToDictionary(g => g.Key, g => g.Sum(r => (string?)r.Attribute("VoteTypeId") == "2" ? 1 : -1));

        using var store = ForumStore.Open(_folder.File("forumprefs.db"), create: false);
        var checkedAnswers = 0;
        foreach (var (id, total) in net.OrderBy(n => n.Key).Take(60))
        {
            // The last daily sighting before the dump's own (later) sighting is the running total of all votes.
            var lastDaily = Sql.Scalar(store, $"""
                SELECT h.score FROM score_history h JOIN comments c ON c.pk = h.item_pk
                WHERE h.item_kind = 'comment' AND c.id = '{id}' AND h.observed_utc < c.observed_utc ORDER BY h.observed_utc DESC LIMIT 1
                """);
            Assert.Equal(total, lastDaily);
            Assert.Equal(0, Sql.Scalar(store, $"SELECT first_score FROM comments WHERE id = '{id}'"));
            Assert.Equal(Sql.Scalar(store, $"SELECT created_utc FROM comments WHERE id = '{id}'"), Sql.Scalar(store, $"SELECT first_observed_utc FROM comments WHERE id = '{id}'"));
            checkedAnswers++;
        }
        Assert.Equal(60, checkedAnswers);

        // Finished files are not read again, and a run killed part-way simply runs again: sightings merge, so the
        // store ends the same.
        var before = store.Fingerprint().ToString();
        var again = await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange-votes", Fixtures.File($"{Site}/beer.Votes.xml"), "--site", "beer");
        Assert.Contains("already ingested", again.Out);
        using (var command = store.Connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM checkpoints WHERE source = 'stackexchange-votes'";
            command.ExecuteNonQuery();
        }
        var checkpointLess = store.Fingerprint().ToString();
        Assert.True((await Support.Cli.RunAsync(_folder.Path, "ingest", "stackexchange-votes", Fixtures.File($"{Site}/beer.Votes.xml"), "--site", "beer")).ExitCode is 0 or 3);
        Assert.Equal(before, store.Fingerprint().ToString());
        Assert.NotEqual(before, checkpointLess);
    }

    [SkippableFact]
    public async Task On_the_beer_site_the_window_policy_adds_pairs_and_agrees_where_both_build_one()
    {
        await IngestBeerAsync();
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--policy", "stackexchange", "--se-rule", "shp", "--min-score-age", "0")).ExitCode);

        var window = await Support.Cli.RunAsync(_folder.Path, "pairs", "--policy", "common-window");

        Assert.Equal(0, window.ExitCode);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"), create: false);
        var runs = PairRunWriter.List(store);
        var comparison = PairComparison.Of(store, runs.Single(r => r.Policy == "stackexchange"), runs.Single(r => r.Policy == "common-window"));
        Assert.True(comparison.PairsB > comparison.PairsA * 1.5, comparison.ToString());
        Assert.True(comparison.InBoth > 100 && comparison.Agreement > 0.95, comparison.ToString());
        Assert.Contains($"{comparison.OnlyB:N0} pairs only common-window has", window.Out);

        var export = await Support.Cli.RunAsync(_folder.Path, "export", "--policy", "common-window", "--out", "window");
        Assert.Equal(0, export.ExitCode);
        var rows = Duck.Query($"""
            SELECT count(*)::BIGINT, count(*) FILTER (WHERE (labels = 1 AND window_votes_A >= window_votes_B) OR (labels = 0 AND window_votes_B >= window_votes_A))::BIGINT,
                   min(window_seconds)::BIGINT
            FROM read_parquet('{Duck.Path(_folder.File("window/beer/*.parquet"))}')
            """).Rows.Single();
        Assert.Equal(comparison.PairsB, (long)rows[0]!);
        Assert.Equal((long)rows[0]!, (long)rows[1]!); // the preferred answer won the window
        Assert.True((long)rows[2]! >= 24 * 3600);
        // The window policy prefers earlier answers too: SHP's seconds_difference stays non-negative, those are empty.
        var seconds = Duck.Query($"""
            SELECT min(seconds_difference), count(*) FILTER (WHERE seconds_difference IS NULL)::BIGINT,
                   count(*) FILTER (WHERE created_difference_seconds < 0)::BIGINT
            FROM read_parquet('{Duck.Path(_folder.File("window/beer/*.parquet"))}')
            """).Rows.Single();
        Assert.True(Convert.ToDouble(seconds[0]) >= 0);
        Assert.True((long)seconds[1]! > 0);
        Assert.Equal((long)seconds[2]!, (long)seconds[1]!);
        // Every level of the rejection report adds up on real data, for both policies.
        foreach (var run in PairRunWriter.List(store))
        {
            var report = System.Text.Json.JsonSerializer.Deserialize<ForumPrefs.Pairing.RejectionReport>(run.Report, ForumPrefs.Pairing.PairingJob.Json)!;
            Assert.Equal(report.PostsSeen, report.PostsKept + report.Removed(ForumPrefs.Pairing.RuleLevel.Post));
            Assert.Equal(report.CommentsSeen, report.CommentsKept + report.Removed(ForumPrefs.Pairing.RuleLevel.Comment));
            Assert.Equal(report.CandidatePairs, report.PairsKept + report.Removed(ForumPrefs.Pairing.RuleLevel.Pair));
        }
        var card = File.ReadAllText(_folder.File("window/README.md"));
        Assert.Contains("`window_votes_A`", card);
        Assert.Contains("Compared with policy `stackexchange`", card);
        Assert.NotEmpty(Directory.GetFiles(_folder.File("window/plots"), "timeline_*.png"));
    }

    [Fact]
    public async Task On_the_simulator_both_policies_are_measured_against_the_hidden_quality()
    {
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "400", "--timeline-hours", "6")).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs", "--policy", "shp")).ExitCode);

        var window = await Support.Cli.RunAsync(_folder.Path, "pairs", "--policy", "common-window");

        Assert.Equal(0, window.ExitCode);
        Assert.Contains("by vote margin", window.Out);
        Assert.Matches(@"common-window\s+\d+\.\d%", window.Out);
        Assert.Contains("answer pairs in both", window.Out);
        // The ready query that splits the window pairs by who won and whether shp has them (README's figures).
        var split = await Support.Cli.RunAsync(_folder.Path, "query", "window_pairs_by_direction", "--format", "csv");
        Assert.True(split.ExitCode == 0, split.Error);
        var rows = split.Out.Trim().Split('\n').Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(Sql.ScalarAt(_folder.File("forumprefs.db"), "SELECT count(*) FROM pairs x JOIN pair_runs r ON r.id = x.run_id WHERE r.policy = 'common-window'"),
            rows.Sum(r => long.Parse(r[2])));
        Assert.Contains(rows, r => r[0] == "1" && r[1] == "1");
        using var store = ForumStore.Open(_folder.File("forumprefs.db"), create: false);
        // Timelines: every visible answer was seen when written (score 1) and again later.
        Assert.True(Sql.Scalar(store, "SELECT count(*) FROM score_snapshots WHERE item_kind = 'comment'") > 1000);
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments c WHERE c.depth = 0 AND c.first_observed_utc <> c.created_utc AND EXISTS (SELECT 1 FROM score_snapshots s WHERE s.item_kind = 'comment' AND s.item_pk = c.pk)"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments c WHERE c.depth = 0 AND EXISTS (SELECT 1 FROM score_snapshots s WHERE s.item_kind = 'comment' AND s.item_pk = c.pk) AND c.first_score <> 1"));
    }

    [Fact]
    public async Task Run_takes_the_window_policy_with_one_option()
    {
        var result = await Support.Cli.RunAsync(_folder.Path, "run", "--posts", "200", "--policy", "common-window", "--skip-train");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("with vote timelines", result.Error);
        Assert.Contains("common-window", result.Out);
        Assert.Contains("window_votes_A", File.ReadAllText(_folder.File("datasets/simulated/README.md")));
    }
}
