using ForumPrefs.Core;
using System.Text.Json;

namespace ForumPrefs.Export;

/// <summary>SHP's own JSON Lines form: one object per line with SHP's field names, in SHP's order.</summary>
internal sealed class JsonlPairWriter : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly string _domain;
    private readonly bool _includeAuthors;
    private readonly bool _includeAttribution;
    private readonly bool _includeWindow;

    public JsonlPairWriter(string path, string domain, bool includeAuthors, bool includeAttribution, bool includeWindow = false)
    {
        _includeWindow = includeWindow;
        _stream = File.Create(path);
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { SkipValidation = true });
        _domain = domain;
        _includeAuthors = includeAuthors;
        _includeAttribution = includeAttribution;
    }

    public long Rows { get; private set; }

    public async Task AddAsync(PreferencePair p, CancellationToken cancellationToken = default)
    {
        _json.WriteStartObject();
        _json.WriteString("post_id", p.PostId);
        _json.WriteString("domain", _domain);
        if (p.UpvoteRatio is { } ratio) _json.WriteNumber("upvote_ratio", ratio);
        else _json.WriteNull("upvote_ratio");
        _json.WriteString("history", p.History);
        _json.WriteString("c_root_id_A", p.A.Id);
        _json.WriteString("c_root_id_B", p.B.Id);
        _json.WriteNumber("created_at_utc_A", p.A.Created.ToUnixTimeSeconds());
        _json.WriteNumber("created_at_utc_B", p.B.Created.ToUnixTimeSeconds());
        _json.WriteNumber("score_A", p.A.Score);
        _json.WriteNumber("score_B", p.B.Score);
        _json.WriteString("human_ref_A", p.A.Text);
        _json.WriteString("human_ref_B", p.B.Text);
        _json.WriteNumber("labels", p.Label);
        if (p.SecondsDifference is { } seconds) _json.WriteNumber("seconds_difference", seconds);
        else _json.WriteNull("seconds_difference");
        _json.WriteNumber("score_ratio", p.ScoreRatio);
        _json.WriteNumber("created_difference_seconds", p.CreatedDifferenceSeconds);
        if (_includeAuthors)
        {
            _json.WriteString("author_A", p.A.Author);
            _json.WriteString("author_B", p.B.Author);
        }
        if (_includeAttribution)
            _json.WriteString("attribution", p.PostUrl ?? "");
        if (_includeWindow && p.Window is { } w)
        {
            _json.WriteNumber("window_votes_A", p.PreferredIsA ? w.PreferredVotes : w.OtherVotes);
            _json.WriteNumber("window_votes_B", p.PreferredIsA ? w.OtherVotes : w.PreferredVotes);
            _json.WriteNumber("window_seconds", w.Seconds);
        }
        _json.WriteEndObject();
        await _json.FlushAsync(cancellationToken);
        _json.Reset();
        _stream.WriteByte((byte)'\n');
        Rows++;
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
