using LegalRag.Core.Domain;

namespace LegalRag.Core.References;

/// <summary>A provision named inside a provision's text: "§ 573 Abs. 2" → (null, Section, "573").</summary>
/// <param name="Act">The act as the text names it ("AO", "Bürgerlichen Gesetzbuchs"), or null for the citing act itself.</param>
public sealed record ReferenceMention(string? Act, ProvisionKind Kind, string Number);

/// <summary>One edge as ingestion finds it: from a provision to a cited (act, kind, number), resolved by the store.</summary>
/// <param name="Act">The act named; null means the citing document's own act.</param>
public sealed record ProvisionReference(string FromKey, string? Act, ProvisionKind Kind, string Number);

/// <summary>One language's rules for finding references in legal text. Same-provision pointers
/// ("nach Satz 1", "het eerste lid") are not references and are not returned.</summary>
public interface IReferenceRules
{
    string Language { get; }
    IReadOnlyList<ReferenceMention> Find(string text);
}
