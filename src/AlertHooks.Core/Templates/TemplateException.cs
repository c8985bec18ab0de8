using System;
using System.Collections.Generic;
using System.Linq;

namespace AlertHooks
{
    /// <summary>A template that cannot be parsed or rendered; the diagnostics say where and why.</summary>
    public sealed class TemplateException : Exception
    {
        public TemplateException(IReadOnlyList<TemplateDiagnostic> diagnostics)
            : base(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
        {
            Diagnostics = diagnostics;
        }

        public TemplateException(TemplateDiagnostic diagnostic)
            : this(new[] { diagnostic })
        {
        }

        public IReadOnlyList<TemplateDiagnostic> Diagnostics { get; }

        /// <summary>The code of the first error, used as the PowerShell error id.</summary>
        public string Code => Diagnostics.Count > 0 ? Diagnostics[0].Code : DiagnosticCodes.RenderFailed;
    }
}
