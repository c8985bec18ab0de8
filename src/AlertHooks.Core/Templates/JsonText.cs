using System.Text;

namespace AlertHooks.Templates
{
    /// <summary>Writes text as the inside of a JSON string so that any value keeps a payload valid.</summary>
    internal static class JsonText
    {
        private const string Hex = "0123456789abcdef";

        public static void AppendEscaped(StringBuilder builder, string value)
        {
            var start = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                string? replacement = null;
                if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029')
                {
                    replacement = Escape(c);
                }
                else if (char.IsHighSurrogate(c))
                {
                    if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        i++;
                        continue;
                    }

                    replacement = "\uFFFD";
                }
                else if (char.IsLowSurrogate(c))
                {
                    // A lone surrogate cannot travel as UTF-8; the replacement character is what every decoder would show.
                    replacement = "\uFFFD";
                }

                if (replacement == null)
                {
                    continue;
                }

                builder.Append(value, start, i - start).Append(replacement);
                start = i + 1;
            }

            builder.Append(value, start, value.Length - start);
        }

        public static string Quote(string value)
        {
            var builder = new StringBuilder(value.Length + 2).Append('"');
            AppendEscaped(builder, value);
            return builder.Append('"').ToString();
        }

        /// <summary>The text a JSON reader gives back for a value: lone surrogates become U+FFFD.</summary>
        public static string Sanitize(string value)
        {
            var builder = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    builder.Append(c).Append(value[++i]);
                }
                else
                {
                    builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                }
            }

            return builder.ToString();
        }

        private static string Escape(char c)
        {
            switch (c)
            {
                case '"': return "\\\"";
                case '\\': return "\\\\";
                case '\n': return "\\n";
                case '\r': return "\\r";
                case '\t': return "\\t";
                case '\b': return "\\b";
                case '\f': return "\\f";
                default:
                    return new string(new[] { '\\', 'u', Hex[(c >> 12) & 0xF], Hex[(c >> 8) & 0xF], Hex[(c >> 4) & 0xF], Hex[c & 0xF] });
            }
        }
    }
}
