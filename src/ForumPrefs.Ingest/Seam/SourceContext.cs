namespace ForumPrefs.Ingest.Seam;

/// <summary>What an ingest gets from whoever runs it: where to report progress and notices, and the clock crawls pace by.</summary>
public sealed record SourceContext(IngestReporter Reporter, TimeProvider Time);
