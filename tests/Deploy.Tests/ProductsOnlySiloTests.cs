using Enrichment.Deploy.Tests.LocalCluster;
using Enrichment.TestSupport;

namespace Enrichment.Deploy.Tests;

/// <summary>
/// A products-only silo (built with SiloRole=Products) carries only what it runs: its published output has no model
/// code, no TorchSharp and no libtorch, and it refuses the switches that would make it serve models. The local cluster
/// (<see cref="LocalClusterTests"/>) runs this build beside a model silo.
/// </summary>
[Trait("Category", "Processes")]
public sealed class ProductsOnlySiloTests
{
    [Fact]
    public void The_products_only_publish_carries_no_model_code_torchsharp_or_libtorch_and_the_default_build_does()
    {
        // Published by this project's build (BuildProductsOnlySilo), into a folder it empties first: nothing is built on
        // this test's clock.
        var output = LocalClusterHosts.ProductsOnlyPublish;
        Assert.True(Directory.Exists(output), $"{output} is missing: build this test project, which publishes it");
        var files = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).ToList();

        Assert.Contains("Enrichment.Silo.dll", files);
        Assert.Contains("Enrichment.Grains.Catalog.dll", files);
        Assert.DoesNotContain(files, IsModelCode);
        // The default build of the same project is the model silo: without this, the check above proves nothing.
        var modelSilo = Directory.GetFiles(Path.GetDirectoryName(LocalClusterHosts.BinaryOf("Silo"))!, "*", SearchOption.AllDirectories);
        Assert.Contains(modelSilo, f => Path.GetFileName(f) == "TorchSharp.dll");
        Assert.Contains(modelSilo, f => Path.GetFileName(f).StartsWith("libtorch", StringComparison.Ordinal));
        Assert.Contains(modelSilo, f => Path.GetFileName(f) == "Enrichment.Grains.Serving.dll");
    }

    [Theory]
    [InlineData("--accelerator", "cpu")]
    [InlineData("--model", "models/demo")]
    public async Task The_products_only_silo_refuses_to_serve_models(string option, string value)
    {
        var (exit, log) = await Command.RunAsync("dotnet", [LocalClusterHosts.ProductsOnlySilo, option, option == "--model" ? Repo.PathOf(value) : value],
            TimeSpan.FromMinutes(1));

        Assert.Equal(2, exit);
        Assert.Contains("products-only build (SiloRole=Products)", log);
        Assert.Contains(option, log);
    }

    private static bool IsModelCode(string file)
    {
        var name = Path.GetFileName(file);
        return name.Contains("torch", StringComparison.OrdinalIgnoreCase)
               || name.StartsWith("Enrichment.Models", StringComparison.Ordinal)
               || name.StartsWith("Enrichment.Grains.Serving", StringComparison.Ordinal)
               || name.StartsWith("Enrichment.Grains.Training", StringComparison.Ordinal);
    }
}
