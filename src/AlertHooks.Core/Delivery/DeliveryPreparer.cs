using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using AlertHooks.Targets;
using AlertHooks.Templates;

namespace AlertHooks.Delivery
{
    /// <summary>Deployment values and the environment that rendering reads.</summary>
    public sealed class RenderSettings
    {
        public string? DeploymentName { get; set; } = System.Environment.GetEnvironmentVariable("ALERTHOOKS_DEPLOYMENT_NAME");
        public string? DeploymentUrl { get; set; } = System.Environment.GetEnvironmentVariable("ALERTHOOKS_DEPLOYMENT_URL");
        public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;
    }

    /// <summary>Turns a policy and an event into a <see cref="DeliveryRequest"/>: render, resolve secrets, refuse what is unsafe.</summary>
    public static class DeliveryPreparer
    {
        public static DeliveryRequest Prepare(AlertPolicy policy, AlertEvent alertEvent, RenderSettings settings)
        {
            var secrets = new HashSet<string>(policy.LiteralSecrets(), StringComparer.Ordinal);
            var url = CheckedUrl.For(TemplateEngine.RenderText(policy.RawUrl, settings.Environment, secrets));
            foreach (var part in url.Secrets)
            {
                secrets.Add(part);
            }

            var headers = new List<KeyValuePair<string, string>>();
            foreach (var header in policy.RawHeaders)
            {
                var value = TemplateEngine.RenderText(header.Value, settings.Environment, secrets);
                secrets.Add(value);
                headers.Add(new KeyValuePair<string, string>(header.Key, value));
            }

            var render = TemplateEngine.Render(policy.Body, new RenderRequest(alertEvent, policy.Name, policy.Id)
            {
                DeploymentName = settings.DeploymentName,
                DeploymentUrl = settings.DeploymentUrl,
                Environment = settings.Environment,
            });
            foreach (var value in render.Secrets)
            {
                secrets.Add(value);
            }

            // A payload the target would refuse with a 400 is caught here, before anything is sent or retried.
            var refusals = PayloadValidator.For(policy.Target).Validate(render.Body)
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => new TemplateDiagnostic(d.Severity, d.Code, Redactor.Scrub(d.Message, secrets), d.Line, d.Column, d.Path, d.Token))
                .ToArray();
            if (refusals.Length > 0)
            {
                throw new TemplateException(refusals);
            }

            string? signingSecret = null;
            if (!string.IsNullOrEmpty(policy.SigningSecret))
            {
                signingSecret = TemplateEngine.RenderText(policy.SigningSecret!, settings.Environment, secrets);
                secrets.Add(signingSecret);
                WebhookSigner.Validate(signingSecret);
            }

            var request = Create(url, headers, render.Body, policy.Target, secrets);
            request.PolicyName = policy.Name;
            request.PolicyId = policy.Id;
            request.EventType = alertEvent.EventType;
            request.Event = alertEvent;
            request.SigningSecret = signingSecret;
            return request;
        }

        /// <summary>Checks a URL and headers and builds the request; nothing that fails here is ever sent.</summary>
        public static DeliveryRequest Create(string url, IEnumerable<KeyValuePair<string, string>> headers, string body, TargetKind target, ICollection<string> secrets) =>
            Create(CheckedUrl.For(url), headers, body, target, secrets);

        private static DeliveryRequest Create(CheckedUrl checkedUrl, IEnumerable<KeyValuePair<string, string>> headers, string body, TargetKind target, ICollection<string> secrets)
        {
            var headerList = headers.ToList();
            foreach (var header in headerList)
            {
                ValidateHeader(header.Key, header.Value);
            }

            return new DeliveryRequest(checkedUrl.Uri, headerList, body, target, secrets.ToArray(), checkedUrl.Endpoint);
        }

        public static Uri ValidateUrl(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new DeliveryValidationException("InvalidUrl",
                    $"'{Redactor.RedactUrl(url)}' is not an absolute http(s) URL.");
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            {
                throw new DeliveryValidationException("InsecureUrl",
                    $"'{Redactor.RedactUrl(url)}' uses http://. Alerts carry secrets and are only sent over https://, except to a loopback address (127.0.0.1, ::1, localhost).");
            }

            return uri;
        }

        public static void ValidateHeader(string name, string value)
        {
            if (string.IsNullOrEmpty(name) || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".IndexOf(c) >= 0))
            {
                throw new DeliveryValidationException("InvalidHeaderName",
                    $"Header name '{Sanitize(name)}' is not a valid HTTP header name.");
            }

            if (value.IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0)
            {
                throw new DeliveryValidationException("InvalidHeaderValue",
                    $"The value of header '{name}' contains a CR, LF or NUL character, which could inject headers; it was not sent.");
            }
        }

        internal static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

        private static string Sanitize(string name) =>
            new string((name ?? string.Empty).Select(c => c < ' ' || c == 127 ? '?' : c).ToArray());
    }

    /// <summary>
    /// A URL checked once (absolute, http(s), https unless loopback), with its redacted form and its secret parts: a
    /// policy sends to the same URL every time, and parsing and redacting it for each of a bulk send's alerts showed in
    /// its allocations. <see cref="Uri"/> is immutable, so one instance serves every request.
    /// </summary>
    internal sealed class CheckedUrl
    {
        private static readonly BoundedCache<CheckedUrl> Kept = new BoundedCache<CheckedUrl>();

        private CheckedUrl(Uri uri, string endpoint, IReadOnlyList<string> secrets)
        {
            Uri = uri;
            Endpoint = endpoint;
            Secrets = secrets;
        }

        public Uri Uri { get; }

        /// <summary>The URL with its secret parts redacted.</summary>
        public string Endpoint { get; }

        public IReadOnlyList<string> Secrets { get; }

        /// <summary>The checked URL; a URL that fails the checks throws every time and is never kept.</summary>
        public static CheckedUrl For(string url) =>
            Kept.Get(url, u => new CheckedUrl(DeliveryPreparer.ValidateUrl(u), Redactor.RedactUrl(u), Redactor.KnownSecretsOfUrl(u)));
    }
}
