using System;
using System.Collections.Generic;
using System.Globalization;

namespace AlertHooks
{
    /// <summary>A scripted answer of the local receiver: a status, headers, a body, a delay, or a dropped connection.</summary>
    public sealed class ReceiverResponse
    {
        public ReceiverResponse(int statusCode = 200)
        {
            StatusCode = statusCode;
        }

        public int StatusCode { get; set; }

        public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string? Body { get; set; }

        /// <summary>How long to wait before answering.</summary>
        public TimeSpan Delay { get; set; }

        /// <summary>Close the connection without answering, as a crashed or unreachable server would.</summary>
        public bool Drop { get; set; }

        public static ReceiverResponse Dropped() => new ReceiverResponse(0) { Drop = true };

        /// <summary>Reads <c>200</c>, <c>429</c>, <c>drop</c>, or <c>429:retry-after=2</c> style shorthand.</summary>
        public static ReceiverResponse Parse(string text)
        {
            var trimmed = (text ?? string.Empty).Trim();
            if (trimmed.Equals("drop", StringComparison.OrdinalIgnoreCase))
            {
                return Dropped();
            }

            var parts = trimmed.Split(':');
            if (!int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var status) || status < 100 || status > 999)
            {
                throw new FormatException($"'{text}' is not a receiver response. Use a status code (200, 429), 'drop', or '429:retry-after=2'.");
            }

            var response = new ReceiverResponse(status);
            for (var i = 1; i < parts.Length; i++)
            {
                var pair = parts[i].Split(new[] { '=' }, 2);
                if (pair.Length == 2 && pair[0].Equals("delay", StringComparison.OrdinalIgnoreCase))
                {
                    response.Delay = TimeSpan.FromMilliseconds(double.Parse(pair[1], CultureInfo.InvariantCulture));
                }
                else if (pair.Length == 2)
                {
                    response.Headers[pair[0]] = pair[1];
                }
            }

            return response;
        }

        public override string ToString() => Drop ? "drop" : StatusCode.ToString(CultureInfo.InvariantCulture);
    }
}
