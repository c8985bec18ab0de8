using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AlertHooks
{
    /// <summary>
    /// A webhook receiver on 127.0.0.1 that records every request and answers with scripted responses,
    /// for tests, demos and rehearsing failures. A small HTTP/1.1 server of its own, so that it can also
    /// delay, drop connections and run anywhere without URL reservations.
    /// </summary>
    public sealed class AlertReceiver : IDisposable
    {
        private const int MaxBodyBytes = 16 * 1024 * 1024;

        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly List<ReceivedRequest> _requests = new List<ReceivedRequest>();
        private readonly ConcurrentQueue<ReceiverResponse> _script = new ConcurrentQueue<ReceiverResponse>();
        private readonly ConcurrentDictionary<TcpClient, byte> _connections = new ConcurrentDictionary<TcpClient, byte>();
        private readonly Task _acceptLoop;
        private int _sequence;

        public AlertReceiver(int port = 0, IEnumerable<ReceiverResponse>? responses = null)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            Url = $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/";
            if (responses != null)
            {
                Enqueue(responses);
            }

            StartedAt = DateTimeOffset.UtcNow;
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        public int Port { get; }

        /// <summary>The base URL, e.g. <c>http://127.0.0.1:50123/</c>; any path below it is accepted.</summary>
        public string Url { get; }

        public DateTimeOffset StartedAt { get; }

        public bool IsRunning => !_stopping.IsCancellationRequested;

        /// <summary>The answer given once the script is used up.</summary>
        public ReceiverResponse DefaultResponse { get; set; } = new ReceiverResponse(200) { Body = "ok" };

        /// <summary>Chooses the answer for a request when set; takes precedence over the script.</summary>
        public Func<ReceivedRequestHead, ReceiverResponse?>? Responder { get; set; }

        /// <summary>When set, requests beyond this rate are answered 429 before the script or the responder is asked.</summary>
        public ReceiverRateLimit? RateLimit { get; set; }

        /// <summary>A snapshot of the requests taken so far, in arrival order.</summary>
        public IReadOnlyList<ReceivedRequest> Requests
        {
            get
            {
                lock (_requests)
                {
                    return _requests.ToArray();
                }
            }
        }

        public int RequestCount
        {
            get
            {
                lock (_requests)
                {
                    return _requests.Count;
                }
            }
        }

        public int PendingResponses => _script.Count;

        public void Enqueue(IEnumerable<ReceiverResponse> responses)
        {
            foreach (var response in responses)
            {
                _script.Enqueue(response);
            }
        }

        public void Clear()
        {
            lock (_requests)
            {
                _requests.Clear();
            }
        }

        /// <summary>Waits until at least <paramref name="count"/> requests arrived, or the time-out passed.</summary>
        public bool WaitForRequests(int count, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (RequestCount < count)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    return false;
                }

                Thread.Sleep(10);
            }

            return true;
        }

        public void Stop()
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            _listener.Stop();
            foreach (var connection in _connections.Keys)
            {
                connection.Dispose();
            }

            try
            {
                _acceptLoop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }
        }

        public void Dispose() => Stop();

        public override string ToString() => Url;

        private async Task AcceptLoopAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                _connections[client] = 0;
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                var reader = new HttpRequestReader(stream);
                while (!_stopping.IsCancellationRequested)
                {
                    var head = await reader.ReadHeadAsync(_stopping.Token).ConfigureAwait(false);
                    if (head == null)
                    {
                        return;
                    }

                    var body = await reader.ReadBodyAsync(head, MaxBodyBytes, _stopping.Token).ConfigureAwait(false);
                    var limit = RateLimit;
                    var response = (limit != null && !limit.TryTake() ? ReceiverRateLimit.Rejection() : null)
                        ?? Responder?.Invoke(head) ?? (_script.TryDequeue(out var scripted) ? scripted : DefaultResponse);
                    Record(head, body, response.Drop ? 0 : response.StatusCode);
                    if (response.Delay > TimeSpan.Zero)
                    {
                        await Task.Delay(response.Delay, _stopping.Token).ConfigureAwait(false);
                    }

                    if (response.Drop)
                    {
                        client.Client.LingerState = new LingerOption(true, 0);
                        return;
                    }

                    await WriteResponseAsync(stream, response).ConfigureAwait(false);
                    if (head.Headers.TryGetValue("Connection", out var connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase))
                    {
                        return;
                    }
                }
            }
            catch (Exception exception) when (exception is IOException || exception is SocketException || exception is OperationCanceledException || exception is ObjectDisposedException || exception is InvalidDataException)
            {
            }
            finally
            {
                _connections.TryRemove(client, out _);
                client.Dispose();
            }
        }

        private void Record(ReceivedRequestHead head, byte[] body, int status)
        {
            lock (_requests)
            {
                _requests.Add(new ReceivedRequest(++_sequence, head.Method, head.Path, head.Headers, body, status));
            }
        }

        private static async Task WriteResponseAsync(Stream stream, ReceiverResponse response)
        {
            var body = Encoding.UTF8.GetBytes(response.Body ?? string.Empty);
            var head = new StringBuilder();
            head.Append("HTTP/1.1 ").Append(response.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase(response.StatusCode)).Append("\r\n");
            var hasContentType = false;
            foreach (var header in response.Headers)
            {
                hasContentType |= header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
                head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
            }

            if (!hasContentType && body.Length > 0)
            {
                head.Append("Content-Type: ").Append(body.Length > 0 && body[0] == (byte)'{' ? "application/json" : "text/plain; charset=utf-8").Append("\r\n");
            }

            head.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
            // One write for head and body: with Nagle off each write is a packet, and each packet a system call.
            var headText = head.ToString();
            var message = new byte[Encoding.ASCII.GetByteCount(headText) + body.Length];
            var headLength = Encoding.ASCII.GetBytes(headText, 0, headText.Length, message, 0);
            Buffer.BlockCopy(body, 0, message, headLength, body.Length);
            await stream.WriteAsync(message, 0, message.Length).ConfigureAwait(false);
        }

        private static string ReasonPhrase(int status)
        {
            switch (status)
            {
                case 200: return "OK";
                case 202: return "Accepted";
                case 204: return "No Content";
                case 400: return "Bad Request";
                case 401: return "Unauthorized";
                case 403: return "Forbidden";
                case 404: return "Not Found";
                case 408: return "Request Timeout";
                case 410: return "Gone";
                case 429: return "Too Many Requests";
                case 500: return "Internal Server Error";
                case 502: return "Bad Gateway";
                case 503: return "Service Unavailable";
                case 504: return "Gateway Timeout";
                default: return "Status";
            }
        }
    }
}
