using System;

namespace AlertHooks
{
    /// <summary>A token name that is not in the catalog: almost always a typo.</summary>
    public sealed class UnknownTokenException : ArgumentException
    {
        public UnknownTokenException(string token)
            : base($"'{token}' is not a known token. Run Get-AlertToken to list the tokens.")
        {
            Token = token;
        }

        public string Token { get; }
    }

    /// <summary>A catalog token given for an event type that does not provide it.</summary>
    public sealed class TokenNotAvailableException : ArgumentException
    {
        public TokenNotAvailableException(string token, AlertEventType eventType)
            : base($"Token '{token}' is not available for {eventType} events. Run Get-AlertToken -EventType {eventType} to list the tokens it provides.")
        {
            Token = token;
            EventType = eventType;
        }

        public string Token { get; }
        public AlertEventType EventType { get; }
    }
}
