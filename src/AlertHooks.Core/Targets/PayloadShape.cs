using System.Text.Json;

namespace AlertHooks.Targets
{
    /// <summary>
    /// Recognises a target from what a body template looks like, for a body tested without a URL: Block Kit
    /// <c>blocks</c> are Slack, <c>embeds</c> or <c>allowed_mentions</c> Discord, a <c>message</c> with attachments
    /// Teams, <c>routing_key</c>/<c>event_action</c> PagerDuty; anything else, or a body that is not JSON, Generic.
    /// </summary>
    public static class PayloadShape
    {
        public static TargetKind Guess(string body)
        {
            try
            {
                using (var document = JsonDocument.Parse(body))
                {
                    var root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object)
                    {
                        return TargetKind.Generic;
                    }

                    if (root.TryGetProperty("routing_key", out _) || root.TryGetProperty("event_action", out _))
                    {
                        return TargetKind.PagerDuty;
                    }

                    if (root.TryGetProperty("attachments", out _) && root.TryGetProperty("type", out var type)
                        && type.ValueKind == JsonValueKind.String && type.GetString() == "message")
                    {
                        return TargetKind.Teams;
                    }

                    if (root.TryGetProperty("embeds", out _) || root.TryGetProperty("allowed_mentions", out _))
                    {
                        return TargetKind.Discord;
                    }

                    return root.TryGetProperty("blocks", out _) ? TargetKind.Slack : TargetKind.Generic;
                }
            }
            catch (JsonException)
            {
                return TargetKind.Generic;
            }
        }
    }
}
