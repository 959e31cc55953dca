namespace ForumPrefs.Export.Redaction;

/// <summary>The kinds of personal data redacted, each replaced by its typed placeholder.</summary>
public enum PiiKind
{
    Email,
    Phone,
    Ip,
    User,
}

public static class PiiKinds
{
    public static readonly PiiKind[] All = Enum.GetValues<PiiKind>();

    public static string Placeholder(PiiKind kind) => kind switch
    {
        PiiKind.Email => "<EMAIL>",
        PiiKind.Phone => "<PHONE>",
        PiiKind.Ip => "<IP>",
        _ => "<USER>",
    };

    public static string Name(PiiKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// <c>--redact</c>'s value: all (the default), none, or a comma list of kinds.
    /// </summary>
    public static IReadOnlySet<PiiKind> Parse(string? value)
    {
        var text = (value ?? "all").Trim().ToLowerInvariant();
        if (text == "all")
            return All.ToHashSet();
        if (text == "none")
            return new HashSet<PiiKind>();
        var kinds = new HashSet<PiiKind>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            kinds.Add(All.FirstOrDefault(k => Name(k) == part, (PiiKind)(-1)) is var kind && kind >= 0
                ? kind
                : throw new ArgumentException($"--redact takes all, none or a comma list of {string.Join(", ", All.Select(Name))}, not '{part}'"));
        return kinds;
    }
}
