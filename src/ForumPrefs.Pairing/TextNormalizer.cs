namespace ForumPrefs.Pairing;

/// <summary>Whitespace-insensitive text comparison: two answers that differ only in spacing carry no preference.</summary>
public static class TextNormalizer
{
    public static bool SameText(string a, string b)
    {
        int i = 0, j = 0;
        while (true)
        {
            i = SkipSpace(a, i, out var spaceA);
            j = SkipSpace(b, j, out var spaceB);
            var endA = i >= a.Length;
            var endB = j >= b.Length;
            if (endA || endB)
                return endA && endB;
            // Inner runs of whitespace must match as runs (one or more), not be ignored: "a b" differs from "ab".
            if (spaceA != spaceB && i > 0 && j > 0)
                return false;
            if (a[i] != b[j])
                return false;
            i++;
            j++;
        }
    }

    private static int SkipSpace(string text, int index, out bool skipped)
    {
        var start = index;
        while (index < text.Length && char.IsWhiteSpace(text[index]))
            index++;
        skipped = index > start;
        return index;
    }
}
