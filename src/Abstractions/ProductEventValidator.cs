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

    /// <summary>Problems listed one by one; the rest are only counted, so a reason never grows with the input.</summary>
    public const int MaxReportedProblems = 5;

    // \z, not $: .NET's $ also matches before a final "\n", which let "id\n" pass as a distinct id.
    [GeneratedRegex(@"^[A-Za-z0-9._:-]+\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,31}\z")]
    private static partial Regex AttributeNamePattern();

    [GeneratedRegex(@"^[0-9a-f]{64}\z")]
    private static partial Regex Sha256Pattern();

    /// <summary>
    /// The largest version accepted: 2^53 - 1, the largest integer every JSON reader holds exactly. It also keeps a
    /// product updatable: an event at <see cref="long.MaxValue"/> would leave no newer version to send, freezing it.
    /// </summary>
    public const long MaxVersion = 9_007_199_254_740_991;

    /// <summary>The event's problems: at most <see cref="MaxReportedProblems"/> messages, then one that counts the rest.</summary>
    public static IReadOnlyList<string> Validate(ProductEvent e) => Validate(e, []);

    /// <summary>Whether <paramref name="sha256"/> is a photo's key: 64 lowercase hex digits.</summary>
    public static bool IsPhotoKey(string sha256) => Sha256Pattern().IsMatch(sha256);

    /// <summary>
    /// The event's problems after <paramref name="earlier"/> ones (what its reader already found: a version missing,
    /// an image that is not base64), all under the one cap, so a reason lists every problem it can up to the cap.
    /// </summary>
    public static IReadOnlyList<string> Validate(ProductEvent e, IEnumerable<string> earlier)
    {
        var errors = new ProblemList(MaxReportedProblems);
        foreach (var problem in earlier)
        {
            errors.Add(problem);
        }
        CheckId("productId", e.ProductId, errors);
        CheckId("eventId", e.EventId, errors);
        if (e.Version is < 0 or > MaxVersion)
        {
            errors.Add($"version must be between 0 and {MaxVersion}");
        }
        CheckText("name", e.Name, MaxNameLength, errors, required: true);
        if (e.Photos.Count > ProductPhotos.Max)
        {
            errors.Add($"at most {ProductPhotos.Max} photos per product (got {e.Photos.Count})");
        }
        else if (e.Image is null && e.MoreImages is { Count: > 0 })
        {
            errors.Add("further photos need a primary one");
        }
        foreach (var (image, index) in e.Photos.Take(ProductPhotos.Max).Select((image, index) => (image, index)))
        {
            var which = e.Photos.Count == 1 ? "image" : $"images[{index}]";
            if (!Sha256Pattern().IsMatch(image.Sha256 ?? ""))
            {
                errors.Add($"{which}.sha256 must be 64 lowercase hex characters");
            }
            if (image.Length <= 0)
            {
                errors.Add($"{which} is empty");
            }
        }
        if (e.Photos.Select(p => p.Sha256).Distinct(StringComparer.Ordinal).Count() < e.Photos.Count)
        {
            errors.Add("the same photo is given twice");
        }
        if (e.Attributes is null)
        {
            errors.Add("attributes must not be null");
            return errors.ToList();
        }
        // Counted before any name is looked at: a million bad names must cost one message, not a million.
        if (e.Attributes.Count > MaxAttributes)
        {
            errors.Add($"at most {MaxAttributes} attributes are allowed (got {e.Attributes.Count})");
            return errors.ToList();
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
        return errors.ToList();
    }

    /// <summary>Whether <paramref name="productId"/> could name a product (for lookups by id).</summary>
    public static bool IsValidProductId(string? productId)
    {
        var errors = new ProblemList(1);
        CheckId("productId", productId, errors);
        return errors.Count == 0;
    }

    private static void CheckId(string field, string? value, ProblemList errors)
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
        else if (value is "." or "..")
        {
            // Path segments: stored, but no URL could ever reach them.
            errors.Add($"{field} must not be '.' or '..'");
        }
    }

    private static void CheckText(string field, string? value, int maxLength, ProblemList errors, bool required)
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
            return;
        }
        if (value.Any(char.IsControl))
        {
            errors.Add($"{field} contains control characters");
        }
        if (TextRules.HasInvisibleOrBidiControl(value))
        {
            errors.Add($"{field} contains invisible or bidirectional control characters");
        }
        if (!TextRules.IsWellFormedUtf16(value))
        {
            errors.Add($"{field} is not valid Unicode (unpaired surrogate)");
        }
    }

    /// <summary>Shortens and escapes untrusted text for error messages and logs.</summary>
    public static string Excerpt(string? value, int max = 40)
    {
        if (value is null)
        {
            return "";
        }
        var escaped = new string(value.Take(max).Select(c => char.IsControl(c) || TextRules.IsInvisibleOrBidiControl(c) ? '?' : c).ToArray());
        return value.Length > max ? escaped + "…" : escaped;
    }

    /// <summary>Keeps the first few messages and counts the others.</summary>
    private sealed class ProblemList(int keep)
    {
        private readonly List<string> _kept = new();
        public int Count { get; private set; }

        public void Add(string message)
        {
            if (Count++ < keep)
            {
                _kept.Add(message);
            }
        }

        public List<string> ToList() =>
            Count > _kept.Count ? [.. _kept, $"and {Count - _kept.Count} more problems"] : _kept;
    }
}
