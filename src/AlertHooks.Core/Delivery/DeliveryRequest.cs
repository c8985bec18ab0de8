using System;
using System.Collections.Generic;

namespace AlertHooks.Delivery
{
    /// <summary>An alert rendered and checked, ready to go on the wire.</summary>
    public sealed class DeliveryRequest
    {
        private string[]? _scrubOrder;

        internal DeliveryRequest(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, string body, TargetKind target, IReadOnlyCollection<string> secrets, string? endpoint = null)
        {
            Url = url;
            Headers = headers;
            Body = body;
            Target = target;
            Secrets = secrets;
            Endpoint = endpoint ?? Redactor.RedactUrl(url.OriginalString);
        }

        /// <summary>Stable across every attempt of this delivery: the idempotency key (<c>webhook-id</c>).</summary>
        public string DeliveryId { get; internal set; } = DeliveryIds.Next();

        public string PolicyName { get; internal set; } = string.Empty;
        public string? PolicyId { get; internal set; }
        public AlertEventType? EventType { get; internal set; }

        /// <summary>The event the body was rendered from, kept in the journal so a replayed record still shows it.</summary>
        internal AlertEvent? Event { get; set; }

        /// <summary>The journal record this request replays, or null for a new delivery.</summary>
        internal AlertDelivery? Replayed { get; set; }

        internal Uri Url { get; }
        internal IReadOnlyList<KeyValuePair<string, string>> Headers { get; }
        public string Body { get; }
        public TargetKind Target { get; }

        /// <summary>The destination with its secret parts redacted.</summary>
        public string Endpoint { get; }

        /// <summary>Every value that must be scrubbed from text a person sees.</summary>
        internal IReadOnlyCollection<string> Secrets { get; }

        /// <summary>Standard Webhooks secret, resolved, when the policy signs its deliveries.</summary>
        internal string? SigningSecret { get; set; }

        internal string Scrub(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? string.Empty;
            }

            // Computed once: a delivery's text is scrubbed several times (what-if, notes, errors, the response).
            _scrubOrder ??= Redactor.ScrubOrder(Secrets);
            return Redactor.ScrubInOrder(text!, _scrubOrder);
        }

        /// <summary>A result that names this delivery; the sender fills in what happened.</summary>
        internal DeliveryResult NewResult() => new DeliveryResult
        {
            DeliveryId = DeliveryId,
            PolicyName = PolicyName,
            PolicyId = PolicyId,
            EventType = EventType,
            Target = Target,
            Endpoint = Endpoint,
        };
    }

    /// <summary>A request refused before it was sent: a bad URL or header. Its message is free of secrets.</summary>
    public sealed class DeliveryValidationException : Exception
    {
        public DeliveryValidationException(string code, string message)
            : base(message)
        {
            Code = code;
        }

        /// <summary>Stable error id, such as <c>InsecureUrl</c> or <c>InvalidHeaderValue</c>.</summary>
        public string Code { get; }
    }

    /// <summary>
    /// Delivery ids: <c>msg_</c> and 32 hex digits, unique across threads, processes and machines. Each thread draws a
    /// 64-bit prefix from the system's random source once and counts after it; a <see cref="Guid"/> per delivery asks
    /// the kernel for random bytes every time (about 0.5 µs here) and stood out in a bulk send's CPU profile.
    /// </summary>
    internal static class DeliveryIds
    {
        [ThreadStatic]
        private static ulong _prefix;

        [ThreadStatic]
        private static ulong _counter;

        public static string Next()
        {
            if (_prefix == 0)
            {
                var bytes = new byte[8];
                using (var random = System.Security.Cryptography.RandomNumberGenerator.Create())
                {
                    while (_prefix == 0)
                    {
                        random.GetBytes(bytes);
                        _prefix = BitConverter.ToUInt64(bytes, 0);
                    }
                }
            }

            return "msg_" + _prefix.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)
                + (++_counter).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
