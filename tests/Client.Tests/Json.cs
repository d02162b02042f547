using System.Text.Json;
using System.Text.Json.Serialization;

namespace Enrichment.Client.Tests;

/// <summary>How the API writes JSON: web defaults with enums as names.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
