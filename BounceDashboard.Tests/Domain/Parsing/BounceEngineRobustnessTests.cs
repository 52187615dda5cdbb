using System.Globalization;
using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// Hostile input for the bounce engine: truncated, binary, 8-bit, deeply nested, very large, header-bomb and randomly
/// mutated messages. Every parse runs on its own task under a time bound; no exception may escape, and an unparseable
/// result must say why. Random input is seeded, so a failure names a case that can be replayed.
/// </summary>
public sealed class BounceEngineRobustnessTests
{
    private const int Seed = 20261122;
    private const int MaxFailuresListed = 20;
    private const int MaxMutants = 1500;
    private static readonly TimeSpan PerMessageLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LargeMessageLimit = TimeSpan.FromSeconds(20);

    private static readonly System.Buffers.SearchValues<byte> FieldNameBytes =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"u8);

    private readonly BounceEngine _engine = new();

    /// <summary>
    /// Our own fixtures plus, once copied in, the corpus samples under Fixtures/Bounces/corpus; with
    /// <paramref name="folders"/>, those folders of Fixtures/Bounces instead.
    /// </summary>
    private static List<(string Name, byte[] Content)> FixtureMessages(params string[] folders)
    {
        folders = folders.Length == 0 ? ["robustness", "corpus"] : folders;
        return folders
            .Select(folder => FixtureFiles.Bounces(folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder, "*.eml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            .Select(path => (Path.GetRelativePath(FixtureFiles.Bounces(), path), File.ReadAllBytes(path)))
            .ToList();
    }

    [Fact]
    public async Task Parse_ShouldFinishWithoutThrowing_WhenMessagesAreTruncated()
    {
        var random = new Random(Seed);
        var cases = FixtureMessages().SelectMany(fixture =>
        {
            var length = fixture.Content.Length;
            var cuts = Enumerable.Range(0, 16).Select(i => length * i / 16)
                .Concat([1, HeaderEnd(fixture.Content), HeaderEnd(fixture.Content) + 1, random.Next(length), random.Next(length)])
                .Where(cut => cut >= 0 && cut < length)
                .Distinct();
            return cuts.Select(cut => ($"{fixture.Name} cut at {cut}", fixture.Content[..cut]));
        });

        await AssertAllFinishAsync(cases, PerMessageLimit);
    }

    [Fact]
    public async Task Parse_ShouldFinishWithoutThrowing_WhenTheInputIsRandomBinaryOrText()
    {
        var random = new Random(Seed);
        var cases = new List<(string, byte[])> { ("empty", []), ("one NUL", [0]), ("only LF", "\n\n\n"u8.ToArray()), ("only CR", "\r\r\r"u8.ToArray()) };
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[i < 10 ? random.Next(1, 32) : random.Next(32, 65536)];
            random.NextBytes(bytes);
            cases.Add(($"random binary #{i} ({bytes.Length} bytes)", bytes));
        }

        const string alphabet = "abcXYZ019:;= <>@.-_\"\t\r\n\n\n";
        for (var i = 0; i < 40; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(16, 8192)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var prefix = i % 2 == 0 ? "" : "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\n";
            cases.Add(($"random text #{i}", Encoding.ASCII.GetBytes(prefix + text)));
        }

        await AssertAllFinishAsync(cases, PerMessageLimit);
    }

    [Fact]
    public async Task Parse_ShouldFinishWithoutThrowing_WhenHeadersHold8BitGarbage()
    {
        var random = new Random(Seed);
        var cases = new List<(string, byte[])>();
        foreach (var (name, content) in FixtureMessages())
        {
            var lines = SplitLines(content);
            for (var variant = 0; variant < 6; variant++)
            {
                var mutated = lines.Select(line => line.ToArray()).ToList();
                var headerEnd = mutated.FindIndex(line => line.Length <= 2 && line.All(b => b is (byte)'\r' or (byte)'\n'));
                for (var n = 0; n < 1 + variant; n++)
                {
                    var index = random.Next(Math.Max(1, headerEnd < 0 ? mutated.Count : headerEnd));
                    if (index >= mutated.Count)
                    {
                        break;
                    }

                    var line = mutated[index];
                    var colon = Array.IndexOf(line, (byte)':');
                    var garbage = new byte[random.Next(1, 200)];
                    random.NextBytes(garbage);
                    for (var g = 0; g < garbage.Length; g++)
                    {
                        garbage[g] = garbage[g] is (byte)'\n' or (byte)'\r' ? (byte)0xFF : (byte)(garbage[g] | 0x80);
                    }

                    mutated[index] = [.. line[..(colon + 1)], .. garbage, (byte)'\n'];
                }

                cases.Add(($"{name} 8-bit header variant {variant}", mutated.SelectMany(l => l).ToArray()));
            }
        }

        cases.Add(("handmade 8-bit headers", Latin1(
            "From: \u00ff\u00fe\u0000Mailer <mailer-daemon@\u00e9xample.com>\n" +
            "To: =?utf-8?B?////?= <bounces+t\u00f6ken@news.example.org>\n" +
            "Subject: =?x-unknown?Q?=FF=FE?= =?utf-8?Q?=C3?= Undelivered \u00c3\u0028\n" +
            "X-Failed-Recipients: \u00e9\u00e8@\u00ff.example\n" +
            "Content-Type: multipart/report; report-type=delivery-status; charset=unknown-8bit; boundary=\"\u00ff\u00fe\"\n" +
            "\n--\u00ff\u00fe\nContent-Type: message/delivery-status\n\n" +
            "Reporting-MTA: dns; \u00ff\u00fe\n\nFinal-Recipient: rfc822; \u00e9@\u00e9.example\nAction: f\u00e4iled\n" +
            "Status: 5.\u00ff.1\nDiagnostic-Code: smtp; 550 \u00c3\u0028 \u0000 5.1.1 unknown\n\n--\u00ff\u00fe--\n")));

        await AssertAllFinishAsync(cases, PerMessageLimit);
    }

    [Fact]
    public async Task Parse_ShouldFinishWithoutThrowing_WhenPartsAreNested100LevelsDeep()
    {
        const int depth = 100;
        var dsn = Encoding.UTF8.GetString(FixtureFiles.Robustness("dsn-userunknown.eml"));

        var multipart = new StringBuilder();
        for (var level = 0; level < depth; level++)
        {
            multipart.Append(level == 0 ? "From: a@example.com\nSubject: nested\nMIME-Version: 1.0\n" : "");
            multipart.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"level{level}\"\n\n--level{level}\n");
        }

        multipart.Append("Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; deep@example.net\nAction: failed\nStatus: 5.1.1\n\n");
        var unterminated = multipart.ToString();
        for (var level = depth - 1; level >= 0; level--)
        {
            multipart.Append(CultureInfo.InvariantCulture, $"--level{level}--\n");
        }

        var rfc822 = dsn;
        var bounceOfBounce = dsn;
        for (var level = 0; level < depth; level++)
        {
            rfc822 = $"From: level{level}@example.com\nSubject: level {level}\nContent-Type: message/rfc822\n\n{rfc822}";
            bounceOfBounce =
                "From: MAILER-DAEMON@example.net\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n" +
                $"Content-Type: multipart/report; report-type=delivery-status; boundary=\"r{level}\"\n\n" +
                $"--r{level}\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n" +
                $"--r{level}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; example.net\n\n" +
                $"Final-Recipient: rfc822; user{level}@example.net\nAction: failed\nStatus: 5.1.1\n\n" +
                $"--r{level}\nContent-Type: message/rfc822\n\n{bounceOfBounce}\n--r{level}--\n";
        }

        await AssertAllFinishAsync(
            [
                ("100 nested multiparts", Encoding.UTF8.GetBytes(multipart.ToString())),
                ("100 nested multiparts without closing boundaries", Encoding.UTF8.GetBytes(unterminated)),
                ("100 nested message/rfc822", Encoding.UTF8.GetBytes(rfc822)),
                ("100 nested bounces of bounces", Encoding.UTF8.GetBytes(bounceOfBounce)),
            ],
            PerMessageLimit);
    }

    [Fact]
    public async Task Parse_ShouldFinishWithinTheLargeMessageBound_WhenTheMessageIs20Megabytes()
    {
        const int megabyte = 1024 * 1024;
        var filler = new StringBuilder(11 * megabyte);
        for (var line = 0; filler.Length < 10 * megabyte; line++)
        {
            filler.Append(line % 1000 == 0
                ? $"<user{line}@example.net>: host mx.example.net said: 550 5.1.1 User unknown (in reply to RCPT TO)\n"
                : $"Line {line} of a very long transcript, nothing to see here; the mail system keeps talking.\n");
        }

        var text = filler.ToString();
        var large =
            "From: MAILER-DAEMON@example.net\nTo: bounces+abc@news.example.org\nSubject: Undelivered Mail Returned to Sender\n" +
            "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"big\"\n\n" +
            $"--big\nContent-Type: text/plain\n\n{text}\n" +
            "--big\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; example.net\n\n" +
            "Final-Recipient: rfc822; nobody@example.net\nAction: failed\nStatus: 5.1.1\n\n" +
            $"--big\nContent-Type: message/rfc822\n\nFrom: news@example.org\nSubject: big\n\n{text}\n--big--\n";
        var longLine =
            "From: MAILER-DAEMON@example.net\nSubject: Mail delivery failed\nX-Failed-Recipients: nobody@example.net\n\n" +
            new string('x', 4 * megabyte) + " 550 5.1.1 user unknown " + new string('y', megabyte) + "\n";

        await AssertAllFinishAsync(
            [($"{large.Length / megabyte} MB report", Encoding.UTF8.GetBytes(large)), ("5 MB single-line notice", Encoding.ASCII.GetBytes(longLine))],
            LargeMessageLimit);
    }

    [Fact]
    public async Task Parse_ShouldFinishWithinTheBound_WhenTheMessageIsAHeaderBomb()
    {
        const int lines = 100_000;
        var dsn = Encoding.UTF8.GetString(FixtureFiles.Robustness("dsn-userunknown.eml"));

        var headers = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            headers.Append(i % 2 == 0
                ? $"Received: from relay{i}.example.net (relay{i}.example.net [192.0.2.{i % 255}]) by mx.example.org; Sun, 22 Nov 2026 10:00:00 +0000\n"
                : $"X-Bomb-{i}: {i}\n");
        }

        var groups = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            groups.Append(CultureInfo.InvariantCulture, $"Final-Recipient: rfc822; user{i}@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n\n");
        }

        var statusGroups =
            "From: MAILER-DAEMON@example.net\nSubject: many\nMIME-Version: 1.0\n" +
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"g\"\n\n" +
            $"--g\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; example.net\n\n{groups}--g--\n";

        await AssertAllFinishAsync(
            [
                ($"{lines} header lines", Encoding.UTF8.GetBytes(headers + dsn)),
                ("10,000 per-recipient status groups", Encoding.UTF8.GetBytes(statusGroups)),
            ],
            LargeMessageLimit);
    }

    /// <summary>
    /// MimeKit 4.18.2 unfolds a folded header in quadratic time (MimeMessage.Load alone: 20,000 continuation lines
    /// 1.3 s, 40,000 lines 3.8 s, 100,000 lines over 20 s), so the engine must bound runs of folded lines first.
    /// </summary>
    [Fact]
    public async Task Parse_ShouldFinishWithinTheBound_WhenOneHeaderIsFoldedOver100000Lines()
    {
        var dsn = Encoding.UTF8.GetString(FixtureFiles.Robustness("dsn-userunknown.eml"));

        await AssertAllFinishAsync([("one header folded over 100,000 lines", Encoding.UTF8.GetBytes(Folded(100_000) + dsn))], PerMessageLimit);
    }

    [Fact]
    public async Task Parse_ShouldFinishWithoutThrowing_WhenFixturesAreRandomlyMutated()
    {
        var random = new Random(Seed);
        var fixtures = FixtureMessages();
        var perFixture = Math.Max(10, MaxMutants / fixtures.Count);
        var cases = new List<(string, byte[])>();
        foreach (var (name, content) in fixtures)
        {
            for (var i = 0; i < perFixture; i++)
            {
                var mutant = content;
                var operations = new List<string>();
                for (var op = random.Next(1, 4); op > 0; op--)
                {
                    (mutant, var description) = Mutate(mutant, random);
                    operations.Add(description);
                }

                cases.Add(($"{name} mutant {i} ({string.Join(", ", operations)})", mutant));
            }
        }

        await AssertAllFinishAsync(cases, PerMessageLimit);
    }

    [Fact]
    public async Task Parse_ShouldFinishWithoutThrowing_WhenLineEndingsAreCrOnlyCrLfOrMixed()
    {
        var random = new Random(Seed);
        var cases = FixtureMessages().SelectMany(fixture =>
        {
            var lf = Encoding.Latin1.GetString(fixture.Content).Replace("\r\n", "\n", StringComparison.Ordinal);
            var mixed = string.Concat(lf.Split('\n').Select(line => line + (random.Next(4) switch { 0 => "\n", 1 => "\r\n", 2 => "\r", _ => "\r\r\n" })));
            return new[]
            {
                ($"{fixture.Name} CR only", Latin1(lf.Replace('\n', '\r'))),
                ($"{fixture.Name} CRLF", Latin1(lf.Replace("\n", "\r\n", StringComparison.Ordinal))),
                ($"{fixture.Name} mixed line endings", Latin1(mixed)),
            };
        });

        await AssertAllFinishAsync(cases, PerMessageLimit);
    }

    [Fact]
    public async Task ParseStream_ShouldFinishWithoutThrowing_WhenTheStreamHoldsBrokenMessages()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        foreach (var (name, content) in FixtureMessages())
        {
            var cut = content[..random.Next(content.Length)];
            var failure = await CheckAsync($"{name} cut to {cut.Length} bytes, as a stream", () => _engine.Parse(new MemoryStream(cut)), PerMessageLimit);
            if (failure is not null)
            {
                failures.Add(failure);
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>
    /// The "bad field name" class of mutation: a line whose label MimeKit refuses as a field name ("Détails:", UTF-8 or Latin-1)
    /// put before each field of each fixture, in the message's header block, a status group, a notice or the returned
    /// headers. Each mutant must read as the unmutated message does (kind, recipients, status, reason): one bad field
    /// costs that field, never the message.
    /// </summary>
    [Fact]
    public async Task Parse_ShouldReadWhatTheUnmutatedMessageSays_WhenOneLineHasAFieldNameMimeKitRefuses()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var (name, content) in FixtureMessages("robustness", "corpus", "ours", "written"))
        {
            var expected = Reading(_engine.Parse(content));

            // The line ends as the fixture's lines do (the corpus has CR-only copies).
            var end = Array.IndexOf(content, (byte)'\n') < 0 && Array.IndexOf(content, (byte)'\r') >= 0 ? (byte)'\r' : (byte)'\n';
            var lines = SplitLines(content, end);
            for (var index = 0; index < lines.Count; index++)
            {
                if (!StartsField(lines[index]))
                {
                    continue;
                }

                // UTF-8 on even lines, Latin-1 on odd ones: both are seen in the wild.
                var encoding = index % 2 == 0 ? Encoding.UTF8 : Encoding.Latin1;
                byte[] badLine = [.. encoding.GetBytes("D\u00e9tails: voir ci-dessous"), end];
                count++;
                var mutant = lines.Take(index).Append(badLine).Concat(lines.Skip(index)).SelectMany(line => line).ToArray();
                var mutantName = $"{name} with a bad field name ({encoding.WebName}) before line {index + 1}";
                BounceReport? report = null;
                var failure = await CheckAsync(mutantName, () => report = _engine.Parse(mutant), PerMessageLimit);
                if (failure is null && Reading(report!) is var actual && actual != expected)
                {
                    failure = $"{mutantName}: read as {actual}, unmutated {expected}";
                }

                if (failure is not null && failures.Count < MaxFailuresListed)
                {
                    failures.Add(failure);
                }
            }
        }

        Assert.True(count > 100, $"only {count} mutants");
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} mutants failed (listing at most {MaxFailuresListed}):\n{string.Join('\n', failures)}");
    }

    /// <summary>What a reader of the report acts on: the kind and each recipient's address, status and reason.</summary>
    private static string Reading(BounceReport report) =>
        $"{report.Kind} [{string.Join("; ", report.Recipients.Select(r => $"{r.Address} {r.Status} {r.Reason}"))}]";

    /// <summary>A line that opens a field ("Name: value"): a letter, then letters, digits and hyphens, then a colon.</summary>
    private static bool StartsField(byte[] line)
    {
        var colon = Array.IndexOf(line, (byte)':');
        return colon > 0 && char.IsAsciiLetter((char)line[0])
            && line.AsSpan(0, colon).IndexOfAnyExcept(FieldNameBytes) < 0;
    }

    /// <summary>
    /// The checks above can fail: a format that throws something other than MimeKit's parse errors (a defect, not bad
    /// input), even a FormatException of its own, is reported with the message and the format's name, although the
    /// engine itself never throws.
    /// </summary>
    [Theory]
    [InlineData(nameof(InvalidOperationException))]
    [InlineData(nameof(FormatException))]
    public async Task CheckAsync_ShouldNameTheMessageAndTheFormat_WhenAFormatThrowsAnUnexpectedException(string exception)
    {
        var engine = new BounceEngine(
            [new ThrowingFormat(exception), .. BounceEngine.DefaultFormats()],
            new ReasonClassifier(new ReasonPatterns(), new SmtpCodeFinder(), new ProviderRules()),
            new MatchExtractor(),
            new LineEndings());
        var content = FixtureFiles.Robustness("dsn-userunknown.eml");

        var failure = await CheckAsync("dsn-userunknown.eml", () => engine.Parse(content), PerMessageLimit);

        Assert.NotNull(failure);
        Assert.Contains("dsn-userunknown.eml", failure, StringComparison.Ordinal);
        Assert.Contains(ThrowingFormat.FormatName, failure, StringComparison.Ordinal);
        Assert.Contains(exception, failure, StringComparison.Ordinal);
        Assert.Null(await CheckAsync("dsn-userunknown.eml", () => _engine.Parse(content), PerMessageLimit));
    }

    /// <summary>A test-only format with a defect: it throws what no malformed input should make it throw.</summary>
    private sealed class ThrowingFormat(string exception) : IBounceFormat
    {
        public const string FormatName = "test-throwing";

        public string Name => FormatName;

        public bool TryParse(BounceContext context, List<RecipientEvidence> recipients) => exception switch
        {
            nameof(FormatException) => int.Parse(context.Subject, CultureInfo.InvariantCulture) > 0,
            _ => throw new InvalidOperationException("a defect in a format"),
        };
    }

    private async Task AssertAllFinishAsync(IEnumerable<(string Name, byte[] Content)> cases, TimeSpan limit)
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var (name, content) in cases)
        {
            count++;
            var failure = await CheckAsync(name, () => _engine.Parse(content), limit);
            if (failure is not null)
            {
                failures.Add(failure);
            }

            if (failures.Count >= MaxFailuresListed)
            {
                break;
            }
        }

        Assert.True(count > 0, "no cases were generated");
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} cases failed (listing at most {MaxFailuresListed}):\n{string.Join('\n', failures)}");
    }

    /// <summary>
    /// Null when the parse finished in time, let no exception escape, and caught only what malformed input is
    /// expected to cause (MimeKit's <see cref="MimeKit.ParseException"/> and other <see cref="FormatException"/>s);
    /// otherwise what went wrong: the message, the stage or format that threw, the exception and where.
    /// </summary>
    internal static async Task<string?> CheckAsync(string name, Func<BounceReport> parse, TimeSpan limit)
    {
        BounceReport report;
        try
        {
            report = await Task.Run(parse).WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            return $"{name}: still running after {limit.TotalSeconds:0} s";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"{name}: {ex.GetType().Name}: {ex.Message} {ThrownAt(ex)}";
        }

        if (report.Recipients is null || report.Match is null)
        {
            return $"{name}: report without recipients list or match";
        }

        if (report.Faults.FirstOrDefault(f => !f.Expected) is { } fault)
        {
            return $"{name}: {fault.Stage} threw {fault.Exception.GetType().FullName}: {fault.Exception.Message} {ThrownAt(fault.Exception)}";
        }

        if (report.Kind == MessageKind.Unparseable && report.Faults.Count == 0)
        {
            return $"{name}: unparseable without the fault that made it so";
        }

        return report.Kind == MessageKind.Unparseable && string.IsNullOrWhiteSpace(report.Error)
            ? $"{name}: unparseable without an error text"
            : null;
    }

    /// <summary>The first frame of ours in the exception's stack (MimeKit's own frames say little), else its first frame.</summary>
    private static string? ThrownAt(Exception ex)
    {
        var frames = ex.StackTrace?.Split('\n').Select(frame => frame.Trim()).ToList() ?? [];
        return frames.FirstOrDefault(frame => frame.Contains("BounceDashboard.", StringComparison.Ordinal)) ?? frames.FirstOrDefault();
    }

    private static (byte[] Mutant, string Description) Mutate(byte[] content, Random random)
    {
        if (content.Length == 0)
        {
            return (content, "empty");
        }

        var at = random.Next(content.Length);
        var length = Math.Min(random.Next(1, 400), content.Length - at);
        switch (random.Next(4))
        {
            case 0:
                var flipped = (byte[])content.Clone();
                var flips = random.Next(1, 9);
                for (var i = 0; i < flips; i++)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }

                return (flipped, $"{flips} byte flips");
            case 1:
                return ([.. content[..at], .. content[(at + length)..]], $"cut {length} at {at}");
            case 2:
                var to = random.Next(content.Length);
                return ([.. content[..to], .. content.AsSpan(at, length), .. content[to..]], $"duplicate {length} from {at} to {to}");
            default:
                return (content[..at], $"truncate at {at}");
        }
    }

    private static string Folded(int continuationLines)
    {
        var folded = new StringBuilder("Subject: folded");
        for (var i = 0; i < continuationLines; i++)
        {
            folded.Append("\n continuation ").Append(i);
        }

        return folded.Append('\n').ToString();
    }

    private static int HeaderEnd(byte[] content)
    {
        var index = content.AsSpan().IndexOf("\n\n"u8);
        return index < 0 ? content.AsSpan().IndexOf("\r\n\r\n"u8) : index;
    }

    private static List<byte[]> SplitLines(byte[] content, byte end = (byte)'\n')
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == end)
            {
                lines.Add(content[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < content.Length)
        {
            lines.Add(content[start..]);
        }

        return lines;
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
