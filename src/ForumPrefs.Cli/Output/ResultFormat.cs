namespace ForumPrefs.Cli.Output;

public enum ResultFormat
{
    Table,
    Csv,
    Json,
}
