using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AlertHooks
{
    /// <summary>
    /// Something that happened and may deserve an alert: an event type plus the values of its tokens.
    /// Global tokens that belong to the policy or the deployment are filled at render time.
    /// </summary>
    public sealed class AlertEvent
    {
        private readonly Dictionary<string, object> _tokens;

        public AlertEvent(AlertEventType eventType, IEnumerable<KeyValuePair<string, object?>>? tokens = null, bool isSample = false, DateTimeOffset? occurredAt = null)
        {
            EventType = eventType;
            IsSample = isSample;
            OccurredAt = occurredAt ?? DateTimeOffset.UtcNow;
            Id = Guid.NewGuid().ToString("n");
            _tokens = new Dictionary<string, object>(StringComparer.Ordinal);
            if (tokens == null)
            {
                return;
            }

            foreach (var pair in tokens)
            {
                if (!TokenCatalog.TryGet(pair.Key, out var token))
                {
                    throw new UnknownTokenException(pair.Key);
                }

                if (!token.IsGlobal && !token.EventTypes.Contains(eventType))
                {
                    throw new TokenNotAvailableException(pair.Key, eventType);
                }

                if (pair.Value == null || PolicyOwnedTokens.Contains(pair.Key))
                {
                    continue;
                }

                _tokens[pair.Key] = Normalize(pair.Key, pair.Value);
            }
        }

        /// <summary>Tokens that come from the policy that renders the event, never from the event itself.</summary>
        internal static readonly HashSet<string> PolicyOwnedTokens = new HashSet<string>(StringComparer.Ordinal)
        {
            "alert_policy_name", "alert_policy_id", "notification_type", "is_sample",
        };

        public string Id { get; }
        public AlertEventType EventType { get; }
        public string NotificationType => TokenCatalog.NotificationType(EventType);
        public bool IsSample { get; }
        public DateTimeOffset OccurredAt { get; }

        /// <summary>The token values the event was given (times as <see cref="DateTimeOffset"/>, the rest as text).</summary>
        public IReadOnlyDictionary<string, object> Tokens => _tokens;

        public string Summary => GetText("alert_summary") ?? EventSummaries.Summary(this);

        public string Content => GetText("alert_content") ?? EventSummaries.Content(this);

        public string? GetText(string token) =>
            _tokens.TryGetValue(token, out var value) ? FormatValue(value) : null;

        /// <summary>How the platform writes a moment: <c>Jan 8, 2026 10:00 AM</c>.</summary>
        public static string FormatTime(DateTimeOffset time) =>
            time.ToString("MMM d, yyyy h:mm tt", CultureInfo.InvariantCulture);

        internal static string FormatValue(object value) =>
            value is DateTimeOffset time ? FormatTime(time) : (string)value;

        private static object Normalize(string token, object value)
        {
            if (TokenCatalog.TimeTokens.Contains(token))
            {
                switch (value)
                {
                    case DateTimeOffset offset:
                        return offset;
                    case DateTime dateTime:
                        return new DateTimeOffset(dateTime.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dateTime, DateTimeKind.Utc) : dateTime);
                    default:
                        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                        {
                            return parsed;
                        }

                        throw new ArgumentException($"The value of token '{token}' is not a date and time: '{text}'.", token);
                }
            }

            if (value is bool flag)
            {
                return flag ? "true" : "false";
            }

            return value is IFormattable formattable
                ? formattable.ToString(null, CultureInfo.InvariantCulture)
                : value.ToString() ?? string.Empty;
        }

        public override string ToString() => $"{EventType}: {Summary}";
    }
}
