using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace LegalRag.Answering.Llm;

/// <summary>
/// The grounded-answer prompt, in the language of the question. The rules sit in the system message;
/// the statute text goes into the user message as numbered, delimited data, and the rules are repeated
/// after it, so text inside a document ("ignore previous instructions…") is read as something a
/// provision says, never as an instruction. The delimiter cannot be forged from inside a document:
/// any tag resembling it in the text is defused before it is sent.
/// </summary>
public static partial class PromptBuilder
{
    /// <summary>What the model answers when the sources do not support an answer; mapped to our refusal text.</summary>
    public const string NoAnswer = "NO_ANSWER";

    [GeneratedRegex(@"<\s*/?\s*(source|sources)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DelimiterLike();

    public static IReadOnlyList<ChatMessage> Build(string question, string language, IReadOnlyList<AnswerSource> sources)
    {
        var pack = LanguageRegistry.Default.ForAnswers(language);
        var t = pack.Prompts;
        var user = new StringBuilder();
        user.AppendLine(t.SourcesTitle);
        user.AppendLine("<sources>");
        foreach (var s in sources)
        {
            var p = s.Provision.Provision;
            user.Append("<source id=\"").Append(s.Number).Append("\" citation=\"").Append(Attribute(pack.Answers.WithVersion(s.Citation, p.ValidFrom))).Append("\">").AppendLine();
            if (p.Heading.Length > 0) user.AppendLine(Defuse(p.Heading));
            foreach (var paragraph in p.Paragraphs)
            {
                if (paragraph.Label is not null) user.Append('(').Append(paragraph.Label).Append(") ");
                user.AppendLine(Defuse(paragraph.Text));
            }
            user.AppendLine("</source>");
        }
        user.AppendLine("</sources>");
        user.AppendLine();
        user.Append(t.Question).Append(' ').AppendLine(question.Trim());
        user.AppendLine();
        user.AppendLine(t.Reminder);
        return [new ChatMessage(ChatRole.System, t.System), new ChatMessage(ChatRole.User, user.ToString())];
    }

    /// <summary>Messages asking the model to turn a follow-up into a standalone query.</summary>
    public static IReadOnlyList<ChatMessage> BuildRewrite(string question, string language, IReadOnlyList<ChatTurn> history)
    {
        var t = LanguageRegistry.Default.ForAnswers(language).Prompts;
        var messages = new List<ChatMessage> { new(ChatRole.System, t.Rewrite) };
        foreach (var turn in history.TakeLast(3))
        {
            messages.Add(new ChatMessage(ChatRole.User, turn.Question));
            messages.Add(new ChatMessage(ChatRole.Assistant, turn.Answer.Length > 600 ? turn.Answer[..600] : turn.Answer));
        }
        messages.Add(new ChatMessage(ChatRole.User, question));
        return messages;
    }

    /// <summary>Breaks anything in document text that looks like our source delimiters, so no document can close its block.</summary>
    internal static string Defuse(string text) => DelimiterLike().Replace(text, m => "‹" + m.Value[1..]);

    private static string Attribute(string text) => text.Replace("\"", "'").Replace("<", "‹").Replace(">", "›");
}
