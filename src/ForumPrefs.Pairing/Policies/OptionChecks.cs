namespace ForumPrefs.Pairing.Policies;

/// <summary>How a policy's options record refuses a value: one line naming the option.</summary>
internal static class OptionChecks
{
    public static void Check(bool ok, string problem)
    {
        if (!ok)
            throw new PairingOptionsException(problem);
    }
}
