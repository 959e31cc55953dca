using ForumPrefs.Core;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;

namespace ForumPrefs.Tests.Pairing;

/// <summary>Pairs built from a simulated store: stable, leak-free, balanced, and truer with SHP's time rule.</summary>
public sealed class PairingJobTests : IDisposable
{
    private static readonly Forum Eli5 = new("simulator", "eli5");
    private readonly TempFolder _folder = new();
    private readonly ForumStore _store;

    public PairingJobTests() => _store = SimulatedStore.Create(_folder.File("store.db"), 1200);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private PairingJob.Result Build(ShpOptions? options = null, Forum? forum = null) =>
        PairingJob.Run(_store, forum ?? Eli5, new ShpPolicy(options ?? new ShpOptions()), new SplitAssigner());

    private string PairsDigest() => string.Join("\n", Rows("""
        SELECT p.id, a.id, b.id, pr.split, pr.preferred_is_a, pr.score_ratio, pr.margin
        FROM pairs pr JOIN posts p ON p.pk = pr.post_pk JOIN comments a ON a.pk = pr.preferred_pk JOIN comments b ON b.pk = pr.other_pk
        ORDER BY 1, 2, 3
        """));

    private List<string> Rows(string sql)
    {
        using var command = _store.Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i))));
        return rows;
    }

    [Fact]
    public void The_same_store_gives_the_same_pairs_labels_and_splits_and_a_rebuild_replaces_the_run()
    {
        var first = Build();
        var digest = PairsDigest();
        var second = Build();

        Assert.True(first.Pairs > 500, $"only {first.Pairs} pairs");
        Assert.Equal(first.Pairs, second.Pairs);
        Assert.Equal(digest, PairsDigest());
        Assert.Equal(1, Sql.Scalar(_store, "SELECT count(*) FROM pair_runs"));
        Assert.Equal(first.Pairs, Sql.Scalar(_store, "SELECT count(*) FROM pairs"));

        Build(new ShpOptions { MinScoreRatio = 2 });
        Assert.Equal(1, Sql.Scalar(_store, "SELECT count(*) FROM pair_runs"));
        Assert.Equal(0, Sql.Scalar(_store, "SELECT count(*) FROM pairs WHERE score_ratio < 2"));
        Assert.Contains("\"min_score_ratio\":2", Sql.Text(_store, "SELECT options FROM pair_runs"));
    }

    [Fact]
    public void No_post_is_in_two_splits_and_about_half_the_labels_are_1()
    {
        Build();
        Build(forum: new Forum("simulator", "askscience"));

        Assert.Equal(0, Sql.Scalar(_store, "SELECT count(*) FROM (SELECT post_pk FROM pairs GROUP BY post_pk HAVING count(DISTINCT split) > 1)"));
        var share = Sql.Scalar(_store, "SELECT sum(preferred_is_a) * 1000 / count(*) FROM pairs") / 1000.0;
        Assert.InRange(share, 0.45, 0.55);
        Assert.Equal(3, Sql.Scalar(_store, "SELECT count(DISTINCT split) FROM pairs"));
    }

    [Fact]
    public void The_report_adds_up()
    {
        var result = Build();
        var r = result.Report;

        Assert.Equal(r.PostsSeen - r.PostsKept, r.Rules.Where(x => x.Level == RuleLevel.Post).Sum(x => x.Removed));
        Assert.Equal(r.CandidatePairs - r.PairsKept, r.Rules.Where(x => x.Level == RuleLevel.Pair).Sum(x => x.Removed));
        Assert.Equal(result.Pairs, r.PairsKept);
        Assert.Equal(600, r.PostsSeen);
        Assert.All(new[] { Rules.LinkPost, Rules.Nsfw, Rules.EditedPost, Rules.PostScoreTooLow, Rules.NotTopLevel,
            Rules.DeletedAuthor, Rules.ByPostAuthor, Rules.CommentScoreTooLow, Rules.ScoreTooYoung, Rules.PreferredEarlier },
            rule => Assert.Contains(r.Rules, x => x.Rule == rule && x.Removed > 0));
    }

    [Fact]
    public void On_a_simulated_forum_the_time_rule_makes_labels_truer()
    {
        var withRule = Build().Diagnostics;
        var withoutRule = Build(new ShpOptions { RequirePreferredLater = false }).Diagnostics;
        var ratioTwo = Build(new ShpOptions { MinScoreRatio = 2 }).Diagnostics;

        Assert.NotNull(withRule.LabelAccuracy);
        Assert.True(withRule.LabelAccuracy > withoutRule.LabelAccuracy + 0.05,
            $"with the time rule {withRule.LabelAccuracy:P1}, without {withoutRule.LabelAccuracy:P1}");
        Assert.True(ratioTwo.LabelAccuracy >= withRule.LabelAccuracy,
            $"ratio 2 {ratioTwo.LabelAccuracy:P1} vs ratio 1 {withRule.LabelAccuracy:P1}");
        Assert.InRange(withRule.LengthBaselineAccuracy, 0.35, 0.65);
    }
}
