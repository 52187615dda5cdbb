using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Ingest;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Polling;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// The mailbox poller on a real SQLite database with the real migrations, rules, engine and ingest: a job built for
/// the given mailboxes, a sent delivery carrying a signed token, and counts of what was stored.
/// </summary>
public abstract class PollerScenario : CommandScenario
{
    private static readonly BounceEngine s_engine = new();

    protected PollMailboxJob CreateJob(params MailboxOptions[] mailboxes) => CreateJob(Database.Factory, mailboxes);

    /// <summary>A job of its own (as another instance would have) on the database behind <paramref name="factory"/>.</summary>
    protected PollMailboxJob CreateJob(IDbContextFactory<BounceDbContext> factory, params MailboxOptions[] mailboxes)
    {
        var options = new MailboxesOptions();
        options.Mailboxes.AddRange(mailboxes);
        var runner = new DbCommandRunner(factory, Logs.CreateLogger<DbCommandRunner>());
        var bounces = new BounceCommands(runner, new BounceRules(Options, Time), Time, Logs.CreateLogger<BounceCommands>());
        var ingest = new InboundIngest(factory, runner, s_engine, bounces, InboundFixtures.Signer, Time, Logs.CreateLogger<InboundIngest>());
        var poller = new MailboxPoller(runner, ingest, Time);
        return new PollMailboxJob(
            Microsoft.Extensions.Options.Options.Create(options),
            new ImapMailboxReader(poller, Logs.CreateLogger<ImapMailboxReader>()),
            new Pop3MailboxReader(poller, Logs.CreateLogger<Pop3MailboxReader>()),
            new MaildirMailboxReader(poller, Logs.CreateLogger<MaildirMailboxReader>()),
            poller,
            new MailboxLease(runner, Time),
            Time,
            Logs.CreateLogger<PollMailboxJob>());
    }

    /// <summary>Stored inbound messages, bounce events, and bounce events applied by the rules.</summary>
    protected async Task<(int Messages, int Events, int Applied)> CountAsync()
    {
        await using var db = Database.CreateContext();
        return (await db.InboundMessages.CountAsync(), await db.BounceEvents.CountAsync(), await db.BounceEvents.CountAsync(e => e.AppliedAt != null));
    }

    protected async Task<Delivery> LoadDeliveryAsync(long id)
    {
        await using var db = Database.CreateContext();
        return await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    protected async Task<MailboxWatermark?> LoadWatermarkAsync(string name)
    {
        await using var db = Database.CreateContext();
        return await db.MailboxWatermarks.AsNoTracking().SingleOrDefaultAsync(w => w.MailboxName == name);
    }

    protected async Task<Dictionary<string, InboundOutcome>> StoredOutcomesAsync()
    {
        await using var db = Database.CreateContext();
        return await db.InboundMessages.AsNoTracking().ToDictionaryAsync(m => m.SourceKey, m => m.Outcome);
    }
}
