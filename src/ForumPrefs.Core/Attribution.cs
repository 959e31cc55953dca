namespace ForumPrefs.Core;

/// <summary>Who wrote an item, where it lives and under what licence, as an export attributes it.</summary>
public sealed record Attribution(string License, string Url, string Author);

/// <summary>The attribution of a pair's question and its two answers.</summary>
public sealed record PairAttribution(Attribution Question, Attribution Preferred, Attribution Other)
{
    public Attribution A(PreferencePair pair) => pair.PreferredIsA ? Preferred : Other;
    public Attribution B(PreferencePair pair) => pair.PreferredIsA ? Other : Preferred;
}
