using Microsoft.Win32.SafeHandles;
using System.Text;

namespace ForumPrefs.Cli;

/// <summary>
/// Where a verb writes: data and results to <see cref="Out"/>, progress and warnings to <see cref="Error"/>.
/// Tests pass string writers; the real program passes the console.
/// </summary>
public sealed record CliIO(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, string WorkingDirectory)
{
    public static CliIO FromConsole() =>
        new(Console.IsOutputRedirected ? RedirectedOutput() : Console.Out, Console.Error, !Console.IsErrorRedirected, Environment.CurrentDirectory);

    /// <summary>Runs a program on the console and writes out its buffered output at exit (forumprefs, forumprefs-bench).</summary>
    public static async Task<int> RunOnConsoleAsync(Func<CliIO, Task<int>> program)
    {
        var io = FromConsole();
        try
        {
            return await program(io);
        }
        finally
        {
            try
            {
                io.Out.Flush();
            }
            catch (IOException)
            {
                // The reader of a pipe left early (| head): nothing more can reach it.
            }
        }
    }

    /// <summary>A path as the user meant it: relative paths are taken from the working directory.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>
    /// Standard output when it is a pipe, written through its own stream: .NET's console writer ignores a closed pipe
    /// (EPIPE) silently, so `forumprefs query … | head -1` ran its query to the end. This stream throws an IOException
    /// at the first write after the reader has gone, which stops the verb. Buffered; flushed at exit. A file keeps the
    /// console's writer: a FileStream writes a file at offsets of its own, and the next command writing to the same
    /// redirection (`{ forumprefs stats; echo done; } > log`) wrote over it.
    /// </summary>
    private static TextWriter RedirectedOutput()
    {
        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
        if (!stream.CanSeek)
            return new StreamWriter(stream, new UTF8Encoding(false), 16 * 1024);
        stream.Dispose();
        return Console.Out;
    }
}
