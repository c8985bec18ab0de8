namespace AlertHooks.Tests;

/// <summary>The two payloads of the platform's webhook page, pasted unchanged.</summary>
internal static class ReferenceBodies
{
    public const string Discord =
        """
        {
          "username": "Dagster Monitor",
          "avatar_url": "https://dagster.io/images/brand/logos/dagster-primary.png",
          "content": "**Alert Triggered**: {{alert_summary}}",
          "embeds": [
            {
              "title": "{{alert_summary}}",
              "url": "{{run_link}}",
              "description": "```\n{{alert_content}}\n```",
              "color": 15158332,
              "fields": [
                {"name": "Deployment", "value": "{{deployment_name}}", "inline": true},
                {"name": "Policy", "value": "{{alert_policy_name}}", "inline": true}
              ],
              "footer": {"text": "Dagster+ â€¢ {{deployment_url}}"},
              "timestamp": "{{start_time}}"
            }
          ]
        }
        """;

    public const string Slack =
        """
        {
          "text": "{{alert_summary}}",
          "blocks": [
            {
              "type": "header",
              "text": {
                "type": "plain_text",
                "text": "Dagster Alert: {{alert_policy_name}}",
                "emoji": true
              }
            },
            {
              "type": "section",
              "fields": [
                {
                  "type": "mrkdwn",
                  "text": "*Deployment:*\n{{deployment_name}}"
                },
                {
                  "type": "mrkdwn",
                  "text": "*Alert Policy:*\n{{alert_policy_name}}"
                }
              ]
            },
            {
              "type": "section",
              "text": {
                "type": "mrkdwn",
                "text": "*Error Summary:*\n{{alert_summary}}"
              }
            },
            {
              "type": "section",
              "text": {
                "type": "mrkdwn",
                "text": "*Details:*\n```{{alert_content}}```"
              }
            },
            {
              "type": "actions",
              "elements": [
                {
                  "type": "button",
                  "text": {
                    "type": "plain_text",
                    "text": "View in Dagster",
                    "emoji": true
                  },
                  "url": "{{deployment_url}}",
                  "style": "danger"
                }
              ]
            }
          ]
        }
        """;
}
