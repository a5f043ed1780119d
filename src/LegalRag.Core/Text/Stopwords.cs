namespace LegalRag.Core.Text;

/// <summary>Short stopword lists, already lowercased and diacritic-folded as the analyzer folds.</summary>
public static class Stopwords
{
    private static readonly Dictionary<string, string> Lists = new()
    {
        ["de"] = "aber als also am an auch auf aus bei bin bis bist da damit dann das dass dem den denn der des dich die dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer fur gegen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre im in ist ja jede jedem jeden jeder jedes kann kein keine konnen konnte mich mein meine meinem meinen meiner mir mit muss nach nicht noch nun nur ob oder ohne sehr sein seine seinem seinen seiner sich sie sind so soll sollte sondern uber um und uns unser unter vom von vor war waren was weil welche welchem welchen welcher wenn wer werde werden wie wieder will wir wird wo wurde wurden zu zum zur zwar zwischen darf dass gibt geht muss mussen bzw",
        ["fr"] = "a au aux avec ce ces cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y est sont ete etre avoir a ont peut",
        ["nl"] = "aan al als bij dan dat de der deze die dit door een en er had heeft hem het hier hij hoe hun ik in is je kan me men met mij niet nog nu of om ons ook op over te tot u uit van veel voor want was wat we wel werd wie wij worden wordt zal ze zich zij zijn zo",
        ["en"] = "a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its may me my no not of on or our shall she should so such than that the their them then there these they this those to was we were what when where which who whom will with would you your",
    };

    private static readonly Dictionary<string, HashSet<string>> Sets =
        Lists.ToDictionary(kv => kv.Key, kv => kv.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));

    public static HashSet<string> For(string language) => Sets.TryGetValue(language, out var set) ? set : [];
}
