using System.ComponentModel.DataAnnotations;
using System.Collections;

namespace LegalRag.Hosting.Configuration;

/// <summary>Validates settings objects recursively (data annotations: the options binder's own validation stops at the
/// top level) so a bad value stops the host at start with its key named.</summary>
public static class SettingsValidation
{
    public static void Validate(object settings, string prefix = LegalRagSettings.Section) =>
        ThrowIfAny(Errors(settings, prefix));

    private static void ThrowIfAny(IReadOnlyList<string> errors)
    {
        if (errors.Count > 0) throw new SettingsException(string.Join("; ", errors));
    }

    /// <summary>Every failure of <paramref name="settings"/> and its nested settings, as "Key:Path: message".</summary>
    public static IReadOnlyList<string> Errors(object settings, string prefix = LegalRagSettings.Section, bool nestedOnly = false)
    {
        var errors = new List<string>();
        Collect(settings, prefix, errors, nestedOnly);
        return errors;
    }

    /// <summary>Only our own settings classes are walked into: framework types (Uri, dictionaries) hold no annotations and may cycle.</summary>
    private static bool IsSettings(object value) =>
        value.GetType() is { IsClass: true } type && type != typeof(string) && value is not IEnumerable
        && type.Namespace?.StartsWith("LegalRag.", StringComparison.Ordinal) == true;

    private static void Collect(object settings, string prefix, List<string> errors, bool nestedOnly = false)
    {
        var results = new List<ValidationResult>();
        if (!nestedOnly && !Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
            errors.AddRange(results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        foreach (var property in settings.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var value = property.GetValue(settings);
            if (value is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is { } item && IsSettings(item)) Collect(item, $"{prefix}:{property.Name}:{i}", errors);
            }
            else if (value is not null && IsSettings(value))
            {
                Collect(value, $"{prefix}:{property.Name}", errors);
            }
        }
    }
}

/// <summary>A setting is missing or wrong; the message names the key (or file) and the reason.</summary>
public sealed class SettingsException(string message) : InvalidOperationException(message);
