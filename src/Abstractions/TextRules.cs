using System.Text;

namespace Enrichment.Abstractions;

/// <summary>Character classes that untrusted text must not smuggle in, shared by event validation and the HTTP API.</summary>
public static class TextRules
{
    /// <summary>
    /// Characters that render as nothing or reorder what follows (zero-width spaces and joiners, bidi embeddings,
    /// overrides and isolates, the BOM): they make two different strings look the same to an operator.
    /// </summary>
    public static bool IsInvisibleOrBidiControl(char c) => c is
        (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2060' and <= '\u2064')
        or (>= '\u2066' and <= '\u2069') or '\uFEFF' or '\u061C';

    /// <summary>Who acts (deploys, reviews): names are recorded with what they did.</summary>
    public const int MaxActorLength = 64;

    /// <summary>
    /// A name of who acts: present, at most <see cref="MaxActorLength"/> characters, on one line, and refused for what an
    /// event's text is refused for (no zero-width or bidi controls, no unpaired surrogates): "adm\u202Enimda" reads
    /// "admadmin" to whoever looks at the history.
    /// </summary>
    public static bool IsActorName(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= MaxActorLength && !value.Any(char.IsControl) && IsPlain(value);

    /// <summary>Free text a person writes (a reason, a note): absent, or at most <paramref name="max"/> characters with line breaks as the only control characters, and no invisible, bidi or broken characters.</summary>
    public static bool IsNote(string? value, int max) =>
        value is null || (value.Length <= max && !value.Any(c => char.IsControl(c) && c != '\n') && IsPlain(value));

    /// <summary>No zero-width or bidi control characters and no unpaired surrogates: the event text rules' character checks.</summary>
    public static bool IsPlain(string value) => !HasInvisibleOrBidiControl(value) && IsWellFormedUtf16(value);

    public static bool HasInvisibleOrBidiControl(string value)
    {
        foreach (var c in value)
        {
            if (IsInvisibleOrBidiControl(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>False when the text holds an unpaired surrogate (a JSON "\ud800" escape, say), which no UTF-8 can carry.</summary>
    public static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }
            i += consumed - 1;
        }
        return true;
    }

    /// <summary>
    /// <paramref name="value"/> in Unicode normalisation form C: "Café" typed as e + combining acute and as é is one
    /// value to store, to search and to count. Text that cannot be normalised (an unpaired surrogate, which validation
    /// refuses anyway) is returned as it is rather than thrown on.
    /// </summary>
    public static string Nfc(string value)
    {
        try
        {
            return value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return value;
        }
    }

    /// <summary>Text cut to <paramref name="max"/> characters with a marker saying how much was left out.</summary>
    public static string Truncate(string value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }
        var cut = char.IsHighSurrogate(value[max - 1]) ? max - 1 : max; // never split a surrogate pair
        return string.Concat(value.AsSpan(0, cut), $"… ({value.Length - cut} more characters)");
    }
}
