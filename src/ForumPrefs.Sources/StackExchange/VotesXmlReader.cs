using System.Globalization;
using System.Xml;

namespace ForumPrefs.Sources.StackExchange;

/// <summary>One vote of Votes.xml: the post it is on, its type, and its day (dumps keep only the day).</summary>
public sealed record Vote(string PostId, int Type, DateOnly Day)
{
    public const int Accepted = 1, Up = 2, Down = 3;
}

/// <summary>
/// Streams a Stack Exchange dump's Votes.xml (or .xml.gz). Rows without a post, type or day are counted
/// (<c>bad_row</c>); a corrupt or cut file is counted and ends that file only (see <see cref="DumpXml"/>).
/// </summary>
public sealed class VotesXmlReader
{
    public Dictionary<string, long> Skipped { get; } = [];

    public IEnumerable<Vote> Read(string path) => DumpXml.Rows(path, 0, (xml, _) => Parse(xml), Count);

    private Vote? Parse(XmlReader xml)
    {
        var post = xml.GetAttribute("PostId");
        if (string.IsNullOrWhiteSpace(post)
            || !int.TryParse(xml.GetAttribute("VoteTypeId"), CultureInfo.InvariantCulture, out var type)
            || !DateTime.TryParse(xml.GetAttribute("CreationDate"), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created))
        {
            Count("bad_row");
            return null;
        }
        return new Vote(post, type, DateOnly.FromDateTime(created));
    }

    private void Count(string kind) => Skipped[kind] = Skipped.GetValueOrDefault(kind) + 1;
}
