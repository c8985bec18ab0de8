using System;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// The limits of one call: attempts and time-outs. They travel with each delivery (not with the endpoint's
    /// pipeline), so two calls with different limits can share an endpoint's circuit breaker and pacing.
    /// </summary>
    public sealed class DeliveryOptions
    {
        public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>From the first attempt to the end of the last, waits between attempts included.</summary>
        public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Attempts in all, the first one included.</summary>
        public int MaxAttempts { get; set; } = 4;

        /// <summary>The longest Retry-After honoured; a longer one ends the delivery as failed-for-now.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Backoff base: the n-th retry waits a random time in [0, min(MaxDelay, BaseDelay * 2^(n-1))] (full jitter).</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        public static DeliveryOptions FromConfiguration(Configuration configuration) => new DeliveryOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(configuration.AttemptTimeoutSec),
            TotalTimeout = TimeSpan.FromSeconds(configuration.TotalTimeoutSec),
            MaxAttempts = configuration.MaxAttempts,
            MaxRetryAfter = TimeSpan.FromSeconds(configuration.MaxRetryAfterSec),
        };

        internal DeliveryOptions Validated()
        {
            if (MaxAttempts < 1 || AttemptTimeout <= TimeSpan.Zero || TotalTimeout <= TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero || BaseDelay < TimeSpan.Zero)
            {
                throw new ArgumentException("Delivery options need at least one attempt and positive time-outs.");
            }

            return this;
        }
    }
}
