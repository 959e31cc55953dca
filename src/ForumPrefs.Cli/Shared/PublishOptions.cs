using ForumPrefs.Datasets;
using ForumPrefs.Export.Redaction;
using System.CommandLine;

namespace ForumPrefs.Cli;

/// <summary>What makes an export fit to publish, shared by <c>export</c> and <c>run</c>: redaction, attribution, shard size.</summary>
internal sealed class PublishOptions
{
    private static readonly ExportOptions Defaults = new(ExportFormat.Shp);

    private readonly Option<string> _redact = new("--redact")
    {
        Description = $"Replace personal data by placeholders: all, none, or a comma list of {string.Join(", ", PiiKinds.All.Select(PiiKinds.Name))} (code and URLs are left alone)",
        HelpName = "KINDS", DefaultValueFactory = _ => Defaults.Redact,
    };
    private readonly Option<bool> _attribution = new("--attribution") { Description = "Licence, link and author columns for every forum (CC BY-SA forums such as Stack Exchange get them anyway)" };
    private readonly Option<double> _maxFileMb = new("--max-file-mb") { Description = "Cut each split into shards of about this many MB (0: one file); the default is push_to_hub's shard size", HelpName = "MB", DefaultValueFactory = _ => Defaults.MaxFileMb };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _redact, _attribution, _maxFileMb })
            command.Options.Add(option);
    }

    /// <summary>The options with this command line's values, checked.</summary>
    public ExportOptions Apply(ParseResult parse, ExportOptions options)
    {
        try
        {
            PiiKinds.Parse(parse.GetValue(_redact));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
        if (parse.GetValue(_maxFileMb) is < 0 or double.NaN)
            throw new UsageException($"--max-file-mb must be 0 or more, not {parse.GetValue(_maxFileMb)}");
        return options with { Redact = parse.GetValue(_redact)!, Attribution = parse.GetValue(_attribution), MaxFileMb = parse.GetValue(_maxFileMb) };
    }
}
