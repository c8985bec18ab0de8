using System;
using System.Collections;
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

        /// <summary>
        /// Reads a hashtable-like answer: <c>Status</c> (or <c>StatusCode</c>), <c>Headers</c>, <c>Body</c>,
        /// <c>DelayMs</c> (or <c>Delay</c>, a TimeSpan or milliseconds) and <c>Drop</c>.
        /// </summary>
        public static ReceiverResponse FromDictionary(IDictionary dictionary)
        {
            var response = new ReceiverResponse(200);
            foreach (DictionaryEntry entry in dictionary)
            {
                var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                var value = entry.Value;
                switch (key.ToLowerInvariant())
                {
                    case "status":
                    case "statuscode":
                        var status = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                        if (status < 100 || status > 999)
                        {
                            throw new FormatException($"Status {status} is not an HTTP status code (100-999).");
                        }

                        response.StatusCode = status;
                        break;
                    case "headers":
                        if (!(value is IDictionary headers))
                        {
                            throw new FormatException("'Headers' must be a hashtable of header names and values.");
                        }

                        foreach (DictionaryEntry header in headers)
                        {
                            response.Headers[Convert.ToString(header.Key, CultureInfo.InvariantCulture) ?? string.Empty] = Convert.ToString(header.Value, CultureInfo.InvariantCulture) ?? string.Empty;
                        }

                        break;
                    case "body":
                        response.Body = Convert.ToString(value, CultureInfo.InvariantCulture);
                        break;
                    case "delayms":
                        response.Delay = TimeSpan.FromMilliseconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        break;
                    case "delay":
                        response.Delay = value is TimeSpan span ? span : TimeSpan.FromMilliseconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        break;
                    case "drop":
                        response.Drop = Convert.ToBoolean(value, CultureInfo.InvariantCulture);
                        break;
                    default:
                        throw new FormatException($"'{key}' is not a receiver response key. Use Status, Headers, Body, DelayMs or Drop.");
                }
            }

            return response;
        }

        public override string ToString() => Drop ? "drop" : StatusCode.ToString(CultureInfo.InvariantCulture);
    }
}
