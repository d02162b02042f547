using System.Text.RegularExpressions;

namespace Enrichment.Abstractions;

/// <summary>
/// The one set of rules an event must pass, applied by the client before sending and again by the
/// product grain, so that hostile input never reaches storage whichever door it came through.
/// </summary>
public static partial class ProductEventValidator
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 512;
    public const int MaxAttributes = 32;
    public const int MaxAttributeValueLength = 128;

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,31}$")]
    private static partial Regex AttributeNamePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    public static IReadOnlyList<string> Validate(ProductEvent e)
    {
        var errors = new List<string>();
        CheckId("productId", e.ProductId, errors);
        CheckId("eventId", e.EventId, errors);
        if (e.Version < 0)
        {
            errors.Add("version must be >= 0");
        }
        CheckText("name", e.Name, MaxNameLength, errors, required: true);
        if (e.Image is { } image)
        {
            if (!Sha256Pattern().IsMatch(image.Sha256 ?? ""))
            {
                errors.Add("image.sha256 must be 64 lowercase hex characters");
            }
            if (image.Length <= 0)
            {
                errors.Add("image is empty");
            }
        }
        if (e.Attributes is null)
        {
            errors.Add("attributes must not be null");
            return errors;
        }
        if (e.Attributes.Count > MaxAttributes)
        {
            errors.Add($"at most {MaxAttributes} attributes are allowed (got {e.Attributes.Count})");
        }
        foreach (var (name, value) in e.Attributes)
        {
            if (!AttributeNamePattern().IsMatch(name ?? ""))
            {
                errors.Add($"attribute name '{Excerpt(name)}' must match [a-z][a-z0-9_]{{0,31}}");
                continue;
            }
            CheckText($"attributes.{name}", value, MaxAttributeValueLength, errors, required: true);
        }
        return errors;
    }

    /// <summary>Whether <paramref name="productId"/> could name a product (for lookups by id).</summary>
    public static bool IsValidProductId(string? productId)
    {
        var errors = new List<string>();
        CheckId("productId", productId, errors);
        return errors.Count == 0;
    }

    private static void CheckId(string field, string? value, List<string> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add($"{field} is required");
        }
        else if (value.Length > MaxIdLength)
        {
            errors.Add($"{field} is longer than {MaxIdLength} characters");
        }
        else if (!IdPattern().IsMatch(value))
        {
            errors.Add($"{field} '{Excerpt(value)}' may contain only letters, digits and . _ : -");
        }
    }

    private static void CheckText(string field, string? value, int maxLength, List<string> errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add($"{field} is required");
            }
            return;
        }
        if (value.Length > maxLength)
        {
            errors.Add($"{field} is longer than {maxLength} characters");
        }
        if (value.Any(char.IsControl))
        {
            errors.Add($"{field} contains control characters");
        }
    }

    /// <summary>Shortens and escapes untrusted text for error messages and logs.</summary>
    public static string Excerpt(string? value, int max = 40)
    {
        if (value is null)
        {
            return "";
        }
        var escaped = new string(value.Take(max).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return value.Length > max ? escaped + "…" : escaped;
    }
}
