using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AlertHooks.Policies;

namespace AlertHooks.Completers
{
    /// <summary>Completes the names of registered policies; a store that cannot be read completes nothing.</summary>
    public sealed class PolicyNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            IReadOnlyList<AlertPolicy> policies;
            try
            {
                policies = PolicyStore.Open().Load().Policies;
            }
            catch (Exception)
            {
                // Completion must never throw at the user's prompt.
                return Array.Empty<CompletionResult>();
            }

            return policies
                .Where(p => p.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(p => new CompletionResult(Quote(p.Name), p.Name, CompletionResultType.ParameterValue,
                    $"{p.Name}: {string.Join(", ", p.EventTypes)} → {p.Target} {p.Endpoint}"));
        }

        private static string Quote(string name) =>
            name.Any(c => char.IsWhiteSpace(c) || "'\"`$&@(){};,|<>#".IndexOf(c) >= 0) ? "'" + name.Replace("'", "''") + "'" : name;
    }
}
