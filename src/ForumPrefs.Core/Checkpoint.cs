namespace ForumPrefs.Core;

/// <summary>Where a resumable job stands: <see cref="State"/> is opaque to the store (usually JSON or a cursor).</summary>
public sealed record Checkpoint(string Source, string Key, string State, DateTimeOffset Updated);
