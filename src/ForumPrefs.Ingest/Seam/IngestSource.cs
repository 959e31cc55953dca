using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Seam;

/// <summary>
/// The base of a source with typed settings: a source writes its settings record, how to read it from the options,
/// and its ingest; the untyped seam is filled in here.
/// </summary>
public abstract class IngestSource<TSettings> : IIngestSource where TSettings : notnull
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract IReadOnlyDictionary<string, string> DefaultPolicies { get; }
    public virtual IReadOnlyList<string> Aliases => [];
    public abstract string Inputs { get; }
    public abstract IReadOnlyList<string> Formats { get; }
    public virtual IReadOnlyList<SourceOption> Options => [];
    public virtual bool IngestVerb => true;
    public virtual string? RunOption => null;
    public virtual int RunOrder => 0;
    public virtual string ProgressUnit => "files";

    public abstract TSettings Read(SourceArguments arguments);
    public virtual string DatasetName(IReadOnlyList<string> inputs, TSettings settings) => Name;
    public abstract Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, TSettings settings, SourceContext context,
        CancellationToken cancellationToken);

    object IIngestSource.Settings(SourceArguments arguments) => Read(arguments);
    string IIngestSource.DatasetName(IReadOnlyList<string> inputs, object settings) => DatasetName(inputs, (TSettings)settings);
    Task<SourceRun> IIngestSource.IngestAsync(ForumStore store, IReadOnlyList<string> inputs, object settings, SourceContext context,
        CancellationToken cancellationToken) => IngestAsync(store, inputs, (TSettings)settings, context, cancellationToken);
}
