namespace LegalRag.Core.Domain;

/// <summary>What kind of instrument an act is. Everyday questions are answered by statutes far more often
/// than by ordinances, and almost never by amending or transitional acts or by treaties.</summary>
public enum ActKind
{
    Statute,
    Ordinance,
    Amending,
    Transitional,
    Treaty,
}
