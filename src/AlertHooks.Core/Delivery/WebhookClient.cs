using System;
using System.Diagnostics;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AlertHooks.Delivery
{
    /// <summary>Puts prepared requests on the wire over one shared, keep-alive <see cref="HttpClient"/>.</summary>
    public sealed class WebhookClient
    {
        /// <summary>Carries the delivery id on every attempt and replay, so a receiver can drop a copy it already took.</summary>
        public const string IdempotencyHeader = "Idempotency-Key";

        private const int MaxResponseBodyChars = 2000;
        private const string JsonContentType = "application/json; charset=utf-8";

        // One handler, so one pool of keep-alive connections, for everything the session sends.
        private static readonly Lazy<HttpMessageHandler> SharedHandler = new Lazy<HttpMessageHandler>(CreateHandler);

        private static readonly Lazy<HttpClient> SharedClient = new Lazy<HttpClient>(() => new HttpClient(SharedHandler.Value, disposeHandler: false)
        {
            // Time-outs are per attempt and per delivery, set by the caller.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        });

        // The engine's way onto the same handler. HttpClient links every request's token with one source it shares among
        // all requests in flight (for CancelPendingRequests, which nothing here calls): a bulk send's concurrent requests
        // took that source's lock twice each, and the engine's own attempt token already cancels the request.
        private static readonly Lazy<HttpMessageInvoker> SharedInvoker = new Lazy<HttpMessageInvoker>(() => new HttpMessageInvoker(SharedHandler.Value, disposeHandler: false));

        // Set on each message, not as a default header of the client: HttpClient copies its default headers into every
        // request under a lock, which the concurrent sends of a bulk run contended for.
        private static readonly string UserAgent = "AlertHooks/" + typeof(WebhookClient).Assembly.GetName().Version?.ToString(3);

        private readonly HttpClient _http;

        public WebhookClient(HttpClient? http = null)
        {
            _http = http ?? SharedClient.Value;
        }

        /// <summary>The one HttpClient of the session: keep-alive connections, no redirects, no cookies.</summary>
        internal static HttpClient SharedHttpClient => SharedClient.Value;

        /// <summary>The session's handler as the delivery engine calls it: the same connections as <see cref="SharedHttpClient"/>.</summary>
        internal static HttpMessageInvoker SharedSender => SharedInvoker.Value;

        /// <summary>The client every cmdlet call in a session shares.</summary>
        public static WebhookClient Shared { get; } = new WebhookClient();

        public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

        public async Task<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
        {
            var stopwatch = Stopwatch.StartNew();
            var result = request.NewResult();
            result.Attempts = 1;

            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var message = CreateMessage(request))
            {
                timeout.CancelAfter(AttemptTimeout);
                try
                {
                    using (var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false))
                    {
                        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                        result.StatusCode = (int)response.StatusCode;
                        result.ResponseBody = request.Scrub(text.Length > MaxResponseBodyChars ? text.Substring(0, MaxResponseBodyChars) : text);
                        result.Succeeded = result.StatusCode >= 200 && result.StatusCode < 300;
                        if (!result.Succeeded)
                        {
                            result.Error = $"HTTP {result.StatusCode} {response.ReasonPhrase}" + (string.IsNullOrWhiteSpace(result.ResponseBody) ? string.Empty : ": " + result.ResponseBody);
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    result.Error = $"No response within {AttemptTimeout.TotalSeconds:0.#} s.";
                }
                catch (HttpRequestException exception)
                {
                    result.Error = request.Scrub("Connection failed: " + (exception.InnerException?.Message ?? exception.Message));
                }
            }

            result.Duration = stopwatch.Elapsed;
            result.Timestamp = DateTimeOffset.UtcNow;
            return result;
        }

        internal static HttpRequestMessage CreateMessage(DeliveryRequest request)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, request.Url)
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body)),
            };
            // As text: a parsed media type is formatted back into this very string for every request on the wire.
            message.Content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
            message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            var ownIdempotencyKey = false;
            foreach (var header in request.Headers)
            {
                // Looked up in the policy's own list: asking the message would parse the header name once more per request.
                ownIdempotencyKey |= string.Equals(header.Key, IdempotencyHeader, StringComparison.OrdinalIgnoreCase);
                if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    message.Content.Headers.Remove(header.Key);
                    message.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            if (!ownIdempotencyKey)
            {
                message.Headers.TryAddWithoutValidation(IdempotencyHeader, request.DeliveryId);
            }

            return message;
        }

        private static HttpMessageHandler CreateHandler() => CreateSocketsHandler() ?? new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
        };

        /// <summary>
        /// SocketsHttpHandler where the runtime has it (this assembly targets netstandard2.0, which does not name it):
        /// the client lives for the session, so pooled connections are recycled to follow DNS changes.
        /// </summary>
        private static HttpMessageHandler? CreateSocketsHandler()
        {
            var type = typeof(HttpClient).Assembly.GetType("System.Net.Http.SocketsHttpHandler", throwOnError: false);
            if (type == null)
            {
                return null;
            }

            try
            {
                var handler = (HttpMessageHandler)Activator.CreateInstance(type)!;
                type.GetProperty("AllowAutoRedirect")?.SetValue(handler, false);
                type.GetProperty("UseCookies")?.SetValue(handler, false);
                type.GetProperty("PooledConnectionLifetime")?.SetValue(handler, TimeSpan.FromMinutes(5));
                type.GetProperty("PooledConnectionIdleTimeout")?.SetValue(handler, TimeSpan.FromSeconds(60));
                return handler;
            }
            catch (Exception exception) when (exception is System.Reflection.TargetInvocationException || exception is MissingMethodException || exception is PlatformNotSupportedException)
            {
                return null;
            }
        }
    }
}
