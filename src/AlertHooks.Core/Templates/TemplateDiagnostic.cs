namespace AlertHooks
{
    public enum DiagnosticSeverity
    {
        Warning,
        Error,
    }

    /// <summary>One finding about a template or a rendered payload, with where it is.</summary>
    public sealed class TemplateDiagnostic
    {
        public TemplateDiagnostic(DiagnosticSeverity severity, string code, string message, int line = 0, int column = 0, string? path = null, string? token = null)
        {
            Severity = severity;
            Code = code;
            Message = message;
            Line = line;
            Column = column;
            Path = path;
            Token = token;
        }

        public DiagnosticSeverity Severity { get; }

        /// <summary>A stable identifier such as <c>UnknownToken</c> or <c>Slack.HeaderTooLong</c>.</summary>
        public string Code { get; }

        public string Message { get; }

        /// <summary>1-based line in the template, 0 when the finding is about the rendered payload.</summary>
        public int Line { get; }

        public int Column { get; }

        /// <summary>JSON path in the rendered payload, such as <c>$.blocks[0].text.text</c>.</summary>
        public string? Path { get; }

        public string? Token { get; }

        public string Location => Line > 0 ? $"{Line}:{Column}" : Path ?? string.Empty;

        public override string ToString() =>
            Location.Length == 0 ? $"{Code}: {Message}" : $"{Code} at {Location}: {Message}";
    }

    /// <summary>Well-known diagnostic codes.</summary>
    public static class DiagnosticCodes
    {
        public const string UnknownToken = "UnknownToken";
        public const string TokenNotAvailable = "TokenNotAvailable";
        public const string LiquidSyntax = "LiquidSyntax";
        public const string InvalidJson = "InvalidJson";
        public const string MissingEnvironmentVariable = "MissingEnvironmentVariable";
        public const string RenderFailed = "RenderFailed";
    }
}
