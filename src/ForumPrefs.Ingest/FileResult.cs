namespace ForumPrefs.Ingest;

/// <summary>What an ingest did with one file: its checkpoint state, and whether it was finished before this run.</summary>
public sealed record FileResult<TState>(string File, TState State, bool AlreadyDone) where TState : IngestState;
