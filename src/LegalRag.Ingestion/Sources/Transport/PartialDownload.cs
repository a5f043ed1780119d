namespace LegalRag.Ingestion.Sources.Transport;

/// <summary>
/// A broken download kept beside its destination as "&lt;destination&gt;.partial", with the validator of the response it
/// came from in "&lt;destination&gt;.partial.validator": resuming sends that validator as If-Range, so the server sends
/// the rest only if the resource is still the one the first bytes came from. A partial without a validator cannot be
/// resumed safely and is started over.
/// </summary>
internal sealed class PartialDownload(string destination)
{
    public string Path { get; } = destination + ".partial";

    private string ValidatorPath { get; } = destination + ".partial.validator";

    /// <summary>The bytes already on disk and the If-Range value to resume them with; (0, null) when there is nothing
    /// usable (what there was is removed).</summary>
    public (long Length, string? Validator) Resumable()
    {
        var length = File.Exists(Path) ? new FileInfo(Path).Length : 0;
        var validator = File.Exists(ValidatorPath) ? File.ReadAllText(ValidatorPath).Trim() : "";
        if (length > 0 && validator.Length > 0) return (length, validator);
        Delete();
        return (0, null);
    }

    /// <summary>Records the validator of the response now being written (none: the partial will not be resumed).</summary>
    public void Begin(string? validator)
    {
        if (validator is null) File.Delete(ValidatorPath);
        else File.WriteAllText(ValidatorPath, validator);
    }

    /// <summary>The download is complete: it replaces the destination in one step.</summary>
    public void Complete(string destinationPath)
    {
        File.Move(Path, destinationPath, overwrite: true);
        File.Delete(ValidatorPath);
    }

    public void Delete()
    {
        File.Delete(Path);
        File.Delete(ValidatorPath);
    }
}
