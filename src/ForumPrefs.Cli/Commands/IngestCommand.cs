using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Store;
using System.CommandLine;
using System.Globalization;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs ingest</c>: bring files (dumps, saved pages) into the store.</summary>
internal sealed class IngestCommand : Command
{
    public IngestCommand(CliIO io) : base("ingest", "Ingest dump files into the store (resumable; skipped records are counted)")
    {
        Subcommands.Add(RedditDump(io));
        Subcommands.Add(StackExchange(io));
        Subcommands.Add(StackExchangeVotes(io));
        Subcommands.Add(Html(io));
    }

    private static Command Html(CliIO io)
    {
        var files = new Argument<string[]>("FILE") { Description = "Saved pages (.html)", Arity = ArgumentArity.OneOrMore };
        var profile = new Option<string>("--profile") { Description = $"Built-in ({string.Join(", ", ForumPrefs.Sources.Html.HtmlProfile.BuiltIn)}) or a profile file", Required = true, HelpName = "NAME|FILE" };
        var db = CommonOptions.Db();
        var command = new Command("html", "Saved forum pages, read with a profile (XPath selectors)") { files, profile, db };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(files)!.Select(io.Resolve).ToList();
            if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
                throw new UsageException($"no such file: {missing}");
            var chosen = LoadProfile(io, parse.GetValue(profile)!);
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(db)!));
            var job = new HtmlIngestJob(io, store, chosen);
            foreach (var path in paths)
                job.Add(File.ReadAllText(path), path, new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero));
            job.Report();
            return job.ExitCode;
        });
        return command;
    }

    internal static ForumPrefs.Sources.Html.HtmlProfile LoadProfile(CliIO io, string nameOrPath)
    {
        try
        {
            var path = io.Resolve(nameOrPath);
            return ForumPrefs.Sources.Html.HtmlProfile.Load(File.Exists(path) ? path : nameOrPath);
        }
        catch (ForumPrefs.Sources.Html.HtmlProfileException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static Command StackExchange(CliIO io)
    {
        var files = new Argument<string[]>("FILE") { Description = "Posts.xml or Posts.xml.gz of one site's dump", Arity = ArgumentArity.OneOrMore };
        var site = new Option<string>("--site") { Description = "The site, e.g. stats.stackexchange.com or datascience", Required = true, HelpName = "NAME" };
        var observed = new Option<string?>("--observed") { Description = "When the dump was taken (scores' read time); default: the file's date", HelpName = "DATE" };
        var db = CommonOptions.Db();
        var format = CommonOptions.Format();
        var command = new Command("stackexchange", "Stack Exchange data dump Posts.xml: questions become posts, answers top-level comments")
        {
            files, site, observed, db, format,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files)!.Select(io.Resolve).ToList();
            if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
                throw new UsageException($"no such file: {missing}");
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(db)!));
            var results = await StackExchangeIngestJob.RunAsync(io, store, paths, parse.GetValue(site)!,
                OptionValues.Date(parse.GetValue(observed), "--observed"), cancellationToken);
            var kinds = results.SelectMany(r => r.State.Skipped.Keys).Distinct().Order().ToArray();
            ResultWriter.Write(io.Out, new QueryResult(["file", "rows", "questions", "answers", .. kinds, "note"],
                results.Select(r => new object?[] { Path.GetFileName(r.File), r.State.Rows, r.State.Questions, r.State.Answers }
                    .Concat(kinds.Select(k => (object?)r.State.Skipped.GetValueOrDefault(k)))
                    .Append(r.AlreadyDone ? "already ingested" : "").ToArray()).ToList()), parse.GetValue(format));
            // Other post types (wiki, tag excerpts) are expected in every dump: counted, not a reason for exit code 3.
            var bad = results.Sum(r => r.State.Skipped.Where(k => k.Key != "other_post_type").Sum(k => k.Value));
            return bad > 0 ? ExitCodes.DoneWithSkips : ExitCodes.Done;
        });
        return command;
    }

    private static Command StackExchangeVotes(CliIO io)
    {
        var files = new Argument<string[]>("FILE") { Description = "Votes.xml or Votes.xml.gz of the site whose Posts.xml is stored", Arity = ArgumentArity.OneOrMore };
        var site = new Option<string>("--site") { Description = "The site, as given to 'ingest stackexchange'", Required = true, HelpName = "NAME" };
        var db = CommonOptions.Db();
        var format = CommonOptions.Format();
        var command = new Command("stackexchange-votes", "Stack Exchange Votes.xml: each stored post's score by day (vote timelines; ingest Posts.xml first)")
        {
            files, site, db, format,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files)!.Select(io.Resolve).ToList();
            if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
                throw new UsageException($"no such file: {missing}");
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(db)!), create: false);
            var results = StackExchangeVotesJob.Run(store, paths, parse.GetValue(site)!, cancellationToken);
            var kinds = results.SelectMany(r => r.State.Skipped.Keys).Distinct().Order().ToArray();
            ResultWriter.Write(io.Out, new QueryResult(["file", "votes", "up", "down", "other_types", "sightings", .. kinds, "note"],
                results.Select(r => new object?[] { Path.GetFileName(r.File), r.State.Votes, r.State.UpVotes, r.State.DownVotes, r.State.OtherTypes, r.State.Sightings }
                    .Concat(kinds.Select(k => (object?)r.State.Skipped.GetValueOrDefault(k)))
                    .Append(r.AlreadyDone ? "already ingested" : "").ToArray()).ToList()), parse.GetValue(format));
            return Task.FromResult(results.Any(r => r.State.Skipped.Count > 0) ? ExitCodes.DoneWithSkips : ExitCodes.Done);
        });
        return command;
    }

    private static Command RedditDump(CliIO io)
    {
        var files = new Argument<string[]>("FILE") { Description = "RS_*/RC_* monthly or per-subreddit files, .zst or plain NDJSON, in any order", Arity = ArgumentArity.OneOrMore };
        var subreddits = new Option<string?>("--subreddit") { Description = "Only these subreddits (comma-separated, any case)", HelpName = "LIST" };
        var since = new Option<string?>("--since") { Description = "Only items created at or after this date (UTC)", HelpName = "DATE" };
        var until = new Option<string?>("--until") { Description = "Only items created before this date (UTC)", HelpName = "DATE" };
        var db = CommonOptions.Db();
        var format = CommonOptions.Format();
        var command = new Command("reddit-dump", "Pushshift / Arctic Shift dumps: posts and comments, threads rebuilt across files") { files, subreddits, since, until, db, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files)!.Select(io.Resolve).ToList();
            if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
                throw new UsageException($"no such file: {missing}");
            var names = parse.GetValue(subreddits)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var filters = new DumpIngestJob.Filters(names is { Length: > 0 } ? new SubredditFilter(names) : null,
                OptionValues.Date(parse.GetValue(since), "--since"), OptionValues.Date(parse.GetValue(until), "--until"));
            if (filters.Since >= filters.Until)
                throw new UsageException($"--since ({filters.Since:yyyy-MM-dd}) must be earlier than --until ({filters.Until:yyyy-MM-dd}): nothing would be kept");
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(db)!));
            var results = await DumpIngestJob.RunAsync(io, store, paths, filters, cancellationToken);

            var kinds = Enum.GetValues<SkipKind>().Select(k => k.Name()).ToArray();
            ResultWriter.Write(io.Out, new QueryResult(["file", "lines", "posts", "comments", "clamped_scores", .. kinds, "note"],
                results.Select(r => new object?[] { Path.GetFileName(r.File), r.State.Lines, r.State.Posts, r.State.Comments, r.State.ClampedScores }
                    .Concat(kinds.Select(k => (object?)r.State.Skipped.GetValueOrDefault(k)))
                    .Append(r.AlreadyDone ? "already ingested" : "").ToArray()).ToList()), parse.GetValue(format));
            var skipped = results.Sum(r => r.State.Skipped.Values.Sum());
            if (skipped == 0)
                return ExitCodes.Done;
            io.Error.WriteLine($"{skipped:N0} record(s) skipped (see the table; the first examples of each file were logged above)");
            return ExitCodes.DoneWithSkips;
        });
        return command;
    }

}
