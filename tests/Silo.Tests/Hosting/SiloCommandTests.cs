using System.Net;
using System.Net.Sockets;
using Enrichment.Silo.Hosting;
using Enrichment.TestSupport;

namespace Enrichment.Silo.Tests.Hosting;

/// <summary>Issue 10, item 9: the silo's command line says what it takes and refuses what it cannot use, before starting.</summary>
[Trait("Category", "Processes")]
public sealed class SiloCommandTests
{
    // Generous: a refusal takes well under a second, a silo that starts instead runs until killed at the deadline.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static string[] FreePorts() => [LoopbackPorts.Free().ToString(), LoopbackPorts.Free().ToString()];

    [Fact]
    public async Task Help_lists_the_options_and_exit_codes_and_starts_nothing()
    {
        var (exit, output) = await SiloProcess.RunAsync(Deadline, "--help");

        Assert.Equal(0, exit);
        foreach (var name in SiloCommandLine.SwitchMappings.Keys)
        {
            Assert.Contains(name, output);
        }
        Assert.Contains("Exit codes", output);
        Assert.DoesNotContain("Silo ready", output);
    }

    [Theory]
    [InlineData("--acclerator", "cuda")]
    [InlineData("--metrics-port", "eleven")]
    [InlineData("--set", "no-equals-sign")]
    public async Task A_mistyped_option_or_value_is_an_error_not_a_silo(string option, string value)
    {
        var ports = FreePorts();

        var (exit, output) = await SiloProcess.RunAsync(Deadline, option, value, "--silo-port", ports[0], "--gateway-port", ports[1]);

        Assert.Equal(SiloCommand.ExitCodes.UsageError, exit);
        Assert.Contains(option == "--metrics-port" ? value : option, output);
        Assert.DoesNotContain("Silo ready", output);
    }

    [Theory]
    [InlineData("--accelerator", "tpu", "--accelerator")]
    [InlineData("--model", "/no/such/checkpoint", "no checkpoint folder")]
    [InlineData("--metrics-port", "70000", "--metrics-port")]
    public async Task Invalid_option_values_are_refused_with_a_message_naming_the_option(string option, string value, string message)
    {
        var ports = FreePorts();

        var (exit, output) = await SiloProcess.RunAsync(Deadline, option, value, "--silo-port", ports[0], "--gateway-port", ports[1]);

        Assert.Equal(SiloCommand.ExitCodes.Refused, exit);
        Assert.Contains(message, output);
        Assert.DoesNotContain("   at ", output); // one clear line, no stack trace
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_silo_or_gateway_port_already_bound_is_refused(int taken)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var ports = FreePorts();
        ports[taken] = ((IPEndPoint)holder.LocalEndpoint).Port.ToString();

        var (exit, output) = await SiloProcess.RunAsync(Deadline, "--silo-port", ports[0], "--gateway-port", ports[1]);

        Assert.Equal(SiloCommand.ExitCodes.Refused, exit);
        Assert.Contains($"{(taken == 0 ? "--silo-port" : "--gateway-port")} {ports[taken]} is already in use", output);
    }
}
