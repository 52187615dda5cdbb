using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Security;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Mail;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Sending;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Cli;

/// <summary>
/// <c>send</c>: sends a campaign now through the configured relays, in the foreground, and prints what happened with the
/// send rate. Either an existing campaign (<c>--campaign ID</c>) or a new one made from files and an address list. What
/// is not finished when it returns (retries, a relay that was down) the web app's recurring dispatch job sends later.
/// </summary>
public sealed class SendCommand(Func<HostApplicationBuilder> createBuilder) : ICliCommand
{
    private const string Usage =
        "usage: send --campaign ID [--test ADDRESS...]\n" +
        "       send --from ADDRESS --subject TEXT (--html FILE | --text FILE)... (--to ADDRESS... | --to-file FILE) [--name NAME] [--from-name NAME]\n" +
        "  sends the campaign now through the relays in Sending:Relays (creating it first, with an audience of the\n" +
        "  addresses given, in the second form) and prints one JSON line: campaign, state, accepted, refused, not sent,\n" +
        "  seconds and messages per second. With --test, a test send of the campaign goes to those addresses only (a new\n" +
        "  campaign of kind Test, kept out of the audience's figures). Bounces come back through the polled mailbox; retries go out with the web\n" +
        "  app's recurring dispatch.";

    public SendCommand()
        : this(CliHost.CreateDefaultBuilder)
    {
    }

    public string Name => "send";

    public string Summary => "send --campaign ID [--test A...] | --from A --subject S --html F --to A...  send a campaign (or a test of it) now";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errorOutput);
        if (args.Any(a => a is "-h" or "--help"))
        {
            await output.WriteLineAsync(Usage);
            return CliExitCodes.Success;
        }

        var parsed = SendArguments.Parse(args);
        if (parsed.Error is { } error)
        {
            await errorOutput.WriteLineAsync($"send: {error}");
            await errorOutput.WriteLineAsync(Usage);
            return CliExitCodes.Usage;
        }

        if (await CliHost.StartAsync<DeliveryDispatcher>(createBuilder, Name, errorOutput, cancellationToken) is not var (host, dispatcher))
        {
            return CliExitCodes.Failure;
        }

        using (host)
        {
            try
            {
                if (!host.Services.GetRequiredService<IOptions<SendingOptions>>().Value.CanSend)
                {
                    await errorOutput.WriteLineAsync("send: no relay configured: set Sending:BounceDomain, Sending:PublicBaseUrl and Sending:Relays (see the README, \"Sending\")");
                    return CliExitCodes.Failure;
                }

                var campaigns = host.Services.GetRequiredService<CampaignCommands>();
                var clock = Stopwatch.StartNew();
                var test = parsed.Test.Count > 0 ? await campaigns.SendTestAsync(parsed.CampaignId!.Value, parsed.Test, Operator(), cancellationToken) : null;
                var campaignId = test?.CampaignId ?? parsed.CampaignId ?? await campaigns.CreateAsync(
                    parsed.Name ?? $"{parsed.Subject} ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)",
                    new CampaignContent(parsed.From!, parsed.FromName, parsed.Subject!, await ReadAsync(parsed.HtmlFile, cancellationToken), await ReadAsync(parsed.TextFile, cancellationToken)),
                    await parsed.AddressesAsync(cancellationToken),
                    cancellationToken);
                clock.Restart();
                var started = test ?? await campaigns.StartAsync(campaignId, cancellationToken);
                var summary = await dispatcher.DispatchAsync(campaignId, cancellationToken);
                var seconds = clock.Elapsed.TotalSeconds;
                var line = new SendLine(
                    campaignId,
                    summary.CampaignsSent.Contains(campaignId) ? "Sent" : started.State.ToString(),
                    started.DeliveriesCreated,
                    summary.Accepted,
                    summary.Refused,
                    summary.NotSent,
                    Math.Round(seconds, 3),
                    seconds > 0 ? Math.Round(summary.Attempts / seconds, 1) : 0);
                await output.WriteLineAsync(JsonSerializer.Serialize(line, SendJsonContext.Default.SendLine));
                return CliExitCodes.Success;
            }
            catch (Exception ex) when (ex is DomainException or OptionsValidationException or IOException or UnauthorizedAccessException)
            {
                await errorOutput.WriteLineAsync($"send: {ex.Message}");
                return CliExitCodes.Failure;
            }
        }
    }

    /// <summary>Whoever runs the command line: an operator with the database in hand, recorded by their system user name.</summary>
    private static ClaimsPrincipal Operator() =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, $"cli:{Environment.UserName}"), new Claim(ClaimTypes.Role, Roles.Admin)],
            authenticationType: "CommandLine"));

    private static async Task<string?> ReadAsync(string? path, CancellationToken cancellationToken) =>
        path is null ? null : await File.ReadAllTextAsync(path, cancellationToken);

    /// <summary>The parsed arguments, or the first problem with them.</summary>
    internal sealed record SendArguments(
        long? CampaignId,
        string? From,
        string? FromName,
        string? Subject,
        string? Name,
        string? HtmlFile,
        string? TextFile,
        IReadOnlyList<string> To,
        string? ToFile,
        IReadOnlyList<string> Test,
        string? Error)
    {
        public static SendArguments Parse(IReadOnlyList<string> args)
        {
            long? campaign = null;
            string? from = null, fromName = null, subject = null, name = null, html = null, text = null, toFile = null;
            var to = new List<string>();
            var test = new List<string>();
            for (var i = 0; i < args.Count; i++)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return Failed($"'{args[i]}' needs a value");
                }

                var value = args[++i];
                switch (args[i - 1])
                {
                    case "--campaign" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0:
                        campaign = id;
                        break;
                    case "--campaign":
                        return Failed($"--campaign takes a campaign id, not '{value}'");
                    case "--from": from = value; break;
                    case "--from-name": fromName = value; break;
                    case "--subject": subject = value; break;
                    case "--name": name = value; break;
                    case "--html": html = value; break;
                    case "--text": text = value; break;
                    case "--to": to.Add(value); break;
                    case "--to-file": toFile = value; break;
                    case "--test": test.Add(value); break;
                    default: return Failed($"unknown option '{args[i - 1]}'");
                }
            }

            var creates = from is not null || subject is not null || html is not null || text is not null || to.Count > 0 || toFile is not null;
            string? error = (campaign, creates) switch
            {
                (null, _) when test.Count > 0 => "--test sends a test of an existing campaign: give --campaign ID",
                (null, false) => "give --campaign ID, or --from, --subject, a body and addresses",
                (not null, true) => "--campaign sends an existing campaign: it takes no other option",
                (null, true) when from is null || subject is null => "a new campaign needs --from and --subject",
                (null, true) when html is null && text is null => "a new campaign needs --html FILE or --text FILE",
                (null, true) when to.Count == 0 && toFile is null => "a new campaign needs --to ADDRESS or --to-file FILE",
                _ => null,
            };
            return new SendArguments(campaign, from, fromName, subject, name, html, text, to, toFile, test, error);

            static SendArguments Failed(string error) => new(null, null, null, null, null, null, null, [], null, [], error);
        }

        /// <summary>The --to addresses and the --to-file lines (blank lines and # comments skipped).</summary>
        public async Task<IReadOnlyList<string>> AddressesAsync(CancellationToken cancellationToken)
        {
            var all = new List<string>(To);
            if (ToFile is not null)
            {
                foreach (var line in await File.ReadAllLinesAsync(ToFile, cancellationToken))
                {
                    var address = line.Trim();
                    if (address.Length > 0 && !address.StartsWith('#'))
                    {
                        all.Add(address);
                    }
                }
            }

            return all;
        }
    }
}

/// <summary>The line <c>send</c> prints.</summary>
public sealed record SendLine(
    long Campaign,
    string State,
    int DeliveriesCreated,
    int Accepted,
    int Refused,
    int NotSent,
    double Seconds,
    double MessagesPerSecond);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SendLine))]
internal sealed partial class SendJsonContext : JsonSerializerContext;
