using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace AlertHooks.Templates
{
    /// <summary>A variable a template reads, with where it stands in the template source.</summary>
    internal readonly struct TokenReference
    {
        public TokenReference(string name, string? member, int offset)
        {
            Name = name;
            Member = member;
            Offset = offset;
        }

        /// <summary>The root variable, e.g. <c>run_link</c> or <c>env</c>.</summary>
        public string Name { get; }

        /// <summary>The first member after the root, e.g. <c>SLACK_URL</c> in <c>env.SLACK_URL</c>.</summary>
        public string? Member { get; }

        /// <summary>Offset of the reference in the Liquid source it was found in.</summary>
        public int Offset { get; }
    }

    /// <summary>
    /// Finds the variables a Liquid source reads. Fluid's AST has no public visitor, and what we need is
    /// small: root names in output and tag expressions, minus filter names, keywords and local variables.
    /// </summary>
    internal static class TokenScanner
    {
        // Interpreted: each template is scanned once and cached, and compiling four regexes would cost more at start-up.
        private static readonly Regex Markup = new Regex(@"\{\{(?<out>.*?)-?\}\}|\{%-?\s*(?<tag>[a-z_]+)(?<args>.*?)-?%\}", RegexOptions.Singleline);
        private static readonly Regex Identifier = new Regex(@"'[^']*'|""[^""]*""|(?<id>[A-Za-z_][A-Za-z0-9_\-]*)(?:\.(?<member>[A-Za-z_][A-Za-z0-9_]*))?");
        private static readonly Regex LocalDeclaration = new Regex(@"\{%-?\s*(?:assign|capture|for|increment|decrement)\s+([A-Za-z_][A-Za-z0-9_]*)");
        private static readonly Regex Verbatim = new Regex(@"\{%-?\s*(raw|comment)\s*-?%\}.*?\{%-?\s*end\1\s*-?%\}", RegexOptions.Singleline);

        private static readonly HashSet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "and", "or", "not", "contains", "in", "true", "false", "nil", "null", "empty", "blank", "with", "as", "by", "limit", "offset", "reversed", "forloop", "tablerowloop", "when", "else",
        };

        public static List<TokenReference> Scan(string source)
        {
            var references = new List<TokenReference>();
            var locals = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match declaration in LocalDeclaration.Matches(source))
            {
                locals.Add(declaration.Groups[1].Value);
            }

            var masked = Verbatim.Replace(source, m => new string(' ', m.Length));
            foreach (Match markup in Markup.Matches(masked))
            {
                Group expression;
                if (markup.Groups["out"].Success)
                {
                    expression = markup.Groups["out"];
                }
                else
                {
                    var tag = markup.Groups["tag"].Value;
                    if (tag == "raw" || tag == "comment" || tag.StartsWith("end", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    expression = markup.Groups["args"];
                }

                ScanExpression(expression.Value, expression.Index, locals, references);
            }

            return references;
        }

        private static void ScanExpression(string expression, int baseOffset, HashSet<string> locals, List<TokenReference> references)
        {
            foreach (Match match in Identifier.Matches(expression))
            {
                var id = match.Groups["id"];
                if (!id.Success)
                {
                    continue;
                }

                var before = PreviousNonSpace(expression, match.Index);
                var after = NextNonSpace(expression, match.Index + match.Length);
                if (before == '|' || after == ':' || before == '.')
                {
                    continue;
                }

                var name = id.Value;
                if (Keywords.Contains(name) || locals.Contains(name) || char.IsDigit(name[0]))
                {
                    continue;
                }

                var member = match.Groups["member"].Success ? match.Groups["member"].Value : null;
                references.Add(new TokenReference(name, member, baseOffset + match.Index));
            }
        }

        private static char PreviousNonSpace(string text, int index)
        {
            for (var i = index - 1; i >= 0; i--)
            {
                if (!char.IsWhiteSpace(text[i]))
                {
                    return text[i];
                }
            }

            return '\0';
        }

        private static char NextNonSpace(string text, int index)
        {
            for (var i = index; i >= 0 && i < text.Length; i++)
            {
                if (!char.IsWhiteSpace(text[i]))
                {
                    return text[i];
                }
            }

            return '\0';
        }
    }
}
