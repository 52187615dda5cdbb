using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// The SMTP command of a recipient is looked up only when asked: <see cref="RecipientEvidence.CommandFrom"/> and
/// <see cref="RecipientEvidence.CommandOrElse"/> chain where to look, in order.
/// </summary>
public sealed class RecipientEvidenceTests
{
    [Fact]
    public void Command_ShouldAskTheFallback_WhenTheFirstSourceFindsNothing()
    {
        var asked = new List<string>();
        var evidence = new RecipientEvidence();
        evidence.CommandFrom(() => { asked.Add("field"); return null; });
        evidence.CommandOrElse(() => { asked.Add("notice"); return "RCPT"; });

        Assert.Empty(asked);
        Assert.Equal("RCPT", evidence.Command);
        Assert.Equal(["field", "notice"], asked);
    }

    [Fact]
    public void Command_ShouldNotAskTheFallback_WhenTheFirstSourceFindsTheCommand()
    {
        var asked = new List<string>();
        var evidence = new RecipientEvidence();
        evidence.CommandFrom(() => { asked.Add("field"); return "DATA"; });
        evidence.CommandOrElse(() => { asked.Add("notice"); return "RCPT"; });

        Assert.Equal("DATA", evidence.Command);
        Assert.Equal("DATA", evidence.Command);
        Assert.Equal(["field"], asked);
    }

    [Fact]
    public void Command_ShouldKeepAKnownCommand_WhenAFallbackIsAddedAfterIt()
    {
        var evidence = new RecipientEvidence { Command = "MAIL" };
        evidence.CommandOrElse(() => throw new InvalidOperationException("a known command needs no lookup"));

        Assert.Equal("MAIL", evidence.Command);
    }
}
