namespace ForumPrefs.Pairing;

/// <summary>A pairing option out of its range, said in one line naming the option (the command line exits 2).</summary>
public sealed class PairingOptionsException(string message) : Exception(message);
