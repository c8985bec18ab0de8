using System;
using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace AlertHooks.Policies
{
    /// <summary>
    /// PowerShell-style wildcards without a PowerShell reference: <c>*</c>, <c>?</c>, <c>[a-z]</c> and a backtick
    /// to escape; whole-value, case-insensitive.
    /// </summary>
    public static class Wildcard
    {
        private static readonly ConcurrentDictionary<string, Regex> Cache = new ConcurrentDictionary<string, Regex>(StringComparer.Ordinal);

        public static bool HasWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

        public static bool IsMatch(string? value, string pattern) => Compile(pattern).IsMatch(value ?? string.Empty);

        /// <summary>Throws <see cref="ArgumentException"/> for a pattern with an unclosed bracket.</summary>
        public static Regex Compile(string pattern)
        {
            if (Cache.Count > 512)
            {
                Cache.Clear();
            }

            return Cache.GetOrAdd(pattern, p => new Regex(ToRegex(p), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline));
        }

        private static string ToRegex(string pattern)
        {
            var builder = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                switch (c)
                {
                    case '`' when i + 1 < pattern.Length:
                        builder.Append(Regex.Escape(pattern[++i].ToString()));
                        break;
                    case '*':
                        builder.Append(".*");
                        break;
                    case '?':
                        builder.Append('.');
                        break;
                    case '[':
                        var close = pattern.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            throw new ArgumentException($"The wildcard pattern '{pattern}' has a '[' without its ']'.");
                        }

                        var set = pattern.Substring(i + 1, close - i - 1).Replace("\\", "\\\\").Replace("^", "\\^");
                        builder.Append('[').Append(set).Append(']');
                        i = close;
                        break;
                    default:
                        builder.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            return builder.Append('$').ToString();
        }
    }
}
