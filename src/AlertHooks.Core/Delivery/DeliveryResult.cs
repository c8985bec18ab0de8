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

        /// <summary>The kind of failure, for runbooks to branch on; <see cref="DeliveryFailure.None"/> on success.</summary>
        public DeliveryFailure Failure { get; internal set; }

        /// <summary>Why the delivery failed, with the target's own error text; null on success.</summary>
        public string? Error { get; internal set; }

        /// <summary>What the endpoint answered (truncated), secrets scrubbed.</summary>
        public string? ResponseBody { get; internal set; }

        public DateTimeOffset Timestamp { get; internal set; }

        public override string ToString() =>
            Succeeded ? $"{PolicyName}: delivered ({StatusCode})" : $"{PolicyName}: failed ({Error})";
    }
}

namespace AlertHooks
{
    /// <summary>Why a delivery did not succeed. Whether it was retried follows from the kind.</summary>
    public enum DeliveryFailure
    {
        None,

        /// <summary>400: the target refused the payload; not retried.</summary>
        InvalidPayload,

        /// <summary>401 or 403: the credential (URL, token) is wrong or revoked; not retried.</summary>
        Unauthorized,

        /// <summary>404 or 410: the webhook does not exist (any more); not retried.</summary>
        NotFound,

        /// <summary>Another status that is not worth retrying, a redirect, or a 2xx that reports a failure.</summary>
        Rejected,

        /// <summary>429 on every attempt.</summary>
        RateLimited,

        /// <summary>The target asked for a wait longer than the configured maximum: failed for now, send again later.</summary>
        RetryAfterTooLong,

        /// <summary>408 or 5xx on every attempt.</summary>
        ServerError,

        /// <summary>No response within the attempt time-out, or the total time-out passed.</summary>
        Timeout,

        /// <summary>The connection could not be made or was dropped.</summary>
        ConnectionFailed,

        /// <summary>The endpoint failed repeatedly and its circuit is open: failing fast for a while.</summary>
        CircuitOpen,

        /// <summary>The endpoint said it does not exist (Discord 404) earlier in this session: failing fast.</summary>
        EndpointDead,

        /// <summary>The user stopped the command.</summary>
        Cancelled,
    }
}
