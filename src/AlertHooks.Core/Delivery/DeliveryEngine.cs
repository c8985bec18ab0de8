using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// Delivers prepared requests through their endpoint's pipeline over the session's one shared handler (the connections of <see cref="WebhookClient.SharedHttpClient"/>),
    /// journaling each delivery before its first attempt and after its last. Safe to call concurrently.
    /// </summary>
    public sealed class DeliveryEngine
    {
        private const int MaxResponseBytes = 64 * 1024;
        private const int MaxResponseBodyChars = 2000;

        private readonly HttpMessageInvoker _http;
        private readonly EndpointPipelines _endpoints;
        private readonly IDeliveryJournal _journal;
        private readonly TimeProvider _time;

        public DeliveryEngine(DeliveryOptions? options = null, IDeliveryJournal? journal = null, EndpointPipelines? endpoints = null, HttpMessageInvoker? http = null)
        {
            Options = (options ?? new DeliveryOptions()).Validated();
            _journal = journal ?? NullDeliveryJournal.Instance;
            _endpoints = endpoints ?? EndpointPipelines.Session;
            _http = http ?? WebhookClient.SharedSender;
            _time = _endpoints.TimeProvider;
        }

        public DeliveryOptions Options { get; }

        /// <summary>Diagnostics a person may read (retries, waits), secrets scrubbed. Called from worker threads.</summary>
        public Action<DeliveryRequest, string>? Verbose { get; set; }

        /// <summary>Problems that did not stop the delivery, such as a journal that could not be written. Called from worker threads.</summary>
        public Action<DeliveryRequest, string>? Warning { get; set; }

        public async Task<DeliveryResult> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
        {
            var result = request.NewResult();
            var endpoint = _endpoints.For(request);
            // The place in the endpoint's line is taken before anything is awaited, so that it follows call order.
            var turn = endpoint.JoinLine(out var done);
            var started = _time.GetTimestamp();
            try
            {
                // The Pending line is queued now, in call order, and awaited only once the turn has come: by then it is
                // in the log, and a delivery waits once instead of twice (each wait a continuation on another thread).
                Task pending;
                try
                {
                    pending = _journal.BeginAsync(request);
                }
                catch (Exception exception) when (!(exception is OutOfMemoryException))
                {
                    WarnJournalFailed(request, exception);
                    pending = Task.CompletedTask;
                }

                // No cancellation callback per waiting delivery (registering one for each of a bulk send's queued alerts
                // contended on the token's lock): the delivery ahead ends at once on cancellation, since its request, its
                // pacing and its retry waits all take the token, and each one behind it then stops here in turn.
                if (!turn.IsCompleted)
                {
                    await turn.ConfigureAwait(false);
                }

                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception exception) when (!(exception is OutOfMemoryException))
                {
                    WarnJournalFailed(request, exception);
                }

                cancellationToken.ThrowIfCancellationRequested();
                started = _time.GetTimestamp();
                await DeliverInTurnAsync(request, endpoint, result, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                result.Failure = DeliveryFailure.Cancelled;
                result.Error = "Cancelled before the delivery completed.";
            }
            finally
            {
                done.SetResult(true);
            }

            result.Duration = _time.GetElapsedTime(started);
            result.Timestamp = _time.GetUtcNow();
            try
            {
                await _journal.CompleteAsync(request, result).ConfigureAwait(false);
            }
            catch (Exception exception) when (!(exception is OutOfMemoryException))
            {
                WarnJournalFailed(request, exception);
            }

            return result;
        }

        private async Task DeliverInTurnAsync(DeliveryRequest request, Endpoint endpoint, DeliveryResult result, CancellationToken cancellationToken)
        {
            var deadReason = endpoint.DeadReason;
            if (deadReason != null)
            {
                result.Failure = DeliveryFailure.EndpointDead;
                result.Error = deadReason;
            }
            else
            {
                var verbose = Verbose;
                var state = new AttemptState(request, Options, endpoint, verbose == null ? null : new Action<string>(text => verbose(request, text)));
                var context = ResilienceContextPool.Shared.Get(cancellationToken);
                try
                {
                    // The wait for the endpoint's pace is queueing, not delivery: the time-outs start after it.
                    state.SetFirstSlot(await endpoint.Pacer.AcquireAsync(cancellationToken).ConfigureAwait(false));
                    state.StartedAt = _time.GetTimestamp();
                    state.Attach(context);
                    var outcome = await endpoint.Pipeline.ExecuteOutcomeAsync((ctx, s) => AttemptAsync(ctx, s), context, state).ConfigureAwait(false);
                    Fill(result, state, outcome, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    result.Attempts = state.Attempts;
                    result.Failure = DeliveryFailure.Cancelled;
                    result.Error = "Cancelled before the delivery completed.";
                }
                finally
                {
                    state.TakeFirstSlot()?.Dispose();
                    ResilienceContextPool.Shared.Return(context);
                }

                if (request.Target == TargetKind.Discord && result.StatusCode == 404)
                {
                    endpoint.DeadReason = "Discord answered 404 (Unknown Webhook) earlier in this session; this webhook is not used again until the session ends or Reset() is called.";
                }
            }
        }

        private void Fill(DeliveryResult result, AttemptState state, Outcome<AttemptOutcome> outcome, CancellationToken cancellationToken)
        {
            var request = state.Request;
            result.Attempts = state.Attempts;
            result.StatusCode = state.Last?.StatusCode;
            if (state.Last != null)
            {
                var body = state.Last.Body;
                result.ResponseBody = request.Scrub(body.Length > MaxResponseBodyChars ? body.Substring(0, MaxResponseBodyChars) : body);
            }

            var exception = outcome.Exception;
            if (exception == null)
            {
                var last = outcome.Result!;
                result.Succeeded = last.Succeeded;
                if (!last.Succeeded)
                {
                    result.Failure = state.StopFailure ?? last.Failure;
                    result.Error = request.Scrub(last.Describe() + (state.StopNote == null ? string.Empty : "; " + state.StopNote));
                }

                return;
            }

            switch (exception)
            {
                case OperationCanceledException _ when cancellationToken.IsCancellationRequested:
                    result.Failure = DeliveryFailure.Cancelled;
                    result.Error = "Cancelled before the delivery completed.";
                    break;
                case TimeoutRejectedException _:
                    result.Failure = DeliveryFailure.Timeout;
                    result.Error = state.TotalTimedOut
                        ? $"The total time-out of {Seconds(Options.TotalTimeout)} s passed (last: {state.LastFailureText()})."
                        : state.LastError ?? $"No response within {Seconds(Options.AttemptTimeout)} s.";
                    break;
                case BrokenCircuitException broken:
                    result.Failure = DeliveryFailure.CircuitOpen;
                    result.Error = "The endpoint failed repeatedly and its circuit is open: failing fast"
                        + (broken.RetryAfter.HasValue ? $" for another {Seconds(broken.RetryAfter.Value)} s" : string.Empty) + ".";
                    break;
                case HttpRequestException _:
                case IOException _:
                    result.Failure = DeliveryFailure.ConnectionFailed;
                    result.Error = state.LastError;
                    break;
                default:
                    result.Failure = DeliveryFailure.Rejected;
                    result.Error = exception.GetType().Name + ": " + exception.Message;
                    break;
            }

            if (state.StopNote != null && result.Failure != DeliveryFailure.Cancelled)
            {
                result.Error += "; " + state.StopNote;
            }

            result.Error = request.Scrub(result.Error);
        }

        private async ValueTask<Outcome<AttemptOutcome>> AttemptAsync(ResilienceContext context, AttemptState state)
        {
            var request = state.Request;
            var attempt = ++state.Attempts;
            using (var message = CreateMessage(request, _time.GetUtcNow()))
            {
                try
                {
                    // A handler answers once the headers are in, as HttpClient's ResponseHeadersRead; the body is read below, capped.
                    using (var response = await _http.SendAsync(message, context.CancellationToken).ConfigureAwait(false))
                    {
                        var body = await ReadBodyAsync(response, context.CancellationToken).ConfigureAwait(false);
                        var outcome = ResponseClassifier.Classify(request.Target, (int)response.StatusCode, response.ReasonPhrase, response.Headers, body, _time.GetUtcNow(), state.Endpoint.Pacer.Profile.FollowRateLimitHeaders);
                        state.Endpoint.Pacer.Observe(outcome);
                        state.Last = outcome;
                        state.LastError = null;
                        if (state.NoteSink != null)
                        {
                            state.Note($"attempt {attempt}: {outcome.Describe()}");
                        }

                        return Outcome.FromResult(outcome);
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException || exception is IOException)
                {
                    state.LastError = request.Scrub("Connection failed: " + Innermost(exception).Message);
                    if (state.NoteSink != null)
                    {
                        state.Note($"attempt {attempt}: {state.LastError}");
                    }

                    return Outcome.FromException<AttemptOutcome>(exception);
                }
                catch (OperationCanceledException exception)
                {
                    // The attempt time-out turns this into a TimeoutRejectedException; a user's cancellation stays final.
                    state.LastError = $"No response within {Seconds(Options.AttemptTimeout)} s (attempt time-out).";
                    return Outcome.FromException<AttemptOutcome>(exception);
                }
            }
        }

        /// <summary>The request of one attempt: Discord asked to confirm the message, and a fresh Standard Webhooks signature.</summary>
        internal static HttpRequestMessage CreateMessage(DeliveryRequest request, DateTimeOffset now)
        {
            var message = WebhookClient.CreateMessage(request);
            if (request.Target == TargetKind.Discord)
            {
                message.RequestUri = WithDiscordWait(request.Url);
            }

            if (!string.IsNullOrEmpty(request.SigningSecret))
            {
                var timestamp = now.ToUnixTimeSeconds();
                message.Headers.Remove("webhook-id");
                message.Headers.Remove("webhook-timestamp");
                message.Headers.Remove("webhook-signature");
                message.Headers.TryAddWithoutValidation("webhook-id", request.DeliveryId);
                message.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
                message.Headers.TryAddWithoutValidation("webhook-signature", WebhookSigner.Sign(request.SigningSecret!, request.DeliveryId, timestamp, request.Body));
            }

            return message;
        }

        /// <summary>With <c>?wait=true</c> Discord answers with the saved message, so an unsaved one is an error instead of a silent 204.</summary>
        internal static Uri WithDiscordWait(Uri url)
        {
            var query = url.Query.TrimStart('?');
            foreach (var pair in query.Split('&'))
            {
                if (pair.StartsWith("wait=", StringComparison.OrdinalIgnoreCase))
                {
                    return url;
                }
            }

            var builder = new UriBuilder(url) { Query = query.Length == 0 ? "wait=true" : query + "&wait=true" };
            return builder.Uri;
        }

        private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            // Most answers are empty or a few bytes ("ok", 202): nothing to read is nothing allocated, and the buffer is
            // rented, not a new 8 KB per delivery.
            if (response.Content.Headers.ContentLength == 0)
            {
                return string.Empty;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(8192);
            try
            {
                using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    var length = 0;
                    // A declared length ends the read once it is in: no further read only to be told there is no more.
                    var expected = Math.Min(response.Content.Headers.ContentLength ?? MaxResponseBytes, MaxResponseBytes);
                    int read;
                    while (length < expected && (read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        length += read;
                        if (length == buffer.Length && length < MaxResponseBytes)
                        {
                            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxResponseBytes));
                            Buffer.BlockCopy(buffer, 0, larger, 0, length);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }
                    }

                    return length == 0 ? string.Empty : Encoding.UTF8.GetString(buffer, 0, Math.Min(length, MaxResponseBytes));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        // An alert matters more than its journal record: send anyway, and say so.
        private void WarnJournalFailed(DeliveryRequest request, Exception exception) =>
            Warning?.Invoke(request, request.Scrub("The delivery journal could not be written: " + exception.Message));

        private static Exception Innermost(Exception exception)
        {
            while (exception.InnerException != null)
            {
                exception = exception.InnerException;
            }

            return exception;
        }

        private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
