using System;

namespace AlertHooks
{
    /// <summary>What happened to one alert sent to one policy's endpoint.</summary>
    public sealed class DeliveryResult
    {
        public string DeliveryId { get; internal set; } = string.Empty;
        public string PolicyName { get; internal set; } = string.Empty;
        public string? PolicyId { get; internal set; }
        public AlertEventType? EventType { get; internal set; }
        public TargetKind Target { get; internal set; }

        /// <summary>The destination with its secret parts redacted.</summary>
        public string Endpoint { get; internal set; } = string.Empty;

        /// <summary>The last HTTP status received, or null when no response came back.</summary>
        public int? StatusCode { get; internal set; }

        public int Attempts { get; internal set; }
        public TimeSpan Duration { get; internal set; }
        public bool Succeeded { get; internal set; }

        /// <summary>Why the delivery failed, with the target's own error text; null on success.</summary>
        public string? Error { get; internal set; }

        /// <summary>What the endpoint answered (truncated), secrets scrubbed.</summary>
        public string? ResponseBody { get; internal set; }

        public DateTimeOffset Timestamp { get; internal set; } = DateTimeOffset.UtcNow;

        public override string ToString() =>
            Succeeded ? $"{PolicyName}: delivered ({StatusCode})" : $"{PolicyName}: failed ({Error})";
    }
}
