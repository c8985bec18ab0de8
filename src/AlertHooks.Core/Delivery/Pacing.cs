using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AlertHooks.Delivery
{
    /// <summary>How fast one endpoint may be sent to, so that a burst of alerts does not earn 429s.</summary>
    public sealed class PacingProfile
    {
        public PacingProfile(double perSecond, int burst = 1)
        {
            if (perSecond < 0 || burst < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(perSecond), "A pace needs a non-negative rate and a burst of at least 1.");
            }

            PerSecond = perSecond;
            Burst = burst;
        }

        /// <summary>Sustained requests per second; 0 means unpaced.</summary>
        public double PerSecond { get; }

        /// <summary>Requests that may go at once before the pace applies.</summary>
        public int Burst { get; }

        /// <summary>One request at a time, waiting whenever <c>X-RateLimit-Remaining</c> reaches 0 (Discord).</summary>
        public bool FollowRateLimitHeaders { get; private set; }

        /// <summary>Slack: 1 per second per webhook, short bursts tolerated.</summary>
        public static PacingProfile Slack { get; } = new PacingProfile(1, 2);

        /// <summary>Teams workflows throttle beyond 4 requests per second.</summary>
        public static PacingProfile Teams { get; } = new PacingProfile(4, 1);

        /// <summary>Discord publishes its limits per response; don't hard-code them.</summary>
        public static PacingProfile Discord { get; } = new PacingProfile(0) { FollowRateLimitHeaders = true };

        public static PacingProfile Unpaced { get; } = new PacingProfile(0);

        internal static Dictionary<TargetKind, PacingProfile> Defaults() => new Dictionary<TargetKind, PacingProfile>
        {
            [TargetKind.Slack] = Slack,
            [TargetKind.Teams] = Teams,
            [TargetKind.Discord] = Discord,
            [TargetKind.PagerDuty] = Unpaced,
            [TargetKind.Generic] = Unpaced,
        };

        public override string ToString() => FollowRateLimitHeaders ? "rate-limit headers" : PerSecond <= 0 ? "unpaced" : $"{PerSecond}/s, burst {Burst}";
    }

    /// <summary>
    /// The generic cell rate algorithm: a token bucket kept as one "theoretical arrival time". The pacer reserves
    /// slots with it; the receiver's rate limit checks arrivals with the same rule.
    /// </summary>
    internal sealed class CellRate
    {
        private readonly TimeSpan _interval;
        private readonly TimeSpan _tolerance;
        private DateTimeOffset _theoreticalArrival = DateTimeOffset.MinValue;

        public CellRate(double perSecond, int burst)
        {
            _interval = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / perSecond));
            _tolerance = TimeSpan.FromTicks(_interval.Ticks * (burst - 1));
        }

        /// <summary>Takes the next free slot at or after <paramref name="notBefore"/> and returns when it is.</summary>
        public DateTimeOffset Reserve(DateTimeOffset notBefore)
        {
            var arrival = _theoreticalArrival > notBefore ? _theoreticalArrival : notBefore;
            var slot = arrival - _tolerance;
            if (slot < notBefore)
            {
                slot = notBefore;
            }

            _theoreticalArrival = arrival + _interval;
            return slot;
        }

        /// <summary>
        /// Counts a request as if it arrived at <paramref name="latest"/> (when its answer came back): the receiver saw it
        /// at or before then, so pacing from here can never run ahead of the receiver's count, whatever the latency.
        /// </summary>
        public void Settle(DateTimeOffset latest)
        {
            var next = latest + _interval;
            if (next > _theoreticalArrival)
            {
                _theoreticalArrival = next;
            }
        }

        /// <summary>True and counted when a request arriving at <paramref name="now"/> is within the rate.</summary>
        public bool TryTake(DateTimeOffset now)
        {
            var arrival = _theoreticalArrival > now ? _theoreticalArrival : now;
            if (arrival - _tolerance > now)
            {
                return false;
            }

            _theoreticalArrival = arrival + _interval;
            return true;
        }
    }

    /// <summary>Paces the attempts to one endpoint: a rate, a wait the endpoint asked for, and for Discord one request at a time.</summary>
    internal sealed class EndpointPacer
    {
        private static readonly IDisposable NoLease = new Lease(null);

        // A timer may wake a little before the slot by the wall clock the endpoint counts with: a request that arrives
        // a millisecond early earns a 429. Waiting a hair longer costs nothing at these rates.
        private static readonly TimeSpan SlotMargin = TimeSpan.FromMilliseconds(15);

        private readonly TimeProvider _time;
        private readonly CellRate? _rate;
        private readonly SemaphoreSlim? _gate;
        private readonly object _lock = new object();
        private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

        public EndpointPacer(PacingProfile profile, TimeProvider time)
        {
            Profile = profile;
            _time = time;
            _rate = profile.PerSecond > 0 ? new CellRate(profile.PerSecond, profile.Burst) : null;
            _gate = profile.FollowRateLimitHeaders ? new SemaphoreSlim(1, 1) : null;
        }

        public PacingProfile Profile { get; }

        /// <summary>The lease of an endpoint that is not paced: there is nothing to give back.</summary>
        internal static IDisposable Unpaced => NoLease;

        /// <summary>Waits for this endpoint's next slot; dispose the lease when the attempt has its answer.</summary>
        public ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken)
        {
            // An endpoint without a pace that no Retry-After holds back goes at once: most bulk sends' endpoints are
            // like that, and skipping the asynchronous path saves each alert a task and its state machine.
            if (_gate == null && _rate == null)
            {
                var now = _time.GetUtcNow();
                lock (_lock)
                {
                    if (_blockedUntil <= now)
                    {
                        return new ValueTask<IDisposable>(NoLease);
                    }
                }
            }

            return new ValueTask<IDisposable>(WaitForSlotAsync(cancellationToken));
        }

        private async Task<IDisposable> WaitForSlotAsync(CancellationToken cancellationToken)
        {
            if (_gate != null)
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                DateTimeOffset slot;
                var now = _time.GetUtcNow();
                lock (_lock)
                {
                    var notBefore = _blockedUntil > now ? _blockedUntil : now;
                    slot = _rate?.Reserve(notBefore) ?? notBefore;
                }

                if (slot > now)
                {
                    await _time.Delay(slot - now + SlotMargin, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                _gate?.Release();
                throw;
            }

            return _gate == null && _rate == null ? NoLease : new Lease(this);
        }

        /// <summary>Learns from an answer: a Retry-After holds every sender back, Discord's headers say when the bucket refills.</summary>
        public void Observe(AttemptOutcome outcome)
        {
            var now = _time.GetUtcNow();
            if (outcome.StatusCode == 429 && outcome.RetryAfter.HasValue)
            {
                BlockUntil(now + outcome.RetryAfter.Value);
            }

            if (Profile.FollowRateLimitHeaders && outcome.RateLimitRemaining == 0 && outcome.RateLimitResetAfter.HasValue)
            {
                BlockUntil(now + outcome.RateLimitResetAfter.Value);
            }
        }

        private void BlockUntil(DateTimeOffset until)
        {
            lock (_lock)
            {
                if (until > _blockedUntil)
                {
                    _blockedUntil = until;
                }
            }
        }

        private void Release()
        {
            if (_rate != null)
            {
                var now = _time.GetUtcNow();
                lock (_lock)
                {
                    _rate.Settle(now);
                }
            }

            _gate?.Release();
        }

        private sealed class Lease : IDisposable
        {
            private EndpointPacer? _pacer;

            public Lease(EndpointPacer? pacer) => _pacer = pacer;

            public void Dispose() => Interlocked.Exchange(ref _pacer, null)?.Release();
        }
    }
}
