using System;
using System.Collections.Generic;
using System.Linq;
using AlertHooks.Delivery;
using AlertHooks.Targets;

namespace AlertHooks
{
    /// <summary>
    /// Where and how to send alerts for some event types. The URL and header values can be secrets:
    /// the public properties only ever show them redacted.
    /// </summary>
    public sealed class AlertPolicy
    {
        private readonly Dictionary<string, string> _headers;

        public AlertPolicy(string name, IEnumerable<AlertEventType> eventTypes, string url, string body, IDictionary<string, string>? headers = null, string? id = null)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A policy needs a name.", nameof(name));
            }

            Name = name;
            Id = string.IsNullOrWhiteSpace(id) ? NewId() : id!;
            EventTypes = eventTypes.Distinct().ToArray();
            if (EventTypes.Count == 0)
            {
                throw new ArgumentException("A policy needs at least one event type.", nameof(eventTypes));
            }

            RawUrl = url ?? throw new ArgumentNullException(nameof(url));
            Body = body ?? throw new ArgumentNullException(nameof(body));
            _headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (headers != null)
            {
                foreach (var pair in headers)
                {
                    _headers[pair.Key] = pair.Value;
                }
            }

            Target = TargetDetector.Detect(url);
        }

        public string Name { get; set; }

        /// <summary>Stable identifier: the <c>alert_policy_id</c> token.</summary>
        public string Id { get; }

        public IReadOnlyList<AlertEventType> EventTypes { get; set; }

        /// <summary>The destination as it may be shown: secret path and query parts redacted.</summary>
        public string Endpoint => Redactor.RedactUrl(RawUrl);

        public TargetKind Target { get; set; }

        public string Body { get; set; }

        public string? Description { get; set; }

        public bool Enabled { get; set; } = true;

        /// <summary>The name of the preset the body came from, if any.</summary>
        public string? Preset { get; set; }

        /// <summary>Header names with their values hidden.</summary>
        public IReadOnlyDictionary<string, string> Headers =>
            _headers.ToDictionary(h => h.Key, h => IsEnvironmentReference(h.Value) ? h.Value : Redactor.Mask, StringComparer.OrdinalIgnoreCase);

        /// <summary>Token name → wildcard pattern; all must match for the policy to take an event.</summary>
        public IDictionary<string, string> Match { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The URL as written, possibly with <c>{{ env.NAME }}</c> references. Never shown.</summary>
        internal string RawUrl { get; set; }

        internal IDictionary<string, string> RawHeaders => _headers;

        /// <summary>Standard Webhooks secret (<c>whsec_…</c>), or a <c>{{ env.NAME }}</c> reference to one.</summary>
        internal string? SigningSecret { get; set; }

        public bool IsSigned => !string.IsNullOrEmpty(SigningSecret);

        public DateTimeOffset Created { get; internal set; } = DateTimeOffset.UtcNow;

        public DateTimeOffset Modified { get; internal set; } = DateTimeOffset.UtcNow;

        /// <summary>Every literal secret of the policy, for scrubbing text a person will see.</summary>
        internal IEnumerable<string> LiteralSecrets()
        {
            foreach (var secret in Redactor.KnownSecretsOfUrl(RawUrl))
            {
                yield return secret;
            }

            foreach (var value in _headers.Values.Where(v => !IsEnvironmentReference(v)))
            {
                yield return value;
            }

            if (!string.IsNullOrEmpty(SigningSecret) && !IsEnvironmentReference(SigningSecret!))
            {
                yield return SigningSecret!;
            }
        }

        internal static bool IsEnvironmentReference(string value)
        {
            var trimmed = value.Trim();
            return trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal)
                && trimmed.Substring(2, trimmed.Length - 4).Trim().StartsWith("env.", StringComparison.Ordinal);
        }

        private static string NewId() => Guid.NewGuid().ToString("D");

        /// <summary>Changes the destination; the target follows a literal URL and is kept for an env reference.</summary>
        internal void SetUrl(string url)
        {
            RawUrl = url;
            if (url.IndexOf("{{", StringComparison.Ordinal) < 0)
            {
                Target = TargetDetector.Detect(url);
            }
        }

        internal void SetHeaders(IDictionary<string, string> headers)
        {
            _headers.Clear();
            foreach (var pair in headers)
            {
                _headers[pair.Key] = pair.Value;
            }
        }

        internal void SetMatch(IDictionary<string, string>? match)
        {
            Match.Clear();
            if (match != null)
            {
                foreach (var pair in match)
                {
                    Match[pair.Key] = pair.Value;
                }
            }
        }

        /// <summary>A deep copy, so that a store operation never changes an object the caller holds.</summary>
        internal AlertPolicy Clone(string? id = null)
        {
            var copy = new AlertPolicy(Name, EventTypes, RawUrl, Body, _headers, id ?? Id)
            {
                Target = Target,
                Description = Description,
                Enabled = Enabled,
                Preset = Preset,
                SigningSecret = SigningSecret,
                Created = Created,
                Modified = Modified,
            };
            copy.SetMatch(Match);
            return copy;
        }

        public override string ToString() => Name;
    }
}
