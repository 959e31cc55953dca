using ForumPrefs.Ingest.Seam;
using System.CommandLine;
using System.Globalization;

namespace ForumPrefs.Cli;

/// <summary>
/// A source's declared options as command-line options, and their values handed back to it. Options of the same name
/// (two sources' --site, or one run already has) are one option.
/// </summary>
internal sealed class SourceOptions
{
    private readonly Dictionary<string, Option> _options = new(StringComparer.Ordinal);

    /// <param name="own">Options the verb has already (by name without dashes): their values go to the sources too.</param>
    public SourceOptions(Command command, IEnumerable<SourceOption> declared, bool requiredAsDeclared, IReadOnlyDictionary<string, Option>? own = null)
    {
        foreach (var (name, option) in own ?? new Dictionary<string, Option>())
            _options[name] = option;
        foreach (var o in declared)
        {
            if (_options.ContainsKey(o.Name))
                continue;
            Option option = o.Kind == SourceOptionKind.Flag
                ? new Option<bool>("--" + o.Name) { Description = o.Description }
                : new Option<string?>("--" + o.Name)
                {
                    Description = o.Description, HelpName = o.HelpName, Required = requiredAsDeclared && o.Required,
                    DefaultValueFactory = o.Default is null ? null : _ => o.Default,
                };
            _options[o.Name] = option;
            command.Options.Add(option);
        }
    }

    /// <summary>Every value given (or defaulted), as text; an option left out and without default is absent.</summary>
    public SourceArguments Read(ParseResult parse, CliIO io)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, option) in _options)
        {
            if (parse.GetResult(option) is not { } result || (result.Implicit && option is not Option<string?>))
                continue; // not given: the source's own default applies
            values[name] = option switch
            {
                Option<string?> text => parse.GetValue(text),
                Option<bool> flag => parse.GetValue(flag) ? "true" : "false",
                Option<int> number => parse.GetValue(number).ToString(CultureInfo.InvariantCulture),
                Option<string[]> many => string.Join(",", parse.GetValue(many) ?? []),
                _ => throw new InvalidOperationException($"--{name}: no reading for {option.GetType().Name}"),
            };
        }
        return new SourceArguments(values, io.Resolve);
    }
}
