namespace Enrichment.Client.Ingest;

/// <summary>Bound from the "Ingest" section.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Larger images are refused at the door: catalogue photos are kilobytes, not megabytes.</summary>
    public int MaxImageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Most pixels a photo may have (read from its header before it is accepted): decoding costs pixels, not bytes, and
    /// the model reads 80x60. 25 million covers a 4000x6000 camera original.
    /// </summary>
    public long MaxImagePixels { get; set; } = 25_000_000;

    /// <summary>
    /// Most pixels per encoded byte: a few kilobytes that decode to tens of megapixels are a decompression bomb, not a
    /// photo (real catalogue photos: 1-40; a flat-colour PNG: a few hundred).
    /// </summary>
    public int MaxPixelsPerByte { get; set; } = 1000;

    /// <summary>Events in flight at once.</summary>
    public int Parallelism { get; set; } = 32;

    /// <summary>Attempts for a transient cluster failure before the event is reported as failed (not lost: it was never accepted).</summary>
    public int MaxAttempts { get; set; } = 5;

    public int MaxEventsPerRequest { get; set; } = 1000;

    /// <summary>Largest POST /api/events body: a few events with base64 photos, not a whole catalogue (use the ingest CLI).</summary>
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Longest NDJSON file line: one event with the largest image base64-encoded, plus room for its other fields (ids,
    /// a 512-character name and 32 attributes, every character escaped). A longer line cannot be an event the ingest
    /// accepts, so it is refused unread rather than held (a 60 MB line cost the CLI 850 MB).
    /// </summary>
    public int MaxLineBytes => (int)Math.Min(int.MaxValue, ((long)MaxImageBytes + 2) / 3 * 4 + 64 * 1024);

    /// <summary>Token that POST /api/events requires (X-Ingest-Token or Authorization: Bearer); empty leaves ingest open.</summary>
    public string? Token { get; set; }
}
