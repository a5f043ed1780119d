using System.Text;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Languages;

namespace LegalRag.Answering.History;

/// <summary>The case-file export as Markdown: plain text that pastes into any system and still reads without a renderer.</summary>
public static class MarkdownExport
{
    /// <summary>The export with its labels in <paramref name="labels"/>' words (see <see cref="CaseFileExport.LabelLanguage"/>).</summary>
    public static string Write(Conversation conversation, int? exchangeNumber, DateTimeOffset exportedAt, ILegalLanguage labels)
    {
        var text = new StringBuilder();
        foreach (var block in CaseFileExport.Blocks(conversation, exchangeNumber, exportedAt, labels))
        {
            switch (block)
            {
                case ExportHeading h:
                    text.Append('#', h.Level).Append(' ').Append(Inline(h.Text)).Append("\n\n");
                    break;
                case ExportParagraph { Lead: { } lead } p:
                    text.Append("**").Append(Inline(lead)).Append("**").Append(Inline(p.Text)).Append("\n\n");
                    break;
                case ExportParagraph p:
                    text.Append(Inline(p.Text)).Append("\n\n");
                    break;
                case ExportQuote q:
                    foreach (var line in q.Text.Split('\n')) text.Append("> ").Append(Inline(line.TrimEnd())).Append('\n');
                    text.Append('\n');
                    break;
                case ExportMeta m:
                    text.Append('*').Append(Inline(m.Text)).Append("*\n\n");
                    break;
            }
        }
        return text.ToString().TrimEnd() + "\n";
    }

    /// <summary>
    /// Escapes what would turn a user's or a statute's text into markup (emphasis, code, HTML, a heading or list at the
    /// start of a line); square brackets stay, since pinpoints such as [BGB § 573] are never followed by a link target.
    /// </summary>
    internal static string Inline(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '`' or '<' or '>' or '|') escaped.Append('\\');
            escaped.Append(c);
        }
        if (escaped.Length > 0 && escaped[0] is '#' or '-' or '+' or '=') escaped.Insert(0, '\\');
        return escaped.ToString();
    }
}
