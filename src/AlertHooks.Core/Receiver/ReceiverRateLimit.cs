using System;
using AlertHooks.Delivery;

namespace AlertHooks
{
    /// <summary>
    /// A rate the local receiver enforces the way Slack does: beyond <see cref="PerSecond"/> (after a burst of
    /// <see cref="Burst"/>) it answers 429 with <c>Retry-After: 1</c>, so pacing can be rehearsed.
    /// </summary>
    public sealed class ReceiverRateLimit
    {
        private readonly CellRate _rate;
        private readonly TimeProvider _time;
        private readonly object _lock = new object();

        public ReceiverRateLimit(double perSecond, int burst = 1, TimeProvider? timeProvider = null)
        {
            if (perSecond <= 0 || burst < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(perSecond), "A rate limit needs a positive rate and a burst of at least 1.");
            }

            PerSecond = perSecond;
            Burst = burst;
            _time = timeProvider ?? TimeProvider.System;
            _rate = new CellRate(perSecond, burst);
        }

        public double PerSecond { get; }

        public int Burst { get; }

        /// <summary>Requests answered 429 so far.</summary>
        public int Rejected { get; private set; }

        /// <summary>True, and counted, when a request arriving now is within the rate.</summary>
        public bool TryTake()
        {
            lock (_lock)
            {
                if (_rate.TryTake(_time.GetUtcNow()))
                {
                    return true;
                }

                Rejected++;
                return false;
            }
        }

        internal static ReceiverResponse Rejection()
        {
            var response = new ReceiverResponse(429) { Body = "rate_limited" };
            response.Headers["Retry-After"] = "1";
            return response;
        }

        public override string ToString() => $"{PerSecond}/s, burst {Burst}";
    }
}
