namespace ForumPrefs.Store;

/// <summary>
/// The store's schema as an ordered list of migrations; migration i brings PRAGMA user_version from i to i + 1.
/// Append new migrations, never edit shipped ones.
/// </summary>
internal static class Schema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE forums(
            id     INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            name   TEXT NOT NULL,
            UNIQUE(source, name));

        CREATE TABLE posts(
            pk            INTEGER PRIMARY KEY,
            forum_id      INTEGER NOT NULL REFERENCES forums(id),
            id            TEXT NOT NULL,
            title         TEXT NOT NULL,
            body          TEXT NOT NULL,
            author        TEXT NOT NULL,
            score         INTEGER NOT NULL,
            upvote_ratio  REAL,
            created_utc   INTEGER NOT NULL,
            edited_utc    INTEGER,
            over_18       INTEGER NOT NULL,
            is_self       INTEGER NOT NULL,
            distinguished TEXT,
            url           TEXT,
            num_comments  INTEGER NOT NULL,
            observed_utc  INTEGER NOT NULL,
            first_score   INTEGER NOT NULL,
            first_observed_utc INTEGER NOT NULL,
            UNIQUE(forum_id, id));

        -- post_id is not a foreign key: dumps can bring a comment before its post. A comment never changes post, so
        -- (forum_id, post_id, id) identifies it as well as (forum_id, id) and doubles as the per-post index:
        -- one index fewer to maintain on every write.
        CREATE TABLE comments(
            pk            INTEGER PRIMARY KEY,
            forum_id      INTEGER NOT NULL REFERENCES forums(id),
            id            TEXT NOT NULL,
            post_id       TEXT NOT NULL,
            parent_id     TEXT NOT NULL,
            depth         INTEGER NOT NULL,
            body          TEXT NOT NULL,
            author        TEXT NOT NULL,
            score         INTEGER NOT NULL,
            created_utc   INTEGER NOT NULL,
            edited_utc    INTEGER,
            distinguished TEXT,
            stickied      INTEGER NOT NULL,
            is_submitter  INTEGER NOT NULL,
            observed_utc  INTEGER NOT NULL,
            first_score   INTEGER NOT NULL,
            first_observed_utc INTEGER NOT NULL,
            UNIQUE(forum_id, post_id, id));

        -- A row for every later sighting that changed an item's score. The first sighting stays in the item's
        -- own row (first_score, first_observed_utc): a trigger per insert would halve write throughput.
        CREATE TABLE score_snapshots(
            item_kind    TEXT NOT NULL CHECK(item_kind IN ('post', 'comment')),
            item_pk      INTEGER NOT NULL,
            score        INTEGER NOT NULL,
            observed_utc INTEGER NOT NULL);
        CREATE INDEX score_snapshots_by_item ON score_snapshots(item_kind, item_pk);

        CREATE TRIGGER posts_score_moved AFTER UPDATE OF score ON posts WHEN OLD.score <> NEW.score BEGIN
            INSERT INTO score_snapshots VALUES('post', NEW.pk, NEW.score, NEW.observed_utc);
        END;
        CREATE TRIGGER comments_score_moved AFTER UPDATE OF score ON comments WHEN OLD.score <> NEW.score BEGIN
            INSERT INTO score_snapshots VALUES('comment', NEW.pk, NEW.score, NEW.observed_utc);
        END;

        -- Every score each item was seen with: its first sighting plus each change.
        CREATE VIEW score_history(item_kind, item_pk, score, observed_utc) AS
            SELECT 'post', pk, first_score, first_observed_utc FROM posts
            UNION ALL SELECT 'comment', pk, first_score, first_observed_utc FROM comments
            UNION ALL SELECT item_kind, item_pk, score, observed_utc FROM score_snapshots;

        CREATE TABLE checkpoints(
            source      TEXT NOT NULL,
            key         TEXT NOT NULL,
            state       TEXT NOT NULL,
            updated_utc INTEGER NOT NULL,
            PRIMARY KEY(source, key));

        -- Hidden answer quality, kept for simulated sources only (to validate labels).
        CREATE TABLE ground_truth(
            comment_pk INTEGER PRIMARY KEY REFERENCES comments(pk),
            quality    REAL NOT NULL);
        """,
        """
        ALTER TABLE posts ADD COLUMN accepted_answer_id TEXT;

        -- One run per (policy, forum): rebuilding replaces it whole. options and report are JSON.
        CREATE TABLE pair_runs(
            id          INTEGER PRIMARY KEY,
            policy      TEXT NOT NULL,
            forum_id    INTEGER NOT NULL REFERENCES forums(id),
            options     TEXT NOT NULL,
            report      TEXT NOT NULL,
            created_utc INTEGER NOT NULL,
            UNIQUE(policy, forum_id));

        -- Scores are those the pair was built from; texts are read from comments at export, so content deleted
        -- since then drops out of every later export. The post and comment keys are not declared foreign keys:
        -- the writer takes them from the rows it just read, and three lookups per pair would halve write speed.
        CREATE TABLE pairs(
            run_id          INTEGER NOT NULL REFERENCES pair_runs(id) ON DELETE CASCADE,
            post_pk         INTEGER NOT NULL,
            preferred_pk    INTEGER NOT NULL,
            other_pk        INTEGER NOT NULL,
            preferred_score INTEGER NOT NULL,
            other_score     INTEGER NOT NULL,
            score_ratio     REAL NOT NULL,
            margin          REAL NOT NULL,
            split           TEXT NOT NULL CHECK(split IN ('train', 'validation', 'test')),
            preferred_is_a  INTEGER NOT NULL,
            PRIMARY KEY(run_id, post_pk, preferred_pk, other_pk)) WITHOUT ROWID;
        """,
        """
        -- Observations may arrive in any order (old dump files re-read, stale copies, re-crawls). seen_utc is the
        -- newest sighting of anything (content follows it); observed_utc / score are the newest sighting with a
        -- known score, first_observed_utc / first_score the earliest. score_snapshots now holds every other distinct
        -- sighting time (one row a time, the larger score where two sightings share a second), whatever the order.
        ALTER TABLE posts ADD COLUMN seen_utc INTEGER NOT NULL DEFAULT 0;
        UPDATE posts SET seen_utc = observed_utc;
        ALTER TABLE posts ADD COLUMN tags TEXT;
        ALTER TABLE comments ADD COLUMN seen_utc INTEGER NOT NULL DEFAULT 0;
        UPDATE comments SET seen_utc = observed_utc;
        -- A page that hid the score ("[score hidden]"): score holds 0 until a sighting shows it.
        ALTER TABLE comments ADD COLUMN score_hidden INTEGER NOT NULL DEFAULT 0;

        DROP TRIGGER posts_score_moved;
        DROP TRIGGER comments_score_moved;
        DROP VIEW score_history;
        CREATE TABLE score_sightings(
            item_kind    TEXT NOT NULL CHECK(item_kind IN ('post', 'comment')),
            item_pk      INTEGER NOT NULL,
            observed_utc INTEGER NOT NULL,
            score        INTEGER NOT NULL,
            PRIMARY KEY(item_kind, item_pk, observed_utc)) WITHOUT ROWID;
        INSERT INTO score_sightings SELECT item_kind, item_pk, observed_utc, max(score) FROM score_snapshots GROUP BY 1, 2, 3;
        DELETE FROM score_sightings WHERE item_kind = 'post'
            AND observed_utc = (SELECT first_observed_utc FROM posts WHERE pk = item_pk);
        DELETE FROM score_sightings WHERE item_kind = 'comment'
            AND observed_utc = (SELECT first_observed_utc FROM comments WHERE pk = item_pk);
        DROP TABLE score_snapshots;
        ALTER TABLE score_sightings RENAME TO score_snapshots;

        -- When an earlier sighting arrives, the former first one joins the other sightings.
        CREATE TRIGGER posts_first_moved AFTER UPDATE OF first_observed_utc ON posts
        WHEN NEW.first_observed_utc < OLD.first_observed_utc BEGIN
            INSERT OR IGNORE INTO score_snapshots VALUES('post', NEW.pk, OLD.first_observed_utc, OLD.first_score);
        END;
        CREATE TRIGGER comments_first_moved AFTER UPDATE OF first_observed_utc ON comments
        WHEN NEW.first_observed_utc < OLD.first_observed_utc AND OLD.score_hidden = 0 BEGIN
            INSERT OR IGNORE INTO score_snapshots VALUES('comment', NEW.pk, OLD.first_observed_utc, OLD.first_score);
        END;

        -- Every score each item was seen with, in any order of arrival: the earliest sighting plus all the others.
        CREATE VIEW score_history(item_kind, item_pk, score, observed_utc) AS
            SELECT 'post', pk, first_score, first_observed_utc FROM posts
            UNION ALL SELECT 'comment', pk, first_score, first_observed_utc FROM comments WHERE score_hidden = 0
            UNION ALL SELECT item_kind, item_pk, score, observed_utc FROM score_snapshots;
        """,
        """
        -- The store's identity: exports name the store they came from, so an export folder is replaced only by
        -- another export of the same store.
        CREATE TABLE store_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO store_meta VALUES('store_id', lower(hex(randomblob(16))));

        -- Posts written to since reply depths were last settled; kept on disk, in the same transaction as each
        -- batch, so a killed ingest still settles them when it resumes.
        CREATE TABLE touched_posts(forum_id INTEGER NOT NULL, post_id TEXT NOT NULL, PRIMARY KEY(forum_id, post_id)) WITHOUT ROWID;
        INSERT OR IGNORE INTO touched_posts SELECT DISTINCT forum_id, post_id FROM comments WHERE depth < 0;
        """,
        """
        -- Pairs decided on the votes two answers won while both were visible (policy common-window): each answer's
        -- net votes in that window and its length. Empty for other policies.
        ALTER TABLE pairs ADD COLUMN window_preferred INTEGER;
        ALTER TABLE pairs ADD COLUMN window_other INTEGER;
        ALTER TABLE pairs ADD COLUMN window_seconds INTEGER;

        -- Score sightings of items not stored yet (Votes.xml read before Posts.xml): applied when the item arrives,
        -- so the store ends the same whichever comes first.
        CREATE TABLE pending_sightings(
            forum_id     INTEGER NOT NULL,
            is_post      INTEGER NOT NULL,
            post_id      TEXT NOT NULL,
            id           TEXT NOT NULL,
            observed_utc INTEGER NOT NULL,
            score        INTEGER NOT NULL,
            PRIMARY KEY(forum_id, is_post, post_id, id, observed_utc)) WITHOUT ROWID;
        """,
        """
        -- What a source knows beyond the common fields (OpenAssistant's role, rank, language, synthetic flag, emojis
        -- and labels; Discourse's post number and accepted mark), as a JSON object; NULL when the source has nothing more.
        ALTER TABLE posts ADD COLUMN meta TEXT;
        ALTER TABLE comments ADD COLUMN meta TEXT;
        """,
        """
        -- Replies still waiting for a depth, by post: settling depths after a write finds the posts that need it here
        -- instead of reading every comment of every post written to (most replies get their depth as they are written,
        -- so this index stays small).
        CREATE INDEX comments_waiting ON comments(forum_id, post_id) WHERE depth = -1;
        """,
        """
        -- When the tags and the meta a row holds were seen. A sighting without them (a page that shows no tags) keeps
        -- what is stored, so they follow the newest sighting that carried them, whatever the order of arrival; the
        -- row's newest sighting (seen_utc) may be one that carried none. Rows stored before: their newest sighting.
        ALTER TABLE posts ADD COLUMN tags_seen_utc INTEGER;
        ALTER TABLE posts ADD COLUMN meta_seen_utc INTEGER;
        ALTER TABLE comments ADD COLUMN meta_seen_utc INTEGER;
        UPDATE posts SET tags_seen_utc = CASE WHEN tags IS NULL THEN NULL ELSE seen_utc END,
                         meta_seen_utc = CASE WHEN meta IS NULL THEN NULL ELSE seen_utc END
        WHERE tags IS NOT NULL OR meta IS NOT NULL;
        UPDATE comments SET meta_seen_utc = seen_utc WHERE meta IS NOT NULL;
        """,
        """
        -- The language detected for a pair (its question's, ISO 639-1, 'und' where it cannot be told); NULL for pairs
        -- built before languages were detected.
        ALTER TABLE pairs ADD COLUMN language TEXT;
        """,
    ];

    /// <summary>PRAGMA application_id of a ForumPrefs store ("FPRF"): files without it are not ours to change.</summary>
    public const int ApplicationId = 0x46505246;

    /// <summary>Stores migrated by this or a later version carry <see cref="ApplicationId"/>; older ones are told by their tables.</summary>
    public const int FirstVersionWithApplicationId = 4;

    public static int LatestVersion => Migrations.Length;
}
