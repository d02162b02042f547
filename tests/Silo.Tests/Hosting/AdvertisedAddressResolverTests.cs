using System.Net;
using Enrichment.Silo.Hosting;

namespace Enrichment.Silo.Tests.Hosting;

[Trait("Category", "Unit")]
public sealed class AdvertisedAddressResolverTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("::1")]
    public void An_ip_literal_is_used_as_given(string literal)
    {
        Assert.Equal(IPAddress.Parse(literal), AdvertisedAddressResolver.Resolve(literal));
    }

    [Fact]
    public void A_host_name_resolves_to_its_ipv4_address()
    {
        Assert.Equal(IPAddress.Loopback, AdvertisedAddressResolver.Resolve("localhost"));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("")]
    [InlineData(null)]
    public void Auto_resolves_this_hosts_own_name(string? configured)
    {
        var expected = Dns.GetHostAddresses(Dns.GetHostName()).Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).ToList();

        Assert.Contains(AdvertisedAddressResolver.Resolve(configured), expected);
    }

    [Fact]
    public void A_name_that_does_not_resolve_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AdvertisedAddressResolver.Resolve("no-such-host.invalid"));

        Assert.Contains("no-such-host.invalid", error.Message);
        Assert.Contains("does not resolve", error.Message);
    }
}
