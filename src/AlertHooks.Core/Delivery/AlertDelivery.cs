using System;
using System.Collections.Generic;

namespace AlertHooks
{
    /// <summary>Where a journaled delivery stands.</summary>
    public enum DeliveryStatus
    {
        /// <summary>Journaled before the first attempt and not finished: in flight, or its process was killed.</summary>
        Pending,

        /// <summary>The endpoint accepted it.</summary>
        Delivered,

        /// <summary>Every attempt failed; replay it with <c>Send-AlertWebhook</c>.</summary>
        Failed,
    }

    /// <summary>
    /// One record of the delivery journal (the outbox). What a person sees here is free of secrets; what replay
    /// needs in clear stays inside the journal file, which only its owner can read.
    /// </summary>
    public sealed class AlertDelivery
    {
        /// <summary>The delivery id: the idempotency key every attempt and every replay carries.</summary>
        public string Id { get; internal set; } = string.Empty;

        public DeliveryStatus Status { get; internal set; }
        public string PolicyName { get; internal set; } = string.Empty;
        public string? PolicyId { get; internal set; }
        public AlertEventType? EventType { get; internal set; }
        public TargetKind Target { get; internal set; }

        /// <summary>The destination with its secret parts redacted.</summary>
        public string Endpoint { get; internal set; } = string.Empty;

        /// <summary>Attempts over the first send and every replay.</summary>
        public int Attempts { get; internal set; }

        /// <summary>The last HTTP status received, or null when none came back.</summary>
        public int? LastStatusCode { get; internal set; }

        /// <summary>Why the last send failed, secrets scrubbed; null when delivered or pending.</summary>
        public string? Reason { get; internal set; }

        public DateTimeOffset Created { get; internal set; }
        public DateTimeOffset Updated { get; internal set; }

        /// <summary>The event the alert was rendered from, when it came from one.</summary>
        public AlertEvent? Event { get; internal set; }

        /// <summary>The rendered body, with any secret rendered into it masked.</summary>
        public string Body { get; internal set; } = string.Empty;

        /// <summary>Header names with their values hidden.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; internal set; } = new Dictionary<string, string>();

        /// <summary>Whether the alert is signed (Standard Webhooks) when it is sent or replayed.</summary>
        public bool IsSigned { get; internal set; }

        /// <summary>The machine and process that last wrote the record: a Pending record of a live process is still in flight.</summary>
        public string? MachineName { get; internal set; }

        public int? ProcessId { get; internal set; }

        internal DateTimeOffset? ProcessStarted { get; set; }

        /// <summary>The journal file that holds the record.</summary>
        public string Path { get; internal set; } = string.Empty;

        /// <summary>What replay needs in clear: the URL, header values, the unmasked body, the signing secret.</summary>
        internal ReplaySecrets Replay { get; set; } = new ReplaySecrets();

        public override string ToString() => $"{Id} {Status} ({PolicyName})";

        /// <summary>A shallow copy: a journal read builds its records fresh, and an outcome line changes only its scalars.</summary>
        internal AlertDelivery Copy() => (AlertDelivery)MemberwiseClone();
    }

    /// <summary>The part of a record that is never shown: kept only in the owner-only journal file.</summary>
    internal sealed class ReplaySecrets
    {
        public string Url { get; set; } = string.Empty;
        public List<KeyValuePair<string, string>> Headers { get; set; } = new List<KeyValuePair<string, string>>();

        /// <summary>Null when <see cref="AlertDelivery.Body"/> holds no secret and is the body as sent.</summary>
        public string? Body { get; set; }

        public string? SigningSecret { get; set; }

        /// <summary>The values to scrub from anything a person sees when the record is replayed.</summary>
        public List<string> Secrets { get; set; } = new List<string>();
    }
}
