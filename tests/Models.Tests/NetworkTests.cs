using Enrichment.Models;
using Enrichment.Models.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Enrichment.Models.Tests;

[Collection("torch")]
[Trait("Category", "Unit")]
public sealed class NetworkTests
{
    [Fact]
    public void ResNet50_exposes_2048d_features_with_torchvision_names()
    {
        using var net = new ResNet(Architecture.ResNet50);
        using var _ = no_grad();
        net.eval();
        using var x = randn(2, 3, 80, 60);
        using var f = net.forward(x);
        Assert.Equal(new long[] { 2, 2048 }, f.shape);
        var names = net.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.weight", names);
        Assert.Contains("bn1.running_mean", names);
        Assert.Contains("layer1.0.conv3.weight", names);
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("layer2.0.downsample.1.running_var", names);
        Assert.Contains("layer4.2.bn3.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("layer4.3"));
        // torchvision resnet50 has 25,557,032 parameters; minus fc (2048*1000 + 1000) = 23,508,032.
        Assert.Equal(23_508_032L, net.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void ResNet18_small_variant_has_same_api()
    {
        using var net = new ResNet(Architecture.ResNet18);
        Assert.Equal(512, net.FeatureDim);
        Assert.Equal(11_176_512L, net.parameters().Sum(p => p.numel())); // torchvision resnet18 minus fc
        using var head = net.Classify(7, finetune: false);
        using var x = randn(2, 3, 80, 60);
        using var logits = head.forward(net.forward(x));
        Assert.Equal(new long[] { 2, 7 }, logits.shape);
        using var narrow = new ResNet(Architecture.ResNet18, baseWidth: 16);
        Assert.Equal(128, narrow.FeatureDim);
    }

    [Fact]
    public void Subsampled_downsample_equals_stride2_1x1_convolution()
    {
        using var net = new ResNet(Architecture.ResNet18, baseWidth: 16);
        net.eval();
        using var _ = no_grad();
        var conv = (TorchSharp.Modules.Conv2d)net.named_modules().First(m => m.name == "layer2.0.downsample.0").module;
        var down = (nn.Module<Tensor, Tensor>)net.named_modules().First(m => m.name == "layer2.0.downsample").module;
        var bn = (TorchSharp.Modules.BatchNorm2d)net.named_modules().First(m => m.name == "layer2.0.downsample.1").module;
        using var x = randn(3, 16, 11, 8);
        using var expected = bn.forward(nn.functional.conv2d(x, conv.weight, strides: new long[] { 2, 2 }));
        using var actual = down.forward(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.allclose(actual, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Frozen_head_does_not_backpropagate_into_trunk()
    {
        using var net = new ResNet(Architecture.ResNet18, baseWidth: 16);
        using var frozen = net.Classify(3, finetune: false);
        using var x = randn(2, 3, 40, 30);
        using var loss = frozen.forward(net.forward(x)).sum();
        loss.backward();
        Assert.All(net.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        Assert.All(frozen.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Annotator_shapes_and_greedy_decoding_respect_max_length()
    {
        using var ann = new Annotator(nVocab: 30, featureDim: 128);
        using var f = randn(4, 128);
        using var tokens = randint(0, 30, new long[] { 4, 6 }, dtype: ScalarType.Int64);
        using var logits = ann.forward(f, tokens);
        Assert.Equal(new long[] { 4, 6, 30 }, logits.shape);
        using var _ = no_grad();
        var decoded = ann.Greedy(f, maxLength: 5);
        Assert.Equal(4, decoded.Length);
        Assert.All(decoded, seq => Assert.InRange(seq.Length, 1, 5));
        Assert.Equal(128L * 512 + 512, ann.named_parameters().Where(p => p.name.StartsWith("init_hidden")).Sum(p => p.parameter.numel()));
    }

    [Fact]
    public void Flop_count_of_resnet50_matches_the_reference_at_224()
    {
        // torchvision ResNet-50 convolutions at 224x224: ~4.09 GMACs (excluding the fc layer).
        using var net = new ResNet(Architecture.ResNet50);
        Assert.InRange(net.MultiplyAddsPerImage(224, 224) / 1e9, 4.0, 4.15);
    }

    [Fact]
    public void Device_selection_falls_back_to_cpu()
    {
        Assert.Equal(DeviceType.CPU, TorchDevices.Select("cpu").type);
        var auto = TorchDevices.Select(null);
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, auto.type);
        Assert.Throws<ArgumentException>(() => TorchDevices.Select("tpu"));
        Assert.True(TorchRuntime.NnpackDisabled);
    }

    [Fact]
    public void Libtorch_never_runs_more_intra_op_threads_than_this_process_has_cores()
    {
        TorchRuntime.Initialize();

        Assert.InRange(get_num_threads(), 1, Environment.ProcessorCount);
    }
}
