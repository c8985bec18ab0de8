using System;
using System.Collections.Concurrent;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// Values worked out once per URL (or other text) and kept for the session: a policy sends to the same URL for every
    /// alert of a bulk send. Emptied when full, so that ad hoc texts that differ every time do not grow it without bound.
    /// A value whose factory throws is not kept, and throws again next time.
    /// </summary>
    internal sealed class BoundedCache<TValue>
    {
        private const int MaxKept = 1024;
        private readonly ConcurrentDictionary<string, TValue> _kept = new ConcurrentDictionary<string, TValue>(StringComparer.Ordinal);

        public TValue Get(string key, Func<string, TValue> create)
        {
            if (_kept.TryGetValue(key, out var known))
            {
                return known;
            }

            var value = create(key);
            if (_kept.Count >= MaxKept)
            {
                _kept.Clear();
            }

            _kept[key] = value;
            return value;
        }
    }
}
