using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>The checks every table-driven engine test makes on one reported recipient, with messages naming the file.</summary>
public static class BounceAssertions
{
    /// <summary>Asserts the kind of the report and every field of its recipient at <paramref name="index"/>.</summary>
    public static void Recipient(
        BounceReport report, string file, int index, MessageKind kind, string address, string status, string reply,
        BounceReason reason, bool permanent, bool hard)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.True(report.Kind == kind, $"{file}: kind {report.Kind}, expected {kind} ({report.Error})");
        Assert.True(report.Recipients.Count > index, $"{file}: {report.Recipients.Count} recipients, expected more than {index}");
        var r = report.Recipients[index];
        Assert.True(r.Address == address, $"{file}: address {r.Address}, expected {address}");
        Assert.True((r.Status?.ToString() ?? "") == status, $"{file}: status {r.Status}, expected {status} (rule {r.Rule})");
        Assert.True((r.ReplyCode ?? "") == reply, $"{file}: reply {r.ReplyCode}, expected {reply}");
        Assert.True(r.Reason == reason, $"{file}: reason {r.Reason} by rule {r.Rule}, expected {reason}");
        Assert.True(r.Permanent == permanent, $"{file}: permanent {r.Permanent}, expected {permanent}");
        Assert.True(r.Hard == hard, $"{file}: hard {r.Hard}, expected {hard}");
        Assert.False(string.IsNullOrEmpty(r.Rule), $"{file}: every decision records a rule");
    }
}
