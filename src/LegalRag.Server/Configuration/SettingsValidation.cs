using System.ComponentModel.DataAnnotations;
using System.Collections;

namespace LegalRag.Server.Configuration;

/// <summary>Validates settings objects recursively (data annotations) so a bad value stops the server at start with its key named.</summary>
public static class SettingsValidation
{
    public static void Validate(object settings, string prefix = ServerSettings.Section)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
            throw new InvalidOperationException(string.Join("; ", results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        foreach (var property in settings.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var value = property.GetValue(settings);
            if (value is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is { } item && item.GetType().IsClass && item is not string) Validate(item, $"{prefix}:{property.Name}:{i}");
            }
            else if (value is not null && property.PropertyType.IsClass && property.PropertyType != typeof(string) && value is not IEnumerable)
            {
                Validate(value, $"{prefix}:{property.Name}");
            }
        }
    }
}
