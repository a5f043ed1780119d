using System.Text;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;

namespace LegalRag.Ingestion.Chunking;

public sealed record ChunkingOptions
{
    /// <summary>Chunks aim to stay under this many characters; a provision shorter than this is one chunk.</summary>
    public int MaxChars { get; init; } = 1500;
}

/// <summary>
/// Cuts provisions into chunks along their own structure: a provision is the unit, a long one splits
/// between paragraphs ("(1)", "(2)"), and only a single over-long paragraph splits: between sentences, and a
/// table in it between rows, its header repeated on every piece (<see cref="ParagraphSplitter"/>).
/// A chunk never crosses two provisions, and it carries the pinpoint of exactly what it holds.
/// Repealed provisions get no chunks: they are kept for lookup, not indexed as content.
/// </summary>
public sealed class StructureChunker(ChunkingOptions? options = null)
{
    private readonly int _maxChars = Math.Max(200, (options ?? new ChunkingOptions()).MaxChars);

    public IReadOnlyList<Chunk> Chunk(LegalDocument document)
    {
        var chunks = new List<Chunk>();
        foreach (var provision in document.Provisions)
        {
            if (provision.IsRepealed) continue;
            var ordinal = 0;
            foreach (var group in GroupParagraphs(provision.Paragraphs))
            {
                var citation = provision.Kind is ProvisionKind.Other or ProvisionKind.Preamble or ProvisionKind.Closing
                    ? provision.Citation
                    : CitationFormatter.FormatRange(document.Language, document.ActName, provision.Kind, provision.Number, group.FirstLabel, group.LastLabel);
                chunks.Add(new Chunk
                {
                    ProvisionKey = provision.Key,
                    Ordinal = ordinal++,
                    Citation = citation,
                    Heading = provision.Heading,
                    Text = group.Text,
                    Page = group.Page,
                    ContentHash = Hashing.Sha256Hex(provision.Heading + "\n" + group.Text),
                });
            }
        }
        return chunks;
    }

    private sealed record ParagraphGroup(string Text, string? FirstLabel, string? LastLabel, int? Page);

    private IEnumerable<ParagraphGroup> GroupParagraphs(IReadOnlyList<ProvisionParagraph> paragraphs)
    {
        var total = paragraphs.Sum(p => p.Text.Length + 2);
        if (total <= _maxChars)
        {
            if (paragraphs.Count == 0) yield break;
            // The whole provision fits: one chunk, cited as the provision itself (no "Abs." range).
            yield return new ParagraphGroup(string.Join("\n\n", paragraphs.Select(p => p.Text)), null, null, paragraphs[0].Page);
            yield break;
        }

        var buffer = new StringBuilder();
        string? first = null, last = null;
        int? page = null;
        foreach (var p in paragraphs)
        {
            if (p.Text.Length > _maxChars)
            {
                if (buffer.Length > 0) { yield return new ParagraphGroup(buffer.ToString(), first, last, page); buffer.Clear(); }
                foreach (var piece in ParagraphSplitter.Split(p.Text, _maxChars))
                    yield return new ParagraphGroup(piece, p.Label, p.Label, p.Page);
                first = last = null; page = null;
                continue;
            }
            if (buffer.Length > 0 && buffer.Length + p.Text.Length + 2 > _maxChars)
            {
                yield return new ParagraphGroup(buffer.ToString(), first, last, page);
                buffer.Clear();
                first = null; page = null;
            }
            if (buffer.Length > 0) buffer.Append("\n\n");
            buffer.Append(p.Text);
            first ??= p.Label;
            last = p.Label;
            page ??= p.Page;
        }
        if (buffer.Length > 0) yield return new ParagraphGroup(buffer.ToString(), first, last, page);
    }
}
