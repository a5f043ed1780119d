using System.Text;

namespace LegalRag.Answering.Verification;

/// <summary>
/// Cuts a streamed model answer into claims (sentences or lines) as tokens arrive, so each claim is
/// verified before it is sent. A claim ends at a line break, or at ". ", "! ", "? " before a new
/// sentence; citation markers right after the period ("… gilt. [2] Der …") still belong to it, so a
/// claim is released only once the next real word has started.
/// </summary>
public sealed class ClaimSplitter
{
    private readonly StringBuilder _buffer = new();

    /// <summary>A complete claim and the whitespace that followed it ("\n" keeps line structure).</summary>
    public readonly record struct Claim(string Text, string Separator);

    /// <summary>Adds streamed text and returns the claims it completed.</summary>
    public List<Claim> Push(string text)
    {
        _buffer.Append(text);
        var claims = new List<Claim>();
        while (TryCut(out var claim)) claims.Add(claim);
        return claims;
    }

    /// <summary>What remains when the stream ends.</summary>
    public Claim? Flush()
    {
        var rest = _buffer.ToString().Trim();
        _buffer.Clear();
        return rest.Length > 0 ? new Claim(rest, "") : null;
    }

    private bool TryCut(out Claim claim)
    {
        claim = default;
        var s = _buffer.ToString();
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            int end;
            if (c == '\n') end = i;
            else if (c is '.' or '!' or '?' && i + 1 < s.Length && char.IsWhiteSpace(s[i + 1]) && !(i > 0 && char.IsDigit(s[i - 1]))) end = i + 1;
            else continue;

            // Swallow whitespace and any markers that trail the sentence end.
            var j = end;
            while (true)
            {
                while (j < s.Length && s[j] is ' ' or '\t') j++;
                if (j < s.Length && s[j] == '[')
                {
                    var close = s.IndexOf(']', j);
                    if (close < 0) return false; // marker still streaming
                    j = close + 1;
                    end = j;
                    continue;
                }
                break;
            }
            if (c != '\n')
            {
                // Need to see the start of the next sentence (or a line break) to know the claim is complete.
                if (j >= s.Length) return false;
                if (!(s[j] == '\n' || char.IsUpper(s[j]) || char.IsDigit(s[j]) || s[j] is '-' or '*' or '"' or '„' or '“' or '«' or '(')) continue;
            }
            var text = s[..end].Trim();
            var k = end;
            while (k < s.Length && char.IsWhiteSpace(s[k]) && s[k] != '\n') k++;
            var separator = k < s.Length && s[k] == '\n' ? "\n" : " ";
            while (k < s.Length && s[k] == '\n') k++;
            _buffer.Remove(0, k);
            if (text.Length == 0) { s = _buffer.ToString(); i = -1; continue; }
            claim = new Claim(text, separator);
            return true;
        }
        return false;
    }
}
