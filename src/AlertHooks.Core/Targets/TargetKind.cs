using System;

namespace AlertHooks
{
    /// <summary>The services AlertHooks knows the limits, rate rules and error shapes of.</summary>
    public enum TargetKind
    {
        Generic,
        Slack,
        Discord,
        Teams,
        PagerDuty,
    }
}

namespace AlertHooks.Targets
{
    public static class TargetDetector
    {
        /// <summary>Recognises a target from its webhook URL; anything unknown is Generic.</summary>
        public static TargetKind Detect(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return TargetKind.Generic;
            }

            var host = uri.Host.ToLowerInvariant();
            var path = uri.AbsolutePath.ToLowerInvariant();
            if (host == "hooks.slack.com" || host.EndsWith(".hooks.slack.com", StringComparison.Ordinal))
            {
                return TargetKind.Slack;
            }

            if ((host == "discord.com" || host == "discordapp.com" || host.EndsWith(".discord.com", StringComparison.Ordinal) || host == "canary.discord.com" || host == "ptb.discord.com")
                && path.Contains("/api/webhooks/"))
            {
                return TargetKind.Discord;
            }

            if (host.EndsWith(".logic.azure.com", StringComparison.Ordinal)
                || host.EndsWith(".powerautomate.com", StringComparison.Ordinal)
                || host.EndsWith(".powerplatform.com", StringComparison.Ordinal)
                || host.EndsWith(".webhook.office.com", StringComparison.Ordinal))
            {
                return TargetKind.Teams;
            }

            if (host == "events.pagerduty.com" || host == "events.eu.pagerduty.com")
            {
                return TargetKind.PagerDuty;
            }

            return TargetKind.Generic;
        }
    }
}
