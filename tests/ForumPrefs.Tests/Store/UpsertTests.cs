using ForumPrefs.Core;
using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Store;

public sealed class UpsertTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ForumStore _store;

    public UpsertTests() => _store = ForumStore.Open(_folder.File("store.db"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Writing_the_same_thread_twice_changes_nothing()
    {
        var a = Answer("c1", 10);
        var thread = Thread(T0.AddDays(3), a, Answer("c2", 4, 30), Reply("c3", a));

        _store.WriteThreads([thread]);
        var first = Sql.Fingerprint(_store);
        _store.WriteThreads([thread]);

        Assert.Equal(first, Sql.Fingerprint(_store));
        Assert.Equal(1, Sql.Scalar(_store, "SELECT count(*) FROM posts"));
        Assert.Equal(3, Sql.Scalar(_store, "SELECT count(*) FROM comments"));
        Assert.Equal(0, Sql.Scalar(_store, "SELECT count(*) FROM score_snapshots"));
        Assert.Equal(4, Sql.Scalar(_store, "SELECT count(*) FROM score_history"));
        Assert.Equal(first, Sql.Fingerprint(_store));
    }

    [Fact]
    public void A_batch_written_in_parts_commits_with_its_checkpoint_and_only_then()
    {
        var path = _folder.File("parts.db");
        var checkpoint = new Checkpoint("test", "file", "{}", T0);
        (Forum, Comment, DateTimeOffset) Row(string id) => (Support.Threads.Forum, Answer(id, 3), T0.AddDays(1));
        using (var store = ForumStore.Open(path))
        {
            store.WriteItems([], [Row("a1"), Row("a2")], null, commit: false);
            store.WriteItems([], [Row("a3")], checkpoint);
            store.WriteItems([], [Row("b1")], null, commit: false); // the process ends before the part with the checkpoint
        }

        using var reopened = ForumStore.Open(path);
        Assert.Equal("a1,a2,a3", Sql.Text(reopened, "SELECT group_concat(id, ',') FROM (SELECT id FROM comments ORDER BY id)"));
        Assert.NotNull(reopened.GetCheckpoint("test", "file"));
    }

    [Fact]
    public void A_new_score_updates_the_row_and_every_later_sighting_is_kept()
    {
        _store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 10), Answer("c2", 4, 30))]);
        _store.WriteThreads([Thread(T0.AddDays(9), Answer("c1", 17), Answer("c2", 4, 30))]);

        Assert.Equal(17, Sql.Scalar(_store, "SELECT score FROM comments WHERE id = 'c1'"));
        Assert.Equal(10, Sql.Scalar(_store, "SELECT first_score FROM comments WHERE id = 'c1'"));
        // Both comments were seen again on day 9: c1 moved, c2 did not, and both sightings are history.
        Assert.Equal(2, Sql.Scalar(_store, "SELECT count(*) FROM score_snapshots WHERE item_kind = 'comment'"));
        Assert.Equal(T0.AddDays(9).ToUnixTimeSeconds(), Sql.Scalar(_store, "SELECT max(observed_utc) FROM score_snapshots"));
        Assert.Equal(T0.AddDays(9).ToUnixTimeSeconds(), Sql.Scalar(_store, "SELECT observed_utc FROM comments WHERE id = 'c2'"));
        Assert.Equal(2, Sql.Scalar(_store, "SELECT count(*) FROM score_history WHERE item_kind = 'comment' AND item_pk = (SELECT pk FROM comments WHERE id = 'c1')"));
    }

    [Fact]
    public void An_older_observation_never_rolls_a_row_back_but_joins_the_history()
    {
        _store.WriteThreads([Thread(T0.AddDays(9), Answer("c1", 17))]);
        _store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 10))]);

        Assert.Equal(17, Sql.Scalar(_store, "SELECT score FROM comments WHERE id = 'c1'"));
        Assert.Equal(10, Sql.Scalar(_store, "SELECT first_score FROM comments WHERE id = 'c1'"));
        Assert.Equal(T0.AddDays(2).ToUnixTimeSeconds(), Sql.Scalar(_store, "SELECT first_observed_utc FROM comments WHERE id = 'c1'"));
    }

    [Fact]
    public void Sightings_out_of_order_keep_every_score_in_time_order()
    {
        // Written at T+9, T+2, T+5: the row shows T+9, first_score is T+2's, and the history has all three.
        _store.WriteThreads([Thread(T0.AddDays(9), Answer("c1", 30))]);
        _store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 5))]);
        _store.WriteThreads([Thread(T0.AddDays(5), Answer("c1", 12))]);

        Assert.Equal(30, Sql.Scalar(_store, "SELECT score FROM comments WHERE id = 'c1'"));
        Assert.Equal(5, Sql.Scalar(_store, "SELECT first_score FROM comments WHERE id = 'c1'"));
        Assert.Equal("5,12,30", Sql.Text(_store, """
            SELECT group_concat(score, ',') FROM (SELECT h.score FROM score_history h JOIN comments c ON c.pk = h.item_pk
            WHERE h.item_kind = 'comment' AND c.id = 'c1' ORDER BY h.observed_utc)
            """));
        Assert.Equal(3, Sql.Scalar(_store, "SELECT count(*) FROM score_history WHERE item_kind = 'post'"));
    }

    [Fact]
    public void A_deletion_carried_by_an_older_observation_still_applies()
    {
        _store.WriteThreads([Thread(T0.AddDays(9), Answer("c1", 17, body: "My secret answer", author: "alice"))]);
        _store.WriteThreads([Thread(T0.AddDays(3), Answer("c1", 11, body: DeletedContent.Deleted, author: "alice"))]);

        Assert.Equal(DeletedContent.Deleted, Sql.Text(_store, "SELECT body FROM comments WHERE id = 'c1'"));
        Assert.Equal(DeletedContent.Deleted, Sql.Text(_store, "SELECT author FROM comments WHERE id = 'c1'"));
        Assert.Equal(17, Sql.Scalar(_store, "SELECT score FROM comments WHERE id = 'c1'"));
    }

    [Fact]
    public void A_hidden_score_keeps_the_comment_and_a_later_sighting_fills_it()
    {
        var hidden = Answer("c1", 0) with { ScoreHidden = true };
        _store.WriteThreads([Thread(T0.AddHours(2), hidden, Answer("c2", 3))]);
        Assert.Equal(1, Sql.Scalar(_store, "SELECT score_hidden FROM comments WHERE id = 'c1'"));
        Assert.Equal(0, Sql.Scalar(_store, "SELECT count(*) FROM score_history h JOIN comments c ON c.pk = h.item_pk WHERE h.item_kind = 'comment' AND c.id = 'c1'"));

        _store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 14), Answer("c2", 4))]);
        // A page read even later that hides it again (or a stale copy) changes nothing about the known score.
        _store.WriteThreads([Thread(T0.AddDays(3), hidden, Answer("c2", 4))]);

        Assert.Equal(0, Sql.Scalar(_store, "SELECT score_hidden FROM comments WHERE id = 'c1'"));
        Assert.Equal(14, Sql.Scalar(_store, "SELECT score FROM comments WHERE id = 'c1'"));
        Assert.Equal(T0.AddDays(2).ToUnixTimeSeconds(), Sql.Scalar(_store, "SELECT first_observed_utc FROM comments WHERE id = 'c1'"));
        Assert.Equal(T0.AddDays(3).ToUnixTimeSeconds(), Sql.Scalar(_store, "SELECT seen_utc FROM comments WHERE id = 'c1'"));
        Assert.Equal(1, Sql.Scalar(_store, "SELECT count(*) FROM score_history h JOIN comments c ON c.pk = h.item_pk WHERE h.item_kind = 'comment' AND c.id = 'c1'"));
    }

    [Fact]
    public void A_recrawl_that_sees_a_deletion_removes_text_and_author_for_good()
    {
        _store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 10, body: "My secret answer", author: "alice"))]);
        _store.WriteThreads([Thread(T0.AddDays(3), Answer("c1", 11, body: DeletedContent.Removed, author: "alice"))]);

        Assert.Equal(DeletedContent.Removed, Sql.Text(_store, "SELECT body FROM comments WHERE id = 'c1'"));
        Assert.Equal(DeletedContent.Deleted, Sql.Text(_store, "SELECT author FROM comments WHERE id = 'c1'"));

        // A later sighting that still shows the old text (a stale mirror, an older dump) does not restore it.
        _store.WriteThreads([Thread(T0.AddDays(4), Answer("c1", 12, body: "My secret answer", author: "alice"))]);
        Assert.Equal(DeletedContent.Removed, Sql.Text(_store, "SELECT body FROM comments WHERE id = 'c1'"));
        Assert.Equal(DeletedContent.Deleted, Sql.Text(_store, "SELECT author FROM comments WHERE id = 'c1'"));
        Assert.Equal(0, Sql.Scalar(_store, "SELECT count(*) FROM comments WHERE body LIKE '%secret%' OR author = 'alice'"));
    }

    [Fact]
    public void A_deleted_account_keeps_the_text_but_loses_the_author()
    {
        _store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 10, author: "bob"))]);
        _store.WriteThreads([Thread(T0.AddDays(3), Answer("c1", 10, author: DeletedContent.Deleted))]);

        Assert.Equal(DeletedContent.Deleted, Sql.Text(_store, "SELECT author FROM comments WHERE id = 'c1'"));
        Assert.Equal("Because of Rayleigh scattering.", Sql.Text(_store, "SELECT body FROM comments WHERE id = 'c1'"));
    }

    [Fact]
    public void Checkpoints_commit_with_their_batch_and_can_be_read_back()
    {
        var checkpoint = new Checkpoint("reddit", "listing:explainlikeimfive", "after=t3_abc", T0);
        _store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 10))], checkpoint);

        Assert.Equal(checkpoint, _store.GetCheckpoint("reddit", "listing:explainlikeimfive"));
        Assert.Null(_store.GetCheckpoint("reddit", "other"));
        _store.SaveCheckpoint(checkpoint with { State = "after=t3_def" });
        Assert.Equal("after=t3_def", _store.GetCheckpoint("reddit", "listing:explainlikeimfive")!.State);
    }

    [Fact]
    public void Threads_larger_than_one_statement_are_written_whole()
    {
        var many = Enumerable.Range(0, 77).Select(i => Answer($"c{i}", i, i)).ToArray();
        _store.WriteThreads([Thread(T0.AddDays(2), many)]);

        Assert.Equal(77, Sql.Scalar(_store, "SELECT count(*) FROM comments"));
        Assert.Equal(Enumerable.Range(0, 77).Sum(), Sql.Scalar(_store, "SELECT sum(score) FROM comments"));
    }

    [Fact]
    public void A_statement_of_new_rows_and_rows_met_before_merges_each_and_keeps_every_sighting()
    {
        // 32 rows make one statement: the 16 stored ones come back with new scores, among 15 new ones and one repeat.
        var stored = Enumerable.Range(0, 16).Select(i => Answer($"s{i}", 1)).ToArray();
        _store.WriteItems([], stored.Select(c => (Support.Threads.Forum, c, T0.AddDays(1))));
        var again = stored.Select(c => Answer(c.Id, 5)).Concat(Enumerable.Range(0, 15).Select(i => Answer($"n{i}", 2)))
            .Append(Answer("n0", 3)).ToArray();

        _store.WriteItems([], again.Select(c => (Support.Threads.Forum, c, T0.AddDays(2))));

        Assert.Equal(31, Sql.Scalar(_store, "SELECT count(*) FROM comments"));
        Assert.Equal(16 * 5 + 14 * 2 + 3, Sql.Scalar(_store, "SELECT sum(score) FROM comments"));
        Assert.Equal(16, Sql.Scalar(_store, "SELECT count(*) FROM score_snapshots WHERE score = 5"));
        Assert.Equal(16, Sql.Scalar(_store, "SELECT count(*) FROM comments WHERE first_score = 1 AND score = 5"));
    }

    [Fact]
    public void Item_writes_leave_every_forum_reference_whole_and_foreign_keys_checked_afterwards()
    {
        var other = new Forum("reddit", "askscience");
        var rows = Enumerable.Range(0, 70).Select(i => (i % 2 == 0 ? Support.Threads.Forum : other, Answer($"c{i}", i), T0.AddDays(1)));
        _store.WriteItems([], rows);
        _store.WriteThreads([Thread(T0.AddDays(2), Answer("t1", 4))]);
        // A bulk batch of threads (1,000 comments or more) is written without foreign keys too.
        _store.WriteThreads([Thread(T0.AddDays(2), [.. Enumerable.Range(0, 1_000).Select(i => Answer($"b{i}", i))])]);

        Assert.Equal(0, Sql.Scalar(_store, "SELECT count(*) FROM pragma_foreign_key_check"));
        Assert.Equal(1, Sql.Scalar(_store, "PRAGMA foreign_keys"));
        using var orphan = _store.Connection.CreateCommand();
        orphan.CommandText = "INSERT INTO comments(forum_id, id, post_id, parent_id, depth, body, author, score, created_utc, "
            + "stickied, is_submitter, observed_utc, first_score, first_observed_utc, seen_utc) "
            + "VALUES(999, 'x', 'p', 'p', 1, 'b', 'a', 1, 0, 0, 0, 0, 1, 0, 0)";
        var refused = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => orphan.ExecuteNonQuery());
        Assert.Contains("FOREIGN KEY", refused.Message);
    }
}
