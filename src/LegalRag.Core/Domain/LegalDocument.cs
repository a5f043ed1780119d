namespace LegalRag.Core.Domain;

/// <summary>A corpus: a named collection of acts in one language (e.g. all German federal law).</summary>
public sealed record CorpusInfo(string Name, string Language);

/// <summary>
/// One source file after parsing: usually one act (a statute, an ordinance), sometimes one article
/// of an act split across files (the French Code civil has one file per article).
/// </summary>
public sealed class LegalDocument
{
    /// <summary>Path of the source relative to the ingested root, with '/' separators.</summary>
    public required string SourcePath { get; init; }
    /// <summary>SHA-256 of the source bytes: re-ingesting an unchanged file is a no-op.</summary>
    public required string ContentHash { get; init; }
    public required string Language { get; init; }
    public required string Title { get; init; }
    /// <summary>Official abbreviation ("BGB", "BW"); null when the act has none.</summary>
    public string? Abbreviation { get; init; }
    /// <summary>The format the parser read: markdown, pdf, docx, html, xml, gii-xml, bwb-xml, legi-xml, akn, rt-xml.</summary>
    public required string Format { get; init; }
    /// <summary>The publisher's identifier of the act (ELI/FRBR work URI, BWB id, LEGI text id, GII doknr of the act).</summary>
    public string? Identifier { get; init; }
    /// <summary>Further names the act is cited by, from the source itself (GII amtabk beside the jurabk key).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>The version of the act this file holds: in force from, where the source says.</summary>
    public DateOnly? ValidFrom { get; init; }
    /// <summary>… and until, where the source says; null: open-ended.</summary>
    public DateOnly? ValidTo { get; init; }
    /// <summary>Where and when the source was taken; the ingest pipeline fills it when the parser did not.</summary>
    public Provenance? Provenance { get; init; }
    public IReadOnlyList<Provision> Provisions { get; init; } = [];
    /// <summary>Problems that did not stop parsing (an OCR page that failed, a skipped element).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>References found in the provisions' texts, stored (and replaced) with the document.</summary>
    public IReadOnlyList<References.ProvisionReference> References { get; init; } = [];

    /// <summary>The name by which citations refer to the act: its abbreviation, else its title.</summary>
    public string ActName => Abbreviation ?? Title;

    /// <summary>This document with the references found in it (ingestion extracts them after parsing).</summary>
    public LegalDocument WithReferences(IReadOnlyList<References.ProvisionReference> references) => With(references, Provenance);

    /// <summary>This document with its provenance (ingestion records where and when it read the source).</summary>
    public LegalDocument WithProvenance(Provenance provenance) => With(References, provenance);

    /// <summary>This document with other provisions (a snapshot ingest merges the stored versions with the new texts).</summary>
    public LegalDocument WithProvisions(IReadOnlyList<Provision> provisions) => With(References, Provenance, provisions);

    private LegalDocument With(IReadOnlyList<References.ProvisionReference> references, Provenance? provenance, IReadOnlyList<Provision>? provisions = null) => new()
    {
        SourcePath = SourcePath,
        ContentHash = ContentHash,
        Language = Language,
        Title = Title,
        Abbreviation = Abbreviation,
        Format = Format,
        Identifier = Identifier,
        Aliases = Aliases,
        ValidFrom = ValidFrom,
        ValidTo = ValidTo,
        Provenance = provenance,
        Provisions = provisions ?? Provisions,
        Warnings = Warnings,
        References = references,
    };
}

/// <summary>A retrievable piece of one provision, carrying that provision's pinpoint citation.</summary>
public sealed record Chunk
{
    public required string ProvisionKey { get; init; }
    public required int Ordinal { get; init; }
    /// <summary>Pinpoint citation of exactly what the chunk holds: "BGB § 573 Abs. 2" or "BGB § 573 Abs. 1–2".</summary>
    public required string Citation { get; init; }
    public required string Text { get; init; }
    /// <summary>Heading of the provision (indexed with more weight than the body).</summary>
    public string Heading { get; init; } = "";
    public int? Page { get; init; }
    /// <summary>SHA-256 of the text: embedding caches key on it.</summary>
    public required string ContentHash { get; init; }
}
