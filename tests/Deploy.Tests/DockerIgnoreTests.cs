namespace Enrichment.Deploy.Tests;

/// <summary>The .dockerignore matcher the structure tests rely on, and the repository's .dockerignore itself.</summary>
[Trait("Category", "Unit")]
public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("src/Silo/bin/Release/x.dll", true)]
    [InlineData("src/Silo/obj/project.assets.json", true)]
    [InlineData("src/Silo/Program.cs", false)]
    [InlineData("Directory.Build.props", false)]
    [InlineData("build/TorchSharpNative.targets", false)]
    [InlineData("data/sample/styles.csv", false)]
    [InlineData("data/sample/images/2028.jpg", false)]
    [InlineData("data/full/styles.csv", true)]
    [InlineData("models/demo/weights.bin", true)]
    [InlineData(".git/HEAD", true)]
    [InlineData("tests/Deploy.Tests/Repo.cs", true)]
    public void The_repository_context_keeps_sources_and_drops_outputs(string path, bool excluded)
    {
        Assert.Equal(excluded, DockerIgnore.Load(Repo.Root).IsExcluded(path));
    }

    [Fact]
    public void Later_patterns_win_and_directories_exclude_their_contents()
    {
        var ignore = new DockerIgnore(["# comment", "docs", "*.md", "!README.md", "**/secret*", "/logs/"]);
        Assert.True(ignore.IsExcluded("docs/models.md"));
        Assert.True(ignore.IsExcluded("CHANGES.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("a/b/secret.txt"));
        Assert.True(ignore.IsExcluded("secret.txt"));
        Assert.True(ignore.IsExcluded("logs/x.log"));
        Assert.False(ignore.IsExcluded("src/logs.cs"));
    }
}
