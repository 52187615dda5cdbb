using BounceDashboard.Domain.Inbound;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Polling;
using Xunit;

namespace BounceDashboard.Tests.Polling;

/// <summary><see cref="MailboxLease"/> on the real SQLite database with the real migrations and a fake clock.</summary>
public sealed class MailboxLeaseTests : PollerScenario
{
    private const string Name = "bounces";
    private static readonly TimeSpan s_lease = TimeSpan.FromMinutes(5);

    private MailboxLease Lease => new(Runner, Time);

    [Fact]
    public async Task TryAcquireAsync_ShouldRefuseASecondOwner_WhileTheFirstHoldsTheLease()
    {
        Assert.True(await Lease.TryAcquireAsync(Name, "instance-a:1:poll", s_lease, CancellationToken.None));

        Assert.False(await Lease.TryAcquireAsync(Name, "instance-b:2:poll", s_lease, CancellationToken.None));
        var watermark = await LoadWatermarkAsync(Name);
        Assert.Equal(("instance-a:1:poll", (DateTimeOffset?)Time.GetUtcNow() + s_lease), (watermark!.LeaseOwner, watermark.LeaseUntil));
    }

    [Fact]
    public async Task TryAcquireAsync_ShouldHandTheLeaseOver_WhenItExpiredOrWasReleased()
    {
        await Lease.TryAcquireAsync(Name, "instance-a:1:poll", s_lease, CancellationToken.None);
        Time.Advance(s_lease);
        Assert.True(await Lease.TryAcquireAsync(Name, "instance-b:2:poll", s_lease, CancellationToken.None));

        await Lease.ReleaseAsync(Name, "instance-b:2:poll", CancellationToken.None);

        Assert.True(await Lease.TryAcquireAsync(Name, "instance-c:3:poll", s_lease, CancellationToken.None));
    }

    [Fact]
    public async Task RenewAsync_ShouldFailAndReleaseAsyncChangeNothing_WhenAnotherOwnerTookTheExpiredLease()
    {
        await Lease.TryAcquireAsync(Name, "instance-a:1:poll", s_lease, CancellationToken.None);
        Time.Advance(s_lease + TimeSpan.FromSeconds(1));
        await Lease.TryAcquireAsync(Name, "instance-b:2:poll", s_lease, CancellationToken.None);

        Assert.False(await Lease.RenewAsync(Name, "instance-a:1:poll", s_lease, CancellationToken.None));
        await Lease.ReleaseAsync(Name, "instance-a:1:poll", CancellationToken.None);

        Assert.Equal("instance-b:2:poll", (await LoadWatermarkAsync(Name))!.LeaseOwner);
        Assert.True(await Lease.RenewAsync(Name, "instance-b:2:poll", s_lease, CancellationToken.None));
    }

    [Fact]
    public void NewOwner_ShouldDifferPerPollAndFitTheColumn_WhenCalledTwiceInOneProcess()
    {
        var first = MailboxLease.NewOwner();
        var second = MailboxLease.NewOwner();

        Assert.NotEqual(first, second);
        Assert.StartsWith($"{Environment.MachineName}:{Environment.ProcessId}:", first, StringComparison.Ordinal);
        Assert.InRange(first.Length, 1, MailboxWatermark.LeaseOwnerMaxLength);
    }
}
