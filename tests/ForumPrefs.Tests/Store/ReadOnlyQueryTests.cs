using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using static ForumPrefs.Tests.Support.Threads;

namespace ForumPrefs.Tests.Store;

public sealed class ReadOnlyQueryTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;
    private readonly int _schemaVersion;

    public ReadOnlyQueryTests()
    {
        _path = _folder.File("store.db");
        using var store = ForumStore.Open(_path);
        store.WriteThreads([Thread(T0.AddDays(2), Answer("c1", 5), Answer("c2", 9, 20))]);
        _schemaVersion = store.SchemaVersion;
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reads_return_columns_and_rows()
    {
        var result = ReadOnlyQuery.Run(_path, "SELECT id, score FROM comments ORDER BY score DESC");

        Assert.Equal(["id", "score"], result.Columns);
        Assert.Equal(["c2", "c1"], result.Rows.Select(r => (string)r[0]!));
        Assert.Equal(9L, result.Rows[0][1]);
    }

    [Theory]
    [InlineData("INSERT INTO forums(source, name) VALUES('x', 'y')", "INSERT")]
    [InlineData("UPDATE comments SET score = 0", "UPDATE")]
    [InlineData("DELETE FROM comments", "DELETE")]
    [InlineData("DROP TABLE comments", "schema")]
    [InlineData("CREATE TABLE t(x)", "schema")]
    [InlineData("CREATE TEMP TABLE t(x)", "schema")]
    [InlineData("ATTACH DATABASE ':memory:' AS other", "ATTACH")]
    [InlineData("SELECT load_extension('/tmp/evil.so')", "load_extension")]
    [InlineData("PRAGMA user_version = 7", "PRAGMA user_version")]
    [InlineData("PRAGMA writable_schema = ON", "PRAGMA writable_schema")]
    public void Anything_but_a_read_is_refused_and_the_store_is_unchanged(string sql, string named)
    {
        var error = Assert.Throws<StoreException>(() => ReadOnlyQuery.Run(_path, sql));

        Assert.StartsWith("query refused", error.Message);
        Assert.Contains(named, error.Message);
        using var store = ForumStore.Open(_path);
        Assert.Equal(2, Sql.Scalar(store, "SELECT count(*) FROM comments"));
        Assert.Equal(14, Sql.Scalar(store, "SELECT sum(score) FROM comments"));
        Assert.Equal(_schemaVersion, store.SchemaVersion);
    }

    [Fact]
    public void Introspection_pragmas_are_allowed()
    {
        var result = ReadOnlyQuery.Run(_path, "PRAGMA table_info(comments)");
        Assert.Contains(result.Rows, row => (string)row[1]! == "body");
    }

    [Fact]
    public void A_missing_store_is_a_clear_error()
    {
        var error = Assert.Throws<StoreException>(() => ReadOnlyQuery.Run(_folder.File("absent.db"), "SELECT 1"));
        Assert.Contains("no store", error.Message);
    }
}
