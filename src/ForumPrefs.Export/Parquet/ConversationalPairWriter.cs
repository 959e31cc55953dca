using ForumPrefs.Core;
using ForumPrefs.Datasets;
using Parquet;
using Parquet.Serialization;
using System.IO.Compression;

namespace ForumPrefs.Export.Parquet;

/// <summary>
/// Writes pairs in TRL's conversational format: nested lists of messages, which Parquet.Net's serializer lays out as
/// Parquet lists of structs; a row group every <c>rowGroupSize</c> rows, appended to the same file.
/// </summary>
internal sealed class ConversationalPairWriter(string path, string domain, int rowGroupSize) : IAsyncDisposable
{
    private readonly List<ConversationalRow> _buffer = [];
    private bool _started;

    public long Rows { get; private set; }

    public async Task AddAsync(PreferencePair pair, CancellationToken cancellationToken = default)
    {
        _buffer.Add(new ConversationalRow
        {
            Prompt = pair.Turns.Select(t => new ChatMessage { Role = t.Role, Content = t.Content }).ToList(),
            Chosen = [new ChatMessage { Role = ChatRoles.Assistant, Content = pair.Preferred.Text }],
            Rejected = [new ChatMessage { Role = ChatRoles.Assistant, Content = pair.Other.Text }],
            ScoreRatio = pair.ScoreRatio, Margin = pair.Margin, PostId = pair.PostId, Domain = domain,
        });
        Rows++;
        if (_buffer.Count >= rowGroupSize)
            await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Count == 0 && _started)
            return;
        var options = new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Zstd, CompressionLevel = CompressionLevel.Optimal, Append = _started,
        };
        await ParquetSerializer.SerializeAsync(_buffer, path, options, cancellationToken: cancellationToken);
        _started = true;
        _buffer.Clear();
    }

    public async ValueTask DisposeAsync() => await FlushAsync(CancellationToken.None);
}
