using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AlertHooks.Targets
{
    /// <summary>
    /// The built-in bodies. Each one uses only tokens every event type provides (Generic: exactly the tokens of
    /// its event types), and truncates every token where its target has a limit, so that it renders to a payload
    /// its target's validator accepts for any event, even with very long token values.
    /// </summary>
    public static class Presets
    {
        private static readonly AlertEventType[] AllTypes = (AlertEventType[])Enum.GetValues(typeof(AlertEventType));

        // Field budgets: see the limits in SlackValidator. A 3-character ellipsis is part of each truncate length.
        public const string SlackBody =
            """
            {
              "text": "{{ alert_summary | default: notification_type | slack_escape | truncate: 3000 }}",
              "blocks": [
                {
                  "type": "header",
                  "text": {"type": "plain_text", "text": "{{ alert_summary | default: notification_type | truncate: 150 }}", "emoji": true}
                },
                {
                  "type": "section",
                  "fields": [
                    {"type": "mrkdwn", "text": "*Deployment:*\n{{ deployment_name | default: '-' | slack_escape | truncate: 1900 }}"},
                    {"type": "mrkdwn", "text": "*Alert Policy:*\n{{ alert_policy_name | slack_escape | truncate: 1900 }}"}
                  ]
                },
                {
                  "type": "section",
                  "text": {"type": "mrkdwn", "text": "*Details:*\n```{{ alert_content | default: alert_summary | slack_escape | truncate: 2980 }}```"}
                },
                {
                  "type": "context",
                  "elements": [{"type": "mrkdwn", "text": "{{ notification_type }} alert{% if is_sample == 'true' %} (sample){% endif %}"}]
                },
                {
                  "type": "actions",
                  "elements": [
                    {
                      "type": "button",
                      "text": {"type": "plain_text", "text": "View in Dagster", "emoji": true},
                      "url": "{{ deployment_url | default: 'https://dagster.cloud' | truncate: 3000, '' }}",
                      "style": "danger"
                    }
                  ]
                }
              ]
            }
            """;

        // The 6000-character total of all embeds: title 256 + description 3000 + fields 1034 + 1030 + 25 + footer 510 = 5855.
        // The timestamp is the moment of the event ("now" renders it), in the ISO 8601 form Discord requires.
        public const string DiscordBody =
            """
            {
              "username": "Dagster+",
              "content": "**{{ notification_type }}**: {{ alert_summary | truncate: 1900 }}",
              "allowed_mentions": {"parse": []},
              "embeds": [
                {
                  "title": "{{ alert_summary | default: notification_type | truncate: 256 }}",
                  "description": "{{ alert_content | default: alert_summary | truncate: 3000 }}",
                  "color": 15158332,
                  "fields": [
                    {"name": "Deployment", "value": "{{ deployment_name | default: '-' | truncate: 1024 }}", "inline": true},
                    {"name": "Policy", "value": "{{ alert_policy_name | default: '-' | truncate: 1024 }}", "inline": true},
                    {"name": "Type", "value": "{{ notification_type }}", "inline": true}
                  ],
                  "footer": {"text": "Dagster+ • {{ deployment_url | default: '-' | truncate: 500 }}"},
                  "timestamp": "{{ 'now' | date: '%Y-%m-%dT%H:%M:%SZ' }}"
                }
              ]
            }
            """;

        // 28 KB in UTF-8: a control character escapes to 6 bytes, so the truncated tokens (about 4,000 characters) stay
        // under 24 KB even at worst, with the envelope around them.
        public const string TeamsBody =
            """
            {
              "type": "message",
              "attachments": [
                {
                  "contentType": "application/vnd.microsoft.card.adaptive",
                  "contentUrl": null,
                  "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "msteams": {"width": "Full"},
                    "body": [
                      {"type": "TextBlock", "text": "{{ alert_summary | default: notification_type | truncate: 150 }}", "size": "Medium", "weight": "Bolder", "style": "heading", "wrap": true},
                      {"type": "TextBlock", "text": "{{ alert_content | truncate: 3000 }}", "wrap": true},
                      {
                        "type": "FactSet",
                        "facts": [
                          {"title": "Deployment", "value": "{{ deployment_name | default: '-' | truncate: 150 }}"},
                          {"title": "Alert policy", "value": "{{ alert_policy_name | truncate: 150 }}"},
                          {"title": "Type", "value": "{{ notification_type }}"}
                        ]
                      }
                    ],
                    "actions": [
                      {"type": "Action.OpenUrl", "title": "View in Dagster", "url": "{{ deployment_url | default: 'https://dagster.cloud' | truncate: 500, '' }}"}
                    ]
                  }
                }
              ]
            }
            """;

        // dedup_key: the policy and a hash of the summary, so a repeat of the same problem ("Job daily_etl failed")
        // joins the open incident instead of paging again, and the key stays short whatever the tokens hold.
        public const string PagerDutyBody =
            """
            {
              "routing_key": "{{ env.PAGERDUTY_ROUTING_KEY }}",
              "event_action": "trigger",
              "dedup_key": "dagster:{{ alert_policy_id | truncate: 100, '' }}:{{ alert_summary | sha256 }}",
              "client": "Dagster+",
              "client_url": "{{ deployment_url }}",
              "payload": {
                "summary": "{{ alert_summary | default: notification_type | truncate: 1024 }}",
                "source": "{{ deployment_name | default: 'dagster' | truncate: 255 }}",
                "severity": "{% case notification_type %}{% when 'AGENT', 'CODE_LOCATION' %}critical{% when 'ASSET_FRESHNESS', 'TABLE_SCHEMA', 'INSIGHTS' %}warning{% else %}error{% endcase %}",
                "component": "{{ notification_type }}",
                "group": "{{ alert_policy_name | truncate: 255 }}",
                "class": "{{ notification_type }}",
                "custom_details": {
                  "alert_content": "{{ alert_content | truncate: 8000 }}",
                  "alert_policy_name": "{{ alert_policy_name }}",
                  "alert_policy_id": "{{ alert_policy_id }}",
                  "deployment_url": "{{ deployment_url }}",
                  "is_sample": "{{ is_sample }}"
                }
              }
            }
            """;

        private static readonly AlertPreset[] Builtin =
        {
            new AlertPreset("Slack", TargetKind.Slack, SlackBody,
                "Block Kit message with a top-level text for notifications, the summary as header, details and a button to the deployment.", AllTypes),
            new AlertPreset("Discord", TargetKind.Discord, DiscordBody,
                "Embed with summary, details and fields, an ISO 8601 timestamp, and allowed_mentions so that no token pings anyone.", AllTypes),
            new AlertPreset("Teams", TargetKind.Teams, TeamsBody,
                "Adaptive Card in the Workflows webhook envelope, kept under 28 KB.", AllTypes),
            new AlertPreset("PagerDuty", TargetKind.PagerDuty, PagerDutyBody,
                "Events API v2 trigger; routing_key from $env:PAGERDUTY_ROUTING_KEY, a stable dedup_key per policy and summary.", AllTypes),
            new AlertPreset("Generic", TargetKind.Generic, GenericBody(AllTypes),
                "Flat JSON object with every token the event types provide (times in ISO 8601); Get-AlertPreset Generic -EventType X for one type.", AllTypes),
        };

        public static IReadOnlyList<AlertPreset> All => Builtin;

        public static bool TryGet(string name, out AlertPreset preset)
        {
            preset = Builtin.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))!;
            return preset != null;
        }

        /// <summary>A flat JSON object with one key per token the event types provide, in the catalog's order.</summary>
        public static string GenericBody(IEnumerable<AlertEventType> eventTypes)
        {
            var types = new HashSet<AlertEventType>(eventTypes);
            var builder = new StringBuilder("{\n");
            var first = true;
            foreach (var token in TokenCatalog.All.Where(t => t.IsGlobal || t.EventTypes.Any(types.Contains)))
            {
                if (!first)
                {
                    builder.Append(",\n");
                }

                first = false;
                var expression = TokenCatalog.TimeTokens.Contains(token.Name) ? token.Name + " | iso8601" : token.Name;
                builder.Append("  \"").Append(token.Name).Append("\": \"{{ ").Append(expression).Append(" }}\"");
            }

            return builder.Append("\n}").ToString();
        }
    }
}
