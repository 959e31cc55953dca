using System.IO.Compression;
using System.Xml;

namespace ForumPrefs.Sources.StackExchange;

/// <summary>
/// The rows of a Stack Exchange dump file (Posts.xml, Votes.xml; plain or .gz), streamed with XmlReader. A file that is
/// not gzip or XML at all, is cut short or breaks part-way is counted (<c>corrupt_file</c>, <c>truncated_file</c>,
/// <c>malformed_xml</c>) and ends that file only: what came before is kept, and the caller goes on with the next file.
/// </summary>
internal static class DumpXml
{
    /// <param name="parse">Reads one row (1-based number given); null for a row that was counted and skipped.</param>
    public static IEnumerable<T> Rows<T>(string path, long skipRows, Func<XmlReader, long, T?> parse, Action<string> count) where T : class
    {
        using var file = File.OpenRead(path);
        using var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        XmlReader xml;
        try
        {
            xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true, IgnoreComments = true });
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or XmlException)
        {
            count("corrupt_file");
            yield break;
        }
        using (xml)
        {
            long row = 0;
            while (true)
            {
                T? item;
                try
                {
                    if (!xml.ReadToFollowing("row"))
                        yield break;
                    row++;
                    if (row <= skipRows)
                        continue;
                    item = parse(xml, row);
                }
                catch (XmlException)
                {
                    count("malformed_xml");
                    yield break;
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException)
                {
                    count(row == 0 ? "corrupt_file" : "truncated_file");
                    yield break;
                }
                if (item is not null)
                    yield return item;
            }
        }
    }
}
