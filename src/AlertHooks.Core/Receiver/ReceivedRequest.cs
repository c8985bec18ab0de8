using System;
using System.Collections.Generic;
using System.Text;

namespace AlertHooks
{
    /// <summary>One request the local receiver took, exactly as it arrived.</summary>
    public sealed class ReceivedRequest
    {
        internal ReceivedRequest(int sequence, string method, string path, IReadOnlyDictionary<string, string> headers, byte[] bodyBytes, int responseStatus)
        {
            Sequence = sequence;
            Method = method;
            Path = path;
            Headers = headers;
            BodyBytes = bodyBytes;
            ResponseStatus = responseStatus;
            ReceivedAt = DateTimeOffset.UtcNow;
        }

        /// <summary>1 for the first request the receiver took, then 2, 3, …</summary>
        public int Sequence { get; }

        public string Method { get; }

        /// <summary>Path and query as sent.</summary>
        public string Path { get; }

        /// <summary>Header names are case-insensitive; repeated headers are joined with ", ".</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        public byte[] BodyBytes { get; }

        /// <summary>The body decoded as UTF-8.</summary>
        public string Body => Encoding.UTF8.GetString(BodyBytes);

        public string? ContentType => Headers.TryGetValue("Content-Type", out var value) ? value : null;

        /// <summary>The status the receiver answered with; 0 when it dropped the connection.</summary>
        public int ResponseStatus { get; }

        public DateTimeOffset ReceivedAt { get; }

        public override string ToString() => $"{Method} {Path} ({BodyBytes.Length} bytes)";
    }
}
