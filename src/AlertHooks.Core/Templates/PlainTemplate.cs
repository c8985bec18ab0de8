using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace AlertHooks.Templates
{
    /// <summary>
    /// A Liquid source made only of text and plain <c>{{token}}</c> or <c>{{ env.NAME }}</c> outputs — what every
    /// platform body is. It renders by substitution, so a process that only sends such bodies never builds
    /// Fluid's grammar, which costs a few hundred milliseconds of JIT on the first send.
    /// </summary>
    internal sealed class PlainTemplate
    {
        // Interpreted on purpose: compiling a regex costs more at start-up than this one ever saves.
        private static readonly Regex Output = new Regex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\s*\}\}", RegexOptions.CultureInvariant);

        private readonly Part[] _parts;

        private PlainTemplate(Part[] parts) => _parts = parts;

        /// <summary>The plain form of <paramref name="source"/>, or null when it needs Liquid (filters, tags, members).</summary>
        public static PlainTemplate? TryCreate(string source)
        {
            if (source.IndexOf("{%", StringComparison.Ordinal) >= 0)
            {
                return null;
            }

            var parts = new List<Part>();
            var position = 0;
            foreach (Match match in Output.Matches(source))
            {
                var text = source.Substring(position, match.Index - position);
                if (text.IndexOf("{{", StringComparison.Ordinal) >= 0)
                {
                    return null;
                }

                var name = match.Groups[1].Value;
                var member = match.Groups[2].Success ? match.Groups[2].Value : null;
                if (member != null && name != EnvironmentValue.RootName)
                {
                    return null;
                }

                if (text.Length > 0)
                {
                    parts.Add(new Part(text, null, false));
                }

                parts.Add(member == null ? new Part(null, name, false) : new Part(null, member, true));
                position = match.Index + match.Length;
            }

            var rest = source.Substring(position);
            if (rest.IndexOf("{{", StringComparison.Ordinal) >= 0)
            {
                return null;
            }

            if (rest.Length > 0)
            {
                parts.Add(new Part(rest, null, false));
            }

            return new PlainTemplate(parts.ToArray());
        }

        /// <summary>
        /// Writes the output: <paramref name="token"/> gives a token's text (null renders empty, as Liquid does),
        /// <paramref name="environment"/> a variable's value (it throws for a missing one).
        /// </summary>
        public void Render(StringBuilder builder, bool jsonEscape, Func<string, string?> token, Func<string, string> environment)
        {
            foreach (var part in _parts)
            {
                var text = part.Text ?? (part.IsEnvironment ? environment(part.Name!) : token(part.Name!) ?? string.Empty);
                if (jsonEscape)
                {
                    JsonText.AppendEscaped(builder, text);
                }
                else
                {
                    builder.Append(text);
                }
            }
        }

        private readonly struct Part
        {
            public Part(string? text, string? name, bool isEnvironment)
            {
                Text = text;
                Name = name;
                IsEnvironment = isEnvironment;
            }

            public string? Text { get; }
            public string? Name { get; }
            public bool IsEnvironment { get; }
        }
    }
}
