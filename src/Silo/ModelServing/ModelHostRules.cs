using Enrichment.Grains.Serving;
using Microsoft.Extensions.Options;

namespace Enrichment.Silo.Hosting;

public sealed class ModelHostRules : IValidateOptions<ModelHostOptions>
{
    public IEnumerable<string> Check(ModelHostOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.BootstrapCheckpoint) && !Directory.Exists(o.BootstrapCheckpoint))
        {
            yield return $"--model ({SiloRole.ModelCheckpointKey}): no checkpoint folder at '{o.BootstrapCheckpoint}'";
        }
    }

    public ValidateOptionsResult Validate(string? name, ModelHostOptions options) =>
        Check(options).ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
