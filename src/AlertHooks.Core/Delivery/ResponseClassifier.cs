using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AlertHooks.Delivery
{
    /// <summary>What one attempt got back, read and classified; the HTTP response itself is already disposed.</summary>
    internal sealed class AttemptOutcome
    {
        public int StatusCode { get; set; }
        public string ReasonPhrase { get; set; } = string.Empty;
        public string Body { get; set; } = string.Empty;
        public bool Succeeded { get; set; }
        public bool Retryable { get; set; }
        public DeliveryFailure Failure { get; set; }

        /// <summary>The target's own words: Slack's code, Discord's message and code, PagerDuty's errors.</summary>
        public string? TargetError { get; set; }

        /// <summary>The larger of the Retry-After header and Discord's body <c>retry_after</c>.</summary>
        public TimeSpan? RetryAfter { get; set; }

        /// <summary>Discord's <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset-After</c>.</summary>
        public int? RateLimitRemaining { get; set; }
        public TimeSpan? RateLimitResetAfter { get; set; }

        public string Describe()
        {
            var text = $"HTTP {StatusCode.ToString(CultureInfo.InvariantCulture)}" + (string.IsNullOrEmpty(ReasonPhrase) ? string.Empty : " " + ReasonPhrase);
            return string.IsNullOrWhiteSpace(TargetError) ? text : text + ": " + TargetError;
        }
    }

    /// <summary>Reads a target's answer: success or not, worth retrying or not, how long it asks to wait, and its error text.</summary>
    internal static class ResponseClassifier
    {
        private const int MaxErrorChars = 300;

        /// <param name="rateLimitHeaders">
        /// Whether to read Discord's <c>X-RateLimit-*</c> headers, for an endpoint paced by them: a header name that is not
        /// a standard one is parsed and checked on every lookup, twice per answer of a bulk send that has no use for it.
        /// </param>
        public static AttemptOutcome Classify(TargetKind target, int status, string? reason, HttpResponseHeaders? headers, string body, DateTimeOffset now, bool rateLimitHeaders = true)
        {
            var outcome = new AttemptOutcome { StatusCode = status, ReasonPhrase = reason ?? string.Empty, Body = body ?? string.Empty };
            if (headers != null)
            {
                outcome.RetryAfter = RetryAfterOf(headers.RetryAfter, now);
                if (rateLimitHeaders)
                {
                    outcome.RateLimitRemaining = IntHeader(headers, "X-RateLimit-Remaining");
                    outcome.RateLimitResetAfter = SecondsHeader(headers, "X-RateLimit-Reset-After");
                }
            }

            if (target == TargetKind.Discord && status == 429)
            {
                var bodyWait = DiscordRetryAfter(outcome.Body);
                if (bodyWait.HasValue && (!outcome.RetryAfter.HasValue || bodyWait.Value > outcome.RetryAfter.Value))
                {
                    outcome.RetryAfter = bodyWait;
                }
            }

            if (status >= 200 && status < 300)
            {
                // Retired Office 365 connectors answered 200 even when Teams refused the message.
                if (target == TargetKind.Teams && outcome.Body.StartsWith("Webhook message delivery failed", StringComparison.OrdinalIgnoreCase))
                {
                    outcome.TargetError = Truncate(outcome.Body.Trim());
                    var throttled = outcome.Body.IndexOf("429", StringComparison.Ordinal) >= 0;
                    outcome.Retryable = throttled;
                    outcome.Failure = throttled ? DeliveryFailure.RateLimited : DeliveryFailure.Rejected;
                    return outcome;
                }

                outcome.Succeeded = true;
                return outcome;
            }

            outcome.TargetError = ErrorText(target, outcome.Body);
            switch (status)
            {
                case 408:
                    outcome.Retryable = true;
                    outcome.Failure = DeliveryFailure.ServerError;
                    break;
                case 429:
                    outcome.Retryable = true;
                    outcome.Failure = DeliveryFailure.RateLimited;
                    break;
                case 400:
                    outcome.Failure = DeliveryFailure.InvalidPayload;
                    break;
                case 401:
                case 403:
                    outcome.Failure = DeliveryFailure.Unauthorized;
                    break;
                case 404:
                case 410:
                    outcome.Failure = DeliveryFailure.NotFound;
                    break;
                default:
                    outcome.Retryable = status >= 500;
                    outcome.Failure = status >= 500 ? DeliveryFailure.ServerError : DeliveryFailure.Rejected;
                    if (status >= 300 && status < 400)
                    {
                        outcome.TargetError = "redirects are not followed" + (outcome.TargetError == null ? string.Empty : "; " + outcome.TargetError);
                    }

                    break;
            }

            return outcome;
        }

        /// <summary>Retry-After as delta-seconds or an HTTP-date; a date in the past means no wait.</summary>
        internal static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? value, DateTimeOffset now)
        {
            if (value == null)
            {
                return null;
            }

            if (value.Delta.HasValue)
            {
                return value.Delta.Value < TimeSpan.Zero ? TimeSpan.Zero : value.Delta.Value;
            }

            if (value.Date.HasValue)
            {
                var wait = value.Date.Value - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            return null;
        }

        /// <summary>The target's error text from a response body, trimmed to a line a person reads.</summary>
        internal static string? ErrorText(TargetKind target, string body)
        {
            var trimmed = (body ?? string.Empty).Trim();
            if (trimmed.Length == 0)
            {
                return null;
            }

            if (trimmed[0] == '{')
            {
                try
                {
                    using (var document = JsonDocument.Parse(trimmed))
                    {
                        var text = JsonErrorText(document.RootElement);
                        if (!string.IsNullOrWhiteSpace(text))
                        {
                            return Truncate(text!);
                        }
                    }
                }
                catch (JsonException)
                {
                }
            }

            // Slack answers with a plain-text code such as invalid_payload or channel_is_archived.
            return Truncate(trimmed.Split('\n')[0].Trim());
        }

        private static string? JsonErrorText(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var parts = new List<string>();
            var message = StringProperty(root, "message") ?? StringProperty(root, "error_description") ?? StringProperty(root, "error") ?? StringProperty(root, "detail") ?? StringProperty(root, "title");
            if (message != null)
            {
                parts.Add(message);
            }

            // Discord: {"message": "Unknown Webhook", "code": 10015}
            if (root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number)
            {
                parts.Add($"(code {code.GetRawText()})");
            }

            // PagerDuty: {"status": "invalid event", "message": "Event object is invalid", "errors": ["..."]}
            if (root.TryGetProperty("errors", out var errors))
            {
                if (errors.ValueKind == JsonValueKind.Array)
                {
                    var items = errors.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()).Where(e => !string.IsNullOrWhiteSpace(e)).ToArray();
                    if (items.Length > 0)
                    {
                        parts.Add((message != null ? "- " : string.Empty) + string.Join("; ", items));
                    }
                }
                else if (errors.ValueKind == JsonValueKind.Object && message == null)
                {
                    parts.Add(errors.GetRawText());
                }
            }

            return parts.Count == 0 ? null : string.Join(" ", parts);
        }

        private static TimeSpan? DiscordRetryAfter(string body)
        {
            if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
            {
                return null;
            }

            try
            {
                using (var document = JsonDocument.Parse(body))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object
                        && document.RootElement.TryGetProperty("retry_after", out var value)
                        && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds >= 0)
                    {
                        return TimeSpan.FromSeconds(seconds);
                    }
                }
            }
            catch (JsonException)
            {
            }

            return null;
        }

        private static string? StringProperty(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString() : null;

        private static int? IntHeader(HttpResponseHeaders headers, string name) =>
            headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : (int?)null;

        private static TimeSpan? SecondsHeader(HttpResponseHeaders headers, string name) =>
            headers.TryGetValues(name, out var values) && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds)
                : (TimeSpan?)null;

        private static string Truncate(string text) => text.Length <= MaxErrorChars ? text : text.Substring(0, MaxErrorChars) + "…";
    }
}
