using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AlertHooks
{
    /// <summary>
    /// Answers a receiver's requests like an unreliable endpoint, reproducibly from a seed: most requests get a 200,
    /// a share of them (<see cref="FaultRatio"/>) a fault drawn evenly from 429 with Retry-After 0 or 1, 500, 502,
    /// 503, a dropped connection, or a 200 that comes late. Attach it with <c>receiver.Responder = chaos.Respond</c>.
    /// </summary>
    public sealed class ChaosResponder
    {
        /// <summary>The kinds of answer, as counted in <see cref="Counts"/>.</summary>
        public static readonly IReadOnlyList<string> Kinds = new[] { "200", "429", "500", "502", "503", "drop", "slow" };

        private readonly Random _random;
        private readonly Dictionary<string, int> _counts = Kinds.ToDictionary(k => k, k => 0, StringComparer.Ordinal);

        public ChaosResponder(int seed, double faultRatio, TimeSpan? maxSlowDelay = null)
        {
            if (faultRatio < 0 || faultRatio > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(faultRatio), faultRatio, "The fault ratio is between 0 and 1.");
            }

            Seed = seed;
            FaultRatio = faultRatio;
            MaxSlowDelay = maxSlowDelay ?? TimeSpan.FromMilliseconds(300);
            _random = new Random(seed);
        }

        public int Seed { get; }

        public double FaultRatio { get; }

        /// <summary>The longest a slow answer waits; keep it below the sender's attempt time-out so the 200 still arrives.</summary>
        public TimeSpan MaxSlowDelay { get; }

        /// <summary>How many answers of each kind were given so far.</summary>
        public IReadOnlyDictionary<string, int> Counts
        {
            get
            {
                lock (_random)
                {
                    return new Dictionary<string, int>(_counts, StringComparer.Ordinal);
                }
            }
        }

        /// <summary>The answer for the next request; the signature fits <see cref="AlertReceiver.Responder"/>.</summary>
        public ReceiverResponse Respond(ReceivedRequestHead head)
        {
            string kind;
            var delayMs = 0;
            var retryAfter = 0;
            lock (_random)
            {
                kind = _random.NextDouble() < FaultRatio ? Kinds[1 + _random.Next(Kinds.Count - 1)] : Kinds[0];
                if (kind == "slow")
                {
                    delayMs = 20 + _random.Next(Math.Max(1, (int)MaxSlowDelay.TotalMilliseconds - 20));
                }
                else if (kind == "429")
                {
                    retryAfter = _random.Next(2);
                }

                _counts[kind]++;
            }

            switch (kind)
            {
                case "drop":
                    return ReceiverResponse.Dropped();
                case "slow":
                    return new ReceiverResponse(200) { Body = "ok", Delay = TimeSpan.FromMilliseconds(delayMs) };
                case "429":
                    var limited = new ReceiverResponse(429) { Body = "rate limited" };
                    limited.Headers["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture);
                    return limited;
                case "200":
                    return new ReceiverResponse(200) { Body = "ok" };
                default:
                    return new ReceiverResponse(int.Parse(kind, CultureInfo.InvariantCulture)) { Body = "chaos " + kind };
            }
        }

        public override string ToString() =>
            $"chaos seed {Seed}, faults {FaultRatio.ToString("0.##", CultureInfo.InvariantCulture)}: "
            + string.Join(", ", Counts.Select(c => c.Key + "=" + c.Value.ToString(CultureInfo.InvariantCulture)));
    }
}
