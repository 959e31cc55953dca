# The plain-Python reference of `forumprefs bench all`: json + zstandard + sqlite3, single thread, the way common
# dump scripts work. Usage: ingest_reddit_dump.py DUMP.zst OUT.db
import io, json, sqlite3, sys, zstandard
path, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=NORMAL")
con.execute("CREATE TABLE IF NOT EXISTS posts(id TEXT PRIMARY KEY, subreddit TEXT, title TEXT, body TEXT, author TEXT, score INTEGER, created_utc INTEGER)")
con.execute("CREATE TABLE IF NOT EXISTS comments(id TEXT PRIMARY KEY, subreddit TEXT, link_id TEXT, parent_id TEXT, body TEXT, author TEXT, score INTEGER, created_utc INTEGER)")
posts, comments = [], []
def flush():
    con.executemany("INSERT OR REPLACE INTO posts VALUES (?,?,?,?,?,?,?)", posts)
    con.executemany("INSERT OR REPLACE INTO comments VALUES (?,?,?,?,?,?,?,?)", comments)
    con.commit(); posts.clear(); comments.clear()
with open(path, "rb") as fh:
    reader = zstandard.ZstdDecompressor(max_window_size=2**31).stream_reader(fh)
    for line in io.TextIOWrapper(reader, encoding="utf-8", errors="replace"):
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if "title" in obj:
            posts.append((obj["id"], obj["subreddit"], obj["title"], obj.get("selftext"), obj.get("author"), obj.get("score"), int(float(obj["created_utc"]))))
        else:
            comments.append((obj["id"], obj["subreddit"], obj["link_id"], obj["parent_id"], obj.get("body"), obj.get("author"), obj.get("score"), int(float(obj["created_utc"]))))
        if len(posts) + len(comments) >= 20000:
            flush()
flush()
