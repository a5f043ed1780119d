namespace LegalRag.Core.Domain;

/// <summary>What kind of unit a provision is. Sections (§) and articles are the common case;
/// annexes, preambles and closing formulas are kept so nothing in an act is lost.</summary>
public enum ProvisionKind
{
    Section,
    Article,
    Annex,
    Preamble,
    Closing,
    Other,
}

/// <summary>One numbered paragraph ("(1)", "1.", "lid 2") of a provision, or the unnumbered body.</summary>
/// <param name="Label">The paragraph number as written ("1", "2a"), or null for unnumbered text.</param>
/// <param name="Text">The paragraph text, whitespace-normalised.</param>
/// <param name="Page">The 1-based page of a paginated source (PDF), when known.</param>
public sealed record ProvisionParagraph(string? Label, string Text, int? Page = null);

/// <summary>
/// The citable unit of law: a § or an article with its place in the act's hierarchy.
/// Chunks are cut from provisions and never cross two of them.
/// </summary>
public sealed class Provision
{
    /// <summary>Stable identity within the store, e.g. <c>de-bundesrecht/bgb/s573</c>.</summary>
    public required string Key { get; init; }
    public required ProvisionKind Kind { get; init; }
    /// <summary>The number as written: "573", "573a", "7:201", "1er". Empty for unnumbered units.</summary>
    public required string Number { get; init; }
    /// <summary>The heading without its number: "Ordentliche Kündigung des Vermieters".</summary>
    public string Heading { get; init; } = "";
    /// <summary>Canonical pinpoint citation of the whole provision: "BGB § 573", "Code civil, art. 544".</summary>
    public required string Citation { get; init; }
    /// <summary>Hierarchy from the act down to the provision's parent: ["Buch 2", "Abschnitt 8", "Titel 5"].</summary>
    public IReadOnlyList<string> Path { get; init; } = [];
    public IReadOnlyList<ProvisionParagraph> Paragraphs { get; init; } = [];
    /// <summary>Repealed ("(weggefallen)", "(abrogé)") provisions are kept and marked, but not indexed as content.</summary>
    public bool IsRepealed { get; init; }
    /// <summary>Position in the act, so provisions list in the act's order.</summary>
    public int Ordinal { get; init; }
    /// <summary>The publisher's own identifier of the unit, where the source has one: an ELI or FRBR URI, a BWB or
    /// LEGI id, a GII doknr.</summary>
    public string? Identifier { get; init; }
    /// <summary>First day the text is in force, where the source says (BWB inwerking, LEGI DATE_DEBUT).</summary>
    public DateOnly? ValidFrom { get; init; }
    /// <summary>First day the text is no longer in force (the next version's start, a repeal's effect), where the source
    /// says; null: open-ended. See <see cref="Versions.Validity"/>.</summary>
    public DateOnly? ValidTo { get; init; }
    /// <summary>The act that made this version ("Modifié par Loi n°2006-728 du 23 juin 2006 - art. 29"), where the
    /// source says.</summary>
    public string? ChangedBy { get; init; }
    /// <summary>Footnotes and amendment notes: kept with the provision but apart from its normative text.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public int? FirstPage => Paragraphs.Select(p => p.Page).FirstOrDefault(p => p is not null);

    public string Text => string.Join("\n\n", Paragraphs.Select(p => p.Text));

    /// <summary>The path rendered for people: "Buch 2 › Abschnitt 8 › Titel 5".</summary>
    public string PathDisplay => HierarchyPath.Display(Path);
}

public static class HierarchyPath
{
    public const string Separator = " › ";
    public static string Display(IEnumerable<string> path) => string.Join(Separator, path);
    public static IReadOnlyList<string> Parse(string display) =>
        string.IsNullOrEmpty(display) ? [] : display.Split(Separator);
}
