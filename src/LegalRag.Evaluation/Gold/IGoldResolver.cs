namespace LegalRag.Evaluation.Gold;

/// <summary>
/// Maps a gold citation to the provision it names in the evaluated corpus. The store implements it;
/// a null answer marks the gold as unresolvable, which a report lists instead of counting it as a miss.
/// </summary>
public interface IGoldResolver
{
    /// <returns>The provision key ("de-bundesrecht/bgb/s573"), or null when no provision matches.</returns>
    Task<string?> ResolveAsync(string citation, string? corpus, CancellationToken cancellationToken);
}

/// <summary>Reads the text of a stored provision, to check that an answer's quotes are really in it.</summary>
public interface IProvisionTextLookup
{
    /// <returns>The provision's heading and text, or null when no provision has that key.</returns>
    Task<string?> GetTextAsync(string provisionKey, CancellationToken cancellationToken);
}
