using System.Text;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Web.Exports;
using BounceDashboard.Web.Imports;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Exports;

public sealed class AudienceExportEndpointTests
{
    private static readonly DateTimeOffset Added = new(2026, 3, 2, 9, 30, 15, TimeSpan.Zero);

    private static async IAsyncEnumerable<AudienceMemberRow> Rows(params AudienceMemberRow[] rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    [Fact]
    public async Task WriteAsync_ShouldWriteAHeaderAndEscapeFormulaCells_WhenNamesStartWithFormulaCharacters()
    {
        // Kestrel refuses synchronous writes to a response: the writer must only write and flush asynchronously.
        using var output = new AsyncOnlyStream();

        await AudienceExportEndpoint.WriteAsync(
            Rows(
                new AudienceMemberRow(1, "ada@example.com", "=HYPERLINK(\"http://evil\")", ContactStatus.Active, false, Added),
                new AudienceMemberRow(2, "olga@example.com", "Olga, \"the\" tester", ContactStatus.OptedOut, true, Added),
                new AudienceMemberRow(3, "bob@example.com", null, ContactStatus.ConfirmedBounce, false, Added)),
            output,
            CancellationToken.None);

        var bytes = output.ToArray();
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte order mark");
        var read = ContactCsvImport.Read(bytes);
        Assert.True(read.Succeeded, read.Error);
        var file = read.File!;
        Assert.Equal(AudienceExportEndpoint.Header, file.Columns);
        Assert.Equal(["ada@example.com", "'=HYPERLINK(\"http://evil\")", "Active", "no", "2026-03-02T09:30:15Z"], file.Rows[0].Fields);
        Assert.Equal(["olga@example.com", "Olga, \"the\" tester", "Opted out", "yes", "2026-03-02T09:30:15Z"], file.Rows[1].Fields);
        Assert.Equal(["bob@example.com", "", "Confirmed bounce", "no", "2026-03-02T09:30:15Z"], file.Rows[2].Fields);
    }

    [Theory]
    [InlineData("Spring Newsletter", "audience-spring-newsletter-2026-03-02.csv")]
    [InlineData("  Clients: Zürich & Genève!  ", "audience-clients-zurich-geneve-2026-03-02.csv")]
    [InlineData("!!!", "audience-export-2026-03-02.csv")]
    public void FileName_ShouldSlugTheNameAndAddTheDate_WhenAnAudienceIsExported(string name, string expected)
    {
        Assert.Equal(expected, AudienceExportEndpoint.FileName(name, new DateTimeOffset(2026, 3, 2, 23, 30, 0, TimeSpan.Zero)));
    }

    /// <summary>A write-only stream that fails synchronous writes and flushes, as a Kestrel response body does.</summary>
    private sealed class AsyncOnlyStream : Stream
    {
        private readonly MemoryStream _inner = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _inner.Length;

        public override long Position
        {
            get => _inner.Position;
            set => throw new NotSupportedException();
        }

        public byte[] ToArray() => _inner.ToArray();

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override void Flush() =>
            throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.WriteAsync(buffer, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
