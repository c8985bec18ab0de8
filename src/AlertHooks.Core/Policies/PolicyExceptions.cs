using System;

namespace AlertHooks
{
    /// <summary>A policy that breaks a rule of its own (name, id, match, signing secret); the field is named.</summary>
    public sealed class PolicyValidationException : ArgumentException
    {
        public PolicyValidationException(string code, string message, string field)
            : base(message)
        {
            Code = code;
            Field = field;
        }

        /// <summary>Stable error id, such as <c>InvalidMatchKey</c>.</summary>
        public string Code { get; }

        public string Field { get; }
    }

    /// <summary>A policy file that cannot be read or does not hold a valid policy. The message names the file.</summary>
    public sealed class PolicyFileException : Exception
    {
        public PolicyFileException(string path, string problem, string code = "PolicyFileInvalid", Exception? inner = null)
            : base($"Policy file '{path}': {problem}", inner)
        {
            Path = path;
            Code = code;
        }

        public string Path { get; }

        public string Code { get; }
    }

    /// <summary>A store change that would give two policies the same name or the same id.</summary>
    public sealed class PolicyConflictException : InvalidOperationException
    {
        public PolicyConflictException(string code, string message, string name)
            : base(message)
        {
            Code = code;
            PolicyName = name;
        }

        /// <summary><c>PolicyExists</c>, <c>PolicyIdInUse</c> or <c>PolicyNotFound</c>.</summary>
        public string Code { get; }

        public string PolicyName { get; }
    }
}
