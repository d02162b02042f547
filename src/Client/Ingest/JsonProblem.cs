using System.Text.Json;
using Enrichment.Abstractions;

namespace Enrichment.Client.Ingest;

/// <summary>
/// A JSON reader's error as a sender can act on it: where (field, line, byte) and what kind of mistake. The reader's
/// own message is never passed on: it names the .NET type it was converting to, which means nothing to a sender and
/// tells an attacker about our internals.
/// </summary>
public static class JsonProblem
{
    public static string Describe(JsonException ex)
    {
        var field = Field(ex.Path);
        if (field is not null && ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return $"'{field}' has a value of the wrong type";
        }
        // A message our own converters wrote ("architecture 'vgg' is not known") says what is wrong in the sender's
        // terms: kept, without the position suffix the serializer appends. The reader's own (a subclass) never is.
        if (ex.GetType() == typeof(JsonException) && ex.InnerException is null && OwnMessage(ex.Message) is { } own)
        {
            return field is null ? own : $"'{field}': {own}";
        }
        var at = ex.LineNumber is { } line && ex.BytePositionInLine is { } position ? $" at line {line + 1}, byte {position + 1}" : "";
        return field is null ? $"malformed JSON{at}" : $"malformed JSON{at} (in '{field}')";
    }

    private static string? OwnMessage(string message)
    {
        var end = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = end < 0 ? message : message[..end];
        return text.Length == 0 || text.StartsWith("The JSON ", StringComparison.Ordinal) || text.Contains("System.", StringComparison.Ordinal)
               || text.Contains('`') || text.Contains("Enrichment.", StringComparison.Ordinal)
            ? null
            : ProductEventValidator.Excerpt(text, 200);
    }

    /// <summary>"$.attributes.colour" → "attributes.colour"; null for the document itself. Sender-controlled: excerpted.</summary>
    private static string? Field(string? path) =>
        path is null || path.TrimStart('$', '.').Length == 0 ? null : ProductEventValidator.Excerpt(path.TrimStart('$', '.'), 60);
}
