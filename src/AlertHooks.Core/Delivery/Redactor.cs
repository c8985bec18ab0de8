using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AlertHooks.Targets;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// Hides secrets from anything a person can see: webhook URLs whose path or query is the credential,
    /// header values, and values read from the environment.
    /// </summary>
    public static class Redactor
    {
        public const string Mask = "***";

        private static readonly BoundedCache<string[]> KnownUrlSecrets = new BoundedCache<string[]>();

        /// <summary>
        /// The URL as it may be shown: scheme, host and port always; the path of a generic endpoint;
        /// never a query value, user info, or the path of a target whose path is the secret.
        /// </summary>
        public static string RedactUrl(string url)
        {
            if (string.IsNullOrEmpty(url))
            {
                return url;
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return url.IndexOf("{{", StringComparison.Ordinal) >= 0 ? url : Mask;
            }

            var builder = new StringBuilder();
            builder.Append(uri.Scheme).Append("://").Append(uri.Host);
            if (!uri.IsDefaultPort)
            {
                builder.Append(':').Append(uri.Port);
            }

            var kind = TargetDetector.Detect(url);
            switch (kind)
            {
                case TargetKind.Slack:
                    builder.Append(FirstSegments(uri, 1)).Append('/').Append(Mask);
                    break;
                case TargetKind.Discord:
                    builder.Append(FirstSegments(uri, 2)).Append('/').Append(Mask);
                    break;
                case TargetKind.Teams:
                    builder.Append(uri.AbsolutePath.Length > 1 ? "/" + Mask : string.Empty);
                    break;
                default:
                    builder.Append(uri.AbsolutePath == "/" ? string.Empty : uri.AbsolutePath);
                    break;
            }

            if (uri.Query.Length > 1)
            {
                var names = uri.Query.Substring(1).Split('&').Select(p => p.Split('=')[0]);
                builder.Append('?').Append(string.Join("&", names.Select(n => n + "=" + Mask)));
            }

            return builder.ToString();
        }

        /// <summary>Replaces every occurrence of each secret in <paramref name="text"/>.</summary>
        public static string Scrub(string? text, IEnumerable<string> secrets)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? string.Empty;
            }

            return ScrubInOrder(text!, ScrubOrder(secrets));
        }

        /// <summary>The secrets worth replacing, longest first so that a secret inside another is not left half-shown.</summary>
        internal static string[] ScrubOrder(IEnumerable<string> secrets) =>
            secrets.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();

        /// <summary>Scrubs with secrets already put in <see cref="ScrubOrder"/>.</summary>
        internal static string ScrubInOrder(string text, string[] ordered)
        {
            foreach (var secret in ordered)
            {
                if (text.IndexOf(secret, StringComparison.Ordinal) >= 0)
                {
                    text = text.Replace(secret, Mask);
                }
            }

            return text;
        }

        /// <summary>
        /// <see cref="SecretsOfUrl"/>, worked out once per URL: a policy scrubs with its URL's secrets for every alert it sends,
        /// and parsing the URL again for each of a bulk send's alerts showed in its profile. A pure function of the text.
        /// </summary>
        public static IReadOnlyList<string> KnownSecretsOfUrl(string url) => KnownUrlSecrets.Get(url, u => SecretsOfUrl(u).ToArray());

        /// <summary>The parts of a URL that are secret: its full text, and path and query where they are the credential.</summary>
        public static IEnumerable<string> SecretsOfUrl(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                yield break;
            }

            yield return url;
            yield return uri.AbsoluteUri;
            if (TargetDetector.Detect(url) != TargetKind.Generic && uri.AbsolutePath.Length > 1)
            {
                yield return uri.AbsolutePath;
                foreach (var segment in uri.AbsolutePath.Split('/').Where(s => s.Length >= 8))
                {
                    yield return segment;
                }
            }

            if (uri.Query.Length > 1)
            {
                foreach (var pair in uri.Query.Substring(1).Split('&'))
                {
                    var equals = pair.IndexOf('=');
                    if (equals >= 0 && pair.Length - equals - 1 >= 4)
                    {
                        yield return pair.Substring(equals + 1);
                        yield return Uri.UnescapeDataString(pair.Substring(equals + 1));
                    }
                }
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                yield return uri.UserInfo;
            }
        }

        private static string FirstSegments(Uri uri, int count)
        {
            var segments = uri.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            return "/" + string.Join("/", segments.Take(count));
        }
    }
}
