using System.Buffers;
using System.Text;

namespace BounceDashboard.Web.Exports;

/// <summary>
/// The CSV writer of the large exports: RFC 4180 (comma, CRLF, a field quoted when it holds a quote, a comma or a line
/// break, quotes doubled), written as UTF-8 straight into one pooled buffer that is
/// flushed to the destination in 64 KB blocks. It writes what CsvHelper writes with its defaults (a test compares the
/// two on awkward values), at a fraction of the cost per field: an export of 700,000 bounces writes 7 million fields,
/// and the general-purpose writer's per-field conversions took about as long as reading them from the database.
/// </summary>
/// <remarks>Not thread-safe. Text cells are not escaped against formula injection here: callers pass them through
/// <see cref="FormulaEscaping"/> (<see cref="WriteText"/> does it).</remarks>
public sealed class Utf8CsvWriter(Stream destination) : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Characters that make a field need quotes.</summary>
    private static readonly SearchValues<char> QuoteTriggers = SearchValues.Create("\",\r\n");

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private readonly Stream _destination = destination ?? throw new ArgumentNullException(nameof(destination));
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _length;
    private bool _inRecord;

    /// <summary>The UTF-8 byte order mark, so Excel opens accented text right; write it first.</summary>
    public void WriteByteOrderMark() => Append(ByteOrderMark);

    /// <summary>A record of plain fields (a header row), ended.</summary>
    public void WriteRecord(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            WriteField(field);
        }

        EndRecordInBuffer();
    }

    /// <summary>A text cell from outside (a bounce, a file): escaped against formula injection, then written.</summary>
    public void WriteText(string? text) => WriteField(FormulaEscaping.Escape(text));

    /// <summary>A field as it is (null is an empty field), quoted where CSV needs it.</summary>
    public void WriteField(string? text)
    {
        Separate();
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (!NeedsQuotes(text))
        {
            AppendUtf8(text);
            return;
        }

        AppendByte((byte)'"');
        var rest = text.AsSpan();
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            AppendUtf8(rest[..(quote + 1)]);
            AppendByte((byte)'"');
            rest = rest[(quote + 1)..];
        }

        AppendUtf8(rest);
        AppendByte((byte)'"');
    }

    /// <summary>A field of ASCII bytes known to need no quotes (a constant such as "Hard").</summary>
    public void WriteAsciiField(ReadOnlySpan<byte> ascii)
    {
        Separate();
        Append(ascii);
    }

    /// <summary>A whole number, or an empty field for null.</summary>
    public void WriteField(long? value)
    {
        Separate();
        if (value is { } number)
        {
            Reserve(20);
            number.TryFormat(_buffer.AsSpan(_length), out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
            _length += written;
        }
    }

    /// <summary>A date and time as <c>yyyy-MM-dd HH:mm:ss</c> (what spreadsheets read as a date), digits written directly.</summary>
    public void WriteDateTime(DateTime value)
    {
        Separate();
        Reserve(19);
        var span = _buffer.AsSpan(_length, 19);
        Digits(span[..4], value.Year);
        span[4] = (byte)'-';
        Digits(span.Slice(5, 2), value.Month);
        span[7] = (byte)'-';
        Digits(span.Slice(8, 2), value.Day);
        span[10] = (byte)' ';
        Digits(span.Slice(11, 2), value.Hour);
        span[13] = (byte)':';
        Digits(span.Slice(14, 2), value.Minute);
        span[16] = (byte)':';
        Digits(span.Slice(17, 2), value.Second);
        _length += 19;
    }

    /// <summary>Ends the record (CRLF) and hands full blocks to the destination.</summary>
    public ValueTask EndRecordAsync(CancellationToken cancellationToken)
    {
        EndRecordInBuffer();
        return _length >= BufferSize / 2 ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Writes what is buffered to the destination and flushes it.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            await _destination.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
            _length = 0;
        }

        await _destination.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        await FlushAsync(CancellationToken.None);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>True when <paramref name="text"/> must be quoted: a quote, comma or line break in it.</summary>
    public static bool NeedsQuotes(ReadOnlySpan<char> text) => text.ContainsAny(QuoteTriggers);

    private void EndRecordInBuffer()
    {
        Reserve(2);
        _buffer[_length++] = (byte)'\r';
        _buffer[_length++] = (byte)'\n';
        _inRecord = false;
    }

    private void Separate()
    {
        if (_inRecord)
        {
            AppendByte((byte)',');
        }

        _inRecord = true;
    }

    private void AppendUtf8(ReadOnlySpan<char> text)
    {
        // A UTF-16 char is at most 3 UTF-8 bytes; a long diagnostic that does not fit the block goes in parts.
        while (!text.IsEmpty)
        {
            var chunk = text.Length <= BufferSize / 3 ? text : text[..(BufferSize / 3)];
            if (char.IsHighSurrogate(chunk[^1]) && chunk.Length < text.Length)
            {
                chunk = chunk[..^1];
            }

            Reserve(chunk.Length * 3);
            _length += Encoding.UTF8.GetBytes(chunk, _buffer.AsSpan(_length));
            text = text[chunk.Length..];
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void AppendByte(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    /// <summary>Makes room for <paramref name="bytes"/> more: the buffer grows (it is flushed between records, not inside one).</summary>
    private void Reserve(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
