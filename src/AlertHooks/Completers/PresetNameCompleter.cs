using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AlertHooks.Targets;

namespace AlertHooks.Completers
{
    /// <summary>Completes the names of the built-in presets.</summary>
    public sealed class PresetNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var matches = CompletionPattern.For(wordToComplete);
            return Presets.All
                .Where(p => matches(p.Name))
                .Select(p => new CompletionResult(p.Name, p.Name, CompletionResultType.ParameterValue, p.Description));
        }
    }
}
