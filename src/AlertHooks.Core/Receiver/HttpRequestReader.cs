using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AlertHooks
{
    /// <summary>The request line and headers of a request the receiver is taking.</summary>
    public sealed class ReceivedRequestHead
    {
        internal ReceivedRequestHead(string method, string path, IReadOnlyDictionary<string, string> headers)
        {
            Method = method;
            Path = path;
            Headers = headers;
        }

        public string Method { get; }
        public string Path { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }
    }

    /// <summary>Reads HTTP/1.1 requests (Content-Length or chunked bodies) from a connection.</summary>
    internal sealed class HttpRequestReader
    {
        private const int MaxHeadBytes = 64 * 1024;

        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public HttpRequestReader(Stream stream) => _stream = stream;

        public async Task<ReceivedRequestHead?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            var lines = new List<string>();
            while (true)
            {
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line == null)
                {
                    return null;
                }

                if (line.Length == 0)
                {
                    if (lines.Count == 0)
                    {
                        continue;
                    }

                    break;
                }

                lines.Add(line);
                if (lines.Count > 200)
                {
                    throw new InvalidDataException("Too many header lines.");
                }
            }

            var requestLine = lines[0].Split(' ');
            if (requestLine.Length < 2)
            {
                throw new InvalidDataException("Malformed request line.");
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 1; i < lines.Count; i++)
            {
                var colon = lines[i].IndexOf(':');
                if (colon <= 0)
                {
                    continue;
                }

                var name = lines[i].Substring(0, colon).Trim();
                var value = lines[i].Substring(colon + 1).Trim();
                headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
            }

            return new ReceivedRequestHead(requestLine[0], requestLine[1], headers);
        }

        public async Task<byte[]> ReadBodyAsync(ReceivedRequestHead head, int maxBytes, CancellationToken cancellationToken)
        {
            if (head.Headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                using (var body = new MemoryStream())
                {
                    while (true)
                    {
                        var sizeLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new EndOfStreamException();
                        var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        if (size == 0)
                        {
                            while (!string.IsNullOrEmpty(await ReadLineAsync(cancellationToken).ConfigureAwait(false)))
                            {
                            }

                            return body.ToArray();
                        }

                        if (body.Length + size > maxBytes)
                        {
                            throw new InvalidDataException("Body too large.");
                        }

                        var chunk = await ReadExactlyAsync(size, cancellationToken).ConfigureAwait(false);
                        body.Write(chunk, 0, chunk.Length);
                        await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (head.Headers.TryGetValue("Content-Length", out var lengthText)
                && int.TryParse(lengthText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var length) && length > 0)
            {
                if (length > maxBytes)
                {
                    throw new InvalidDataException("Body too large.");
                }

                return await ReadExactlyAsync(length, cancellationToken).ConfigureAwait(false);
            }

            return Array.Empty<byte>();
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            // A line is almost always whole in the buffer: decoded from there, not collected byte by byte.
            List<byte>? partial = null;
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return partial == null || partial.Count == 0 ? null : throw new EndOfStreamException();
                }

                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    partial ??= new List<byte>();
                    partial.AddRange(new ArraySegment<byte>(_buffer, _start, _end - _start));
                    _start = _end;
                    if (partial.Count > MaxHeadBytes)
                    {
                        throw new InvalidDataException("Header line too long.");
                    }

                    continue;
                }

                byte[] bytes;
                int offset;
                int length;
                if (partial == null)
                {
                    (bytes, offset, length) = (_buffer, _start, newline - _start);
                }
                else
                {
                    partial.AddRange(new ArraySegment<byte>(_buffer, _start, newline - _start));
                    (bytes, offset, length) = (partial.ToArray(), 0, partial.Count);
                }

                _start = newline + 1;
                if (length > 0 && bytes[offset + length - 1] == (byte)'\r')
                {
                    length--;
                }

                if (length > MaxHeadBytes)
                {
                    throw new InvalidDataException("Header line too long.");
                }

                return Encoding.UTF8.GetString(bytes, offset, length);
            }
        }

        private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
        {
            var result = new byte[count];
            var copied = 0;
            while (copied < count)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new EndOfStreamException();
                }

                var take = Math.Min(count - copied, _end - _start);
                Buffer.BlockCopy(_buffer, _start, result, copied, take);
                _start += take;
                copied += take;
            }

            return result;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await _stream.ReadAsync(_buffer, 0, _buffer.Length, cancellationToken).ConfigureAwait(false);
            return _end > 0;
        }
    }
}
