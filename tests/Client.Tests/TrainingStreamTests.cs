using System.Text.Json;

namespace Enrichment.Client.Tests;

/// <summary>Issue 11, item 3: the training status is pushed to every open console from one shared reading.</summary>
[Collection(ClientApiCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class TrainingStreamTests(ClientApiFixture fixture)
{
    [Fact]
    public async Task Every_open_viewer_gets_the_status_now_and_again_from_the_shared_feed()
    {
        var viewers = new List<(HttpResponseMessage Response, StreamReader Reader)>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var response = await fixture.Http.GetAsync("/api/training/stream", HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
                viewers.Add((response, new StreamReader(await response.Content.ReadAsStreamAsync())));
            }
            foreach (var (_, reader) in viewers)
            {
                // The first event is the viewer's own reading; the second can only come from the feed.
                for (var events = 0; events < 2; events++)
                {
                    var data = await NextDataAsync(reader).WaitAsync(TimeSpan.FromSeconds(30));
                    using var status = JsonDocument.Parse(data);
                    Assert.True(status.RootElement.ValueKind is JsonValueKind.Null or JsonValueKind.Object, data);
                }
            }
        }
        finally
        {
            foreach (var (response, reader) in viewers)
            {
                reader.Dispose();
                response.Dispose();
            }
        }
    }

    private static async Task<string> NextDataAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }
        throw new EndOfStreamException("the stream ended");
    }
}
