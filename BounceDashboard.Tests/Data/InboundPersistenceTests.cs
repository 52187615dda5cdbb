using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Data;

/// <summary>Inbound messages and mailbox watermarks on real SQLite with the real migrations.</summary>
public sealed class InboundPersistenceTests : IAsyncLifetime
{
    private static readonly byte[] s_content = Encoding.ASCII.GetBytes("Subject: hello\r\n\r\nbody\r\n");
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _database.Connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task SaveChanges_ShouldRoundTripAnInboundMessageWithEnumsAsNames_WhenReadInANewContext()
    {
        var message = InboundMessage.Receive(InboundSource.Imap, "bounces:7:42", s_content, TestData.Now);
        message.RecordClassification(InboundOutcome.NoRecipients, MessageKind.Bounce, "postfix", null, "1", TestData.Now.AddSeconds(1));
        await _database.SeedAsync(message);

        await using var db = _database.CreateContext();
        var loaded = await db.InboundMessages.SingleAsync(m => m.Id == message.Id);

        Assert.Equal(s_content, loaded.RawContent);
        Assert.Equal((InboundSource.Imap, "bounces:7:42", message.ContentHash), (loaded.Source, loaded.SourceKey, loaded.ContentHash));
        Assert.Equal((InboundOutcome.NoRecipients, MessageKind.Bounce, TestData.Now.AddSeconds(1)), (loaded.Outcome, loaded.Kind!.Value, loaded.ClassifiedAt!.Value));
        Assert.Equal("Imap|NoRecipients|Bounce", await ScalarAsync<string>("SELECT Source || '|' || Outcome || '|' || Kind FROM InboundMessages"));
    }

    [Fact]
    public async Task SaveChanges_ShouldRefuseASecondMessage_WhenItHasTheSameBytesOrTheSameSourceKey()
    {
        await _database.SeedAsync(InboundMessage.Receive(InboundSource.Imap, "bounces:7:42", s_content, TestData.Now));

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            _database.SeedAsync(InboundMessage.Receive(InboundSource.File, "/mail/copy.eml", s_content, TestData.Now)));
        await Assert.ThrowsAsync<DbUpdateException>(() =>
            _database.SeedAsync(InboundMessage.Receive(InboundSource.Imap, "bounces:7:42", [.. s_content, (byte)'!'], TestData.Now)));
    }

    [Fact]
    public async Task SaveChanges_ShouldAllowTheSameSourceKey_WhenTheSourceDiffers()
    {
        await _database.SeedAsync(InboundMessage.Receive(InboundSource.Imap, "bounces:1", s_content, TestData.Now));
        await _database.SeedAsync(InboundMessage.Receive(InboundSource.Pop3, "bounces:1", [.. s_content, (byte)'!'], TestData.Now));

        await using var db = _database.CreateContext();
        Assert.Equal(2, await db.InboundMessages.CountAsync());
    }

    [Fact]
    public async Task SaveChanges_ShouldLinkABounceEventToItsMessage_WhenTheEventNamesIt()
    {
        var message = InboundMessage.Receive(InboundSource.Imap, "bounces:7:42", s_content, TestData.Now);
        await _database.SeedAsync(message);
        var recipient = new BounceRecipient("ann.smith@example.com", DeliveryAction.Failed, null, "550", null, null, BounceReason.UserUnknown, true, true, "test");
        var report = new BounceReport(MessageKind.Bounce, [recipient], BounceMatch.None);
        BounceEvent Linked(string key, long inboundMessageId) =>
            BounceEvent.FromReport(report, recipient, BounceSource.Mailbox, TestData.Now, key, inboundMessageId: inboundMessageId);
        await _database.SeedAsync(Linked("Mailbox:linked:ann.smith@example.com", message.Id));

        await using var db = _database.CreateContext();
        Assert.Equal(message.Id, (await db.BounceEvents.SingleAsync()).InboundMessageId);
        await Assert.ThrowsAsync<DbUpdateException>(() => _database.SeedAsync(Linked("Mailbox:dangling:ann.smith@example.com", message.Id + 100)));
    }

    [Fact]
    public async Task SaveChanges_ShouldRoundTripAWatermarkAndRefuseASecondOneForTheMailbox_WhenSaved()
    {
        var watermark = MailboxWatermark.Create("bounces");
        watermark.AdvanceWatermark(uint.MaxValue, uint.MaxValue, TestData.Now);
        watermark.RecordFailure("connection refused", TestData.Now.AddMinutes(1));
        await _database.SeedAsync(watermark);

        await using var db = _database.CreateContext();
        var loaded = await db.MailboxWatermarks.SingleAsync();
        Assert.Equal(((long)uint.MaxValue, (long)uint.MaxValue, "connection refused"), (loaded.UidValidity!.Value, loaded.LastUid, loaded.LastError));
        Assert.True(loaded.IsFailing);
        await Assert.ThrowsAsync<DbUpdateException>(() => _database.SeedAsync(MailboxWatermark.Create("bounces")));
    }
}
