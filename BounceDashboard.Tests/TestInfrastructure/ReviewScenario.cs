using System.Text;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Ingest;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// A <see cref="CommandScenario"/> whose review queue is filled the real way: real messages stored and read by the real
/// engine through <see cref="InboundIngest"/>, then reviewed through the real <see cref="ReviewCommands"/> and queries.
/// </summary>
public abstract class ReviewScenario : CommandScenario
{
    /// <summary>An unparseable message whose text carries markup a browser would run or fetch if it were rendered.</summary>
    public const string HostileText = "this is not a header line <script>alert('x')</script> <img src=http://tracker.example/p.gif>\n\nbody\n";

    protected ReviewCommands Review => new(Runner, Bounces, Time, Logs.CreateLogger<ReviewCommands>());

    protected ReviewQueueQueries Queries => new(Database.Factory);

    protected InboundIngest Ingest => new(Database.Factory, Runner, new BounceEngine(), Bounces, InboundFixtures.Signer, Time, Logs.CreateLogger<InboundIngest>());

    /// <summary>Postfix's 5.1.1 report for nobody@example.net whose token the app did not sign: stored unmatched.</summary>
    protected async Task<long> IngestUnmatchedAsync(string key = "bounces:1:1")
    {
        var result = await Ingest.IngestAsync(InboundSource.Imap, key, FixtureFiles.Robustness("dsn-userunknown.eml"));
        return result.Recipients.Single().BounceEventId;
    }

    protected async Task<long> IngestUnparseableAsync(string text = HostileText, string key = "bounces:1:2") =>
        (await Ingest.IngestAsync(InboundSource.Imap, key, Encoding.ASCII.GetBytes(text))).InboundMessageId;

    protected async Task<long> IngestNotABounceAsync(string key = "bounces:1:3") =>
        (await Ingest.IngestAsync(InboundSource.Imap, key, FixtureFiles.Robustness("plain-message.eml"))).InboundMessageId;

    protected async Task<int> AuditCountAsync()
    {
        await using var db = Database.CreateContext();
        return await db.AuditLogEntries.CountAsync();
    }
}
