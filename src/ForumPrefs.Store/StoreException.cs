namespace ForumPrefs.Store;

/// <summary>A store problem a user can act on; its message is one line meant for the terminal.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
