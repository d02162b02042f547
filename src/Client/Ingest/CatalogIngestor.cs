using System.Security.Cryptography;
using Enrichment.Abstractions;
using Microsoft.Extensions.Logging;
using Enrichment.Client.Hosting;
using Microsoft.Extensions.Options;
using Enrichment.Abstractions.Diagnostics;

namespace Enrichment.Client.Ingest;

/// <summary>
/// Validates incoming events, stores their images by content hash and applies them to product grains.
/// An event counts as accepted only once its product grain has persisted it; everything refused is
/// recorded in the rejected list with its reason.
/// </summary>
public sealed class CatalogIngestor(IGrainFactory grains, IOptions<IngestOptions> options, ClientMetrics metrics, ILogger<CatalogIngestor> logger)
{
    private readonly IngestOptions _options = options.Value;
    private readonly IngestRetries _retries = new(options.Value.MaxAttempts, new RepeatedFailureLog(logger, TimeSpan.FromSeconds(30)));

    /// <summary>Ingests what <paramref name="sources"/> names, its lines bounded by this ingest's limits.</summary>
    public Task<IngestTally> IngestAsync(IngestSources sources, Action<IngestResult>? onResult = null, CancellationToken ct = default) =>
        IngestAsync(sources.Events(_options.MaxLineBytes, ct), onResult, ct);

    public async Task<IngestTally> IngestAsync(
        IAsyncEnumerable<IncomingEvent> events, Action<IngestResult>? onResult = null, CancellationToken ct = default)
    {
        var tally = new IngestTally();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(events, parallel, async (incoming, token) =>
        {
            var result = await IngestOneAsync(incoming, token);
            tally.Add(result.Status);
            onResult?.Invoke(result);
        });
        return tally;
    }

    public async Task<IngestResult> IngestOneAsync(IncomingEvent incoming, CancellationToken ct = default)
    {
        IngestResult result;
        try
        {
            result = await IngestCoreAsync(incoming, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Whatever goes wrong with one event is that event's result: the rest of the file or request still goes in.
            logger.LogError(ex, "Ingesting {Source} failed unexpectedly", incoming.Source);
            result = new IngestResult(incoming.Source, incoming.Event?.ProductId, incoming.Event?.EventId, IngestStatus.Failed,
                $"unexpected error: {ex.GetType().Name}: {ex.Message}");
        }
        metrics.Ingested(result.Status);
        return result;
    }

    private async Task<IngestResult> IngestCoreAsync(IncomingEvent incoming, CancellationToken ct)
    {
        if (incoming.Error is null)
        {
            IReadOnlyList<IncomingPhoto>? resolved;
            string? unreadable;
            try
            {
                (resolved, unreadable) = await ResolvePhotosAsync(incoming.Photos, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                return Failed(incoming, "Reading a stored photo", ex);
            }
            if (unreadable is not null)
            {
                return await RejectAsync(incoming, unreadable);
            }
            incoming = incoming with { Photos = resolved! };
        }
        var productEvent = incoming.Event;
        var problem = incoming.Error ?? Check(incoming);
        if (problem is not null)
        {
            return await RejectAsync(incoming, problem);
        }

        // Every photo now has its bytes: hashed here, so the event carries references and the bytes go to the store.
        var photos = incoming.Photos
            .Select(p => (Bytes: p.Bytes!, Ref: Reference(p.Bytes!), Stored: p.StoredSha256 is not null))
            .ToList();
        if (photos.Count > 0)
        {
            productEvent = productEvent! with { Image = photos[0].Ref, MoreImages = [.. photos.Skip(1).Select(p => p.Ref)] };
            if (ProductEventValidator.Validate(productEvent).FirstOrDefault() is { } refused)
            {
                return await RejectAsync(incoming, refused);
            }
        }

        ApplyResult applied;
        try
        {
            applied = await _retries.RunAsync("Ingesting an event", async () =>
            {
                foreach (var photo in photos.Where(p => !p.Stored))
                {
                    await grains.Photos().Put(photo.Ref.Sha256, photo.Bytes, photo.Ref.ContentType);
                }
                return await grains.GetGrain<IProductGrain>(productEvent!.ProductId).Apply(productEvent);
            }, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return Failed(incoming, "Ingesting an event", ex);
        }
        if (applied.Outcome == ApplyOutcome.Rejected)
        {
            return await RejectAsync(incoming, applied.Reason ?? "refused by the product");
        }
        return new IngestResult(incoming.Source, productEvent!.ProductId, productEvent.EventId, IngestResult.FromOutcome(applied.Outcome),
            applied.Outcome == ApplyOutcome.Conflict
                ? $"version {productEvent.Version} is already stored with different content; send the change with a newer version"
                : null);
    }

    /// <summary>A transient failure that outlasted its retries: the event is Failed (never accepted, so nothing is lost) and the sender may resend it.</summary>
    private IngestResult Failed(IncomingEvent incoming, string operation, Exception ex)
    {
        _retries.Failures.Report($"{operation} after {_retries.MaxAttempts} attempts (reported Failed)", ex);
        return new IngestResult(incoming.Source, incoming.Event?.ProductId, incoming.Event?.EventId, IngestStatus.Failed, ex.Message);
    }

    private string? Check(IncomingEvent incoming)
    {
        foreach (var (bytes, index) in incoming.Photos.Select((p, i) => (p.Bytes!, i)))
        {
            var which = PhotoField(incoming.Photos.Count, index);
            if (bytes.Length == 0)
            {
                return $"{which} is empty";
            }
            if (bytes.Length > _options.MaxImageBytes)
            {
                return $"{which} is {bytes.Length} bytes; the limit is {_options.MaxImageBytes}";
            }
            if (ImageSniffer.ContentType(bytes) is null)
            {
                return $"{which} is not a JPEG, PNG or WebP file";
            }
            // What decoding will cost, from the header, before anything is stored or queued (a 6 KB PNG can be 49 MP).
            if (ImageHeader.Read(bytes) is { } header)
            {
                if (header.Width <= 0 || header.Height <= 0)
                {
                    return $"{which} header says {header.Width}x{header.Height} pixels";
                }
                if (header.Pixels > _options.MaxImagePixels)
                {
                    return $"{which} is {header.Width}x{header.Height} ({header.Pixels / 1e6:0.#} megapixels); the limit is {_options.MaxImagePixels / 1e6:0.#} (Ingest:MaxImagePixels)";
                }
                if (header.Pixels > (long)_options.MaxPixelsPerByte * bytes.Length)
                {
                    return $"{which} is {header.Width}x{header.Height} in {bytes.Length} bytes: more than {_options.MaxPixelsPerByte} pixels per byte to decode (Ingest:MaxPixelsPerByte)";
                }
            }
        }
        var errors = ProductEventValidator.Validate(incoming.Event!);
        return errors.Count > 0 ? string.Join("; ", errors) : null;
    }

    /// <summary>A photo's reference: its hash, size, type and what decoding it will cost (from its header).</summary>
    private ImageRef Reference(byte[] bytes)
    {
        var contentType = ImageSniffer.ContentType(bytes)!;
        // A header this reader cannot parse is left to the decoder; until then it counts as the dearest photo admitted.
        var cost = ImageHeader.Read(bytes) is { } header
            ? DecodeCost.Pixels(header.Width, header.Height, contentType, header.Interlaced)
            : DecodeCost.Pixels(1, _options.MaxImagePixels > int.MaxValue ? int.MaxValue : (int)_options.MaxImagePixels, contentType, interlaced: true);
        return new ImageRef(Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, contentType, cost);
    }

    /// <summary>
    /// The bytes of every photo: files read size-checked, stored photos named by hash read from the store (so they are
    /// checked like sent ones and the event's reference carries their real size and type). Or why the event cannot use them.
    /// </summary>
    private async Task<(IReadOnlyList<IncomingPhoto>? Photos, string? Problem)> ResolvePhotosAsync(IReadOnlyList<IncomingPhoto> photos, CancellationToken ct)
    {
        var resolved = new List<IncomingPhoto>(photos.Count);
        foreach (var (photo, index) in photos.Select((p, i) => (p, i)))
        {
            var which = PhotoField(photos.Count, index);
            if (photo.File is { } file)
            {
                var (bytes, unreadable) = await ImageFiles.ReadAsync(file, _options.MaxImageBytes, ct);
                if (unreadable is not null)
                {
                    return (null, photos.Count == 1 ? unreadable : $"{which}: {unreadable}");
                }
                resolved.Add(new IncomingPhoto(Bytes: bytes));
            }
            else if (photo.StoredSha256 is { } sha256)
            {
                if (!ProductEventValidator.IsPhotoKey(sha256))
                {
                    return (null, $"{which}.sha256 must be 64 lowercase hex characters");
                }
                // A read, retried like the writes: the store being briefly away must not refuse a good reference.
                if (await _retries.RunAsync("Reading a stored photo", () => grains.Photos().Get(sha256), ct) is not { } blob)
                {
                    return (null, $"{which}: no photo with sha256 {sha256} is stored; send its bytes instead");
                }
                resolved.Add(new IncomingPhoto(Bytes: blob.Bytes, StoredSha256: sha256));
            }
            else
            {
                resolved.Add(photo);
            }
        }
        return (resolved, null);
    }

    private async Task<IngestResult> RejectAsync(IncomingEvent incoming, string reason)
    {
        var e = incoming.Event;
        // Bounded before it is answered, logged or stored: the sender controls how long a reason could grow.
        var rejected = new RejectedEvent(incoming.Source, Safe(e?.EventId), Safe(e?.ProductId), reason, incoming.RawExcerpt, DateTimeOffset.UtcNow).Bounded();
        reason = rejected.Reason;
        logger.LogInformation("Rejected {Source}: {Reason}", rejected.Source, reason);
        try
        {
            await _retries.RunAsync("Recording a rejection", async () =>
            {
                await grains.GetGrain<IRejectedEventsGrain>(0).Record(rejected);
                return true;
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The event stays refused either way; one lost list entry must not stop the rest of the ingest.
            _retries.Failures.Report("Recording a rejection (given up; the event stays refused)", ex);
        }
        return new IngestResult(rejected.Source, rejected.ProductId, rejected.EventId, IngestStatus.Rejected, reason);
    }

    /// <summary>How a problem names a photo: "image" when the event has one, else its place in "images".</summary>
    private static string PhotoField(int count, int index) => count == 1 ? "image" : $"images[{index}]";

    private static string? Safe(string? value) => string.IsNullOrEmpty(value) ? null : ProductEventValidator.Excerpt(value, 128);
}
