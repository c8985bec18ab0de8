BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force

    # The two payloads of the platform's webhook page, pasted unchanged.
    $script:DiscordReference = @'
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
'@

    $script:SlackReference = @'
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
'@
}

Describe 'Test-AlertTemplate' {
    Context 'the platform''s reference payloads' {
        It 'renders both to valid JSON for a JobFailure event' {
            $discord = Test-AlertTemplate -Body $DiscordReference -EventType JobFailure -Target Generic
            $slack = Test-AlertTemplate -Body $SlackReference -EventType JobFailure -Target Generic

            foreach ($result in $discord, $slack) {
                $result | Should -BeOfType 'AlertHooks.TemplateTestResult'
                $result.IsValid | Should -BeTrue
                $result.Target | Should -Be 'Generic'
                $result.EventType | Should -Be 'JobFailure'
                $result.UnknownTokens | Should -BeNullOrEmpty
            }
            $d = $discord.RenderedBody | ConvertFrom-Json
            $d.PSObject.Properties.Name | Should -Be @('username', 'avatar_url', 'content', 'embeds')
            $d.embeds[0].title | Should -Be 'Job daily_etl failed'
            $d.embeds[0].footer.text | Should -Be 'Dagster+ â€¢ https://example.dagster.cloud/prod'
            $s = $slack.RenderedBody | ConvertFrom-Json
            $s.PSObject.Properties.Name | Should -Be @('text', 'blocks')
            $s.blocks[3].text.text | Should -BeLike '*Details:*Step ''load_data'' failed*'
        }

        It 'accepts the Slack payload for Slack' {
            $result = Test-AlertTemplate -Body $SlackReference -EventType JobFailure -Target Slack
            $result.IsValid | Should -BeTrue
            $result.Errors | Should -BeNullOrEmpty
            ($result.RenderedBody | ConvertFrom-Json).text | Should -Be 'Job daily_etl failed'
        }

        It 'flags the Discord timestamp, with its path, and suggests the date filter' {
            $result = Test-AlertTemplate -Body $DiscordReference -EventType JobFailure -Target Discord

            $result.IsValid | Should -BeFalse
            $result.Errors.Count | Should -Be 1
            $result.Errors[0].Code | Should -Be 'Discord.InvalidTimestamp'
            $result.Errors[0].Path | Should -Be '$.embeds[0].timestamp'
            $result.Errors[0].Message | Should -Match 'Jan 8, 2026 10:00 AM'
            $result.Errors[0].Message | Should -Match ([regex]::Escape("{{ start_time | date: '%Y-%m-%dT%H:%M:%SZ' }}"))
            ($result.RenderedBody | ConvertFrom-Json).embeds[0].timestamp | Should -Be 'Jan 8, 2026 10:00 AM'
        }

        It 'recognises Discord from the body''s shape and flags the timestamp without -Target' {
            $result = Test-AlertTemplate -Body $DiscordReference -EventType JobFailure
            $result.Target | Should -Be 'Discord'
            $result.Errors.Code | Should -Be 'Discord.InvalidTimestamp'
            $result.Errors[0].Message | Should -Match ([regex]::Escape('The template writes "{{start_time}}" there (line 16, column 21)'))
            (Test-AlertTemplate -Body $SlackReference -EventType JobFailure).Target | Should -Be 'Slack'
        }

        It 'passes once the suggested filter is applied' {
            $fixed = $DiscordReference.Replace('{{start_time}}', "{{ start_time | date: '%Y-%m-%dT%H:%M:%SZ' }}")
            $result = Test-AlertTemplate -Body $fixed -EventType JobFailure -Target Discord
            $result.IsValid | Should -BeTrue
            ($result.RenderedBody | ConvertFrom-Json -DateKind String).embeds[0].timestamp | Should -Be '2026-01-08T10:00:00Z'
        }
    }

    Context 'policies' {
        It 'tests a sample of each of the policy''s event types, one result each, from the pipeline' {
            $policy = New-AlertPolicy -Name 'slack-ops' -EventType JobFailure, AssetHealth, AgentDowntime -Url 'https://hooks.slack.com/services/T0/B0/SECRETXYZ' -Preset Slack

            $results = @($policy | Test-AlertTemplate)

            $results.Count | Should -Be 3
            $results.EventType | Should -Be @('JobFailure', 'AssetHealth', 'AgentDowntime')
            $results | ForEach-Object { $_.IsValid | Should -BeTrue; $_.Target | Should -Be 'Slack'; $_.PolicyName | Should -Be 'slack-ops' }
            ($results | Out-String) | Should -Not -Match 'SECRETXYZ'
        }

        It 'renders a given event instead of samples' {
            $policy = New-AlertPolicy -Name 'ops' -EventType JobFailure -Url 'https://example.com/h' -Body '{"text":"{{alert_summary}}: {{failure_message}}"}'
            $event = New-AlertEvent JobFailure -JobName nightly -FailureMessage 'quote " and
newline'

            $result = Test-AlertTemplate -Policy $policy -Event $event

            ($result.RenderedBody | ConvertFrom-Json).text | Should -Be "Job nightly failed: quote `" and`nnewline"
        }

        It 'takes events from the pipeline, one result each' {
            $policy = New-AlertPolicy -Name 'ops' -EventType JobFailure -Url 'https://example.com/h' -Body '{"text":"{{alert_summary}}"}'
            $results = @('a', 'b' | ForEach-Object { New-AlertEvent JobFailure -JobName $_ } | Test-AlertTemplate -Policy $policy)
            $results.Count | Should -Be 2
            ($results.RenderedBody | ConvertFrom-Json).text | Should -Be @('Job a failed', 'Job b failed')

            $bodyResult = New-AlertEvent AgentDowntime | Test-AlertTemplate -Body '{"text":"{{alert_summary}}"}'
            $bodyResult.EventType | Should -Be 'AgentDowntime'
        }

        It 'takes the name of a registered policy' {
            $savedHome = $env:ALERTHOOKS_HOME
            $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
            try {
                New-AlertPolicy -Name 'stored-discord' -EventType AgentDowntime -Url '{{ env.DISCORD_URL }}' -Preset Discord -WarningAction SilentlyContinue |
                    Register-AlertPolicy | Out-Null

                $result = Test-AlertTemplate 'stored-*'

                $result.PolicyName | Should -Be 'stored-discord'
                $result.Target | Should -Be 'Discord'
                $result.IsValid | Should -BeTrue
            }
            finally {
                $env:ALERTHOOKS_HOME = $savedHome
            }
        }

        It 'validates for another target with -Target' {
            $policy = New-AlertPolicy -Name 'ops' -EventType JobFailure -Url 'https://example.com/h' -Body '{"text":"{{alert_summary}}"}'
            $result = Test-AlertTemplate -Policy $policy -Target Teams
            $result.IsValid | Should -BeFalse
            $result.Errors.Code | Should -Contain 'Teams.NotAMessage'
        }
    }

    Context 'diagnostics' {
        It 'reports unknown tokens with line and column' {
            $result = Test-AlertTemplate -Body "{`n  `"text`": `"{{job_nme}}`"`n}" -EventType JobFailure
            $result.IsValid | Should -BeFalse
            $result.UnknownTokens | Should -Be 'job_nme'
            $result.Errors[0].Location | Should -Be '2:14'
            $result.Errors[0].Message | Should -Match "Did you mean 'job_name'"
            $result.RenderedBody | Should -BeNullOrEmpty
        }

        It 'warns about tokens the event type does not provide' {
            $result = Test-AlertTemplate -Body '{"text":"{{run_link}}"}' -EventType AgentDowntime
            $result.IsValid | Should -BeTrue
            $result.UnavailableTokens | Should -Be 'run_link'
            $result.Warnings.Code | Should -Contain 'TokenNotAvailable'
        }

        It 'needs no environment variable: placeholders render, missing ones are warnings, values never show' {
            $env:ALERTHOOKS_TEST_SET = 'super-secret-value'
            try {
                $body = '{"key":"{{ env.ALERTHOOKS_TEST_MISSING }}","x":"{{ env.ALERTHOOKS_TEST_SET }}"}'
                $result = Test-AlertTemplate -Body $body -EventType JobFailure
                $result.IsValid | Should -BeTrue
                $result.Warnings.Code | Should -Be 'MissingEnvironmentVariable'
                $result.Warnings.Token | Should -Be 'ALERTHOOKS_TEST_MISSING'
                $result.RenderedBody | Should -Not -Match 'super-secret-value'
                ($result | Format-List * | Out-String) | Should -Not -Match 'super-secret-value'
            }
            finally {
                Remove-Item Env:ALERTHOOKS_TEST_SET
            }
        }

        It 'needs -EventType or -Event with -Body' {
            { Test-AlertTemplate -Body '{"text":"x"}' } | Should -Throw -ErrorId 'EventTypeRequired,AlertHooks.Commands.TestAlertTemplateCommand'
        }

        It 'shows a table that fits 120 columns' {
            $lines = Test-AlertTemplate -Body $DiscordReference -EventType JobFailure, AgentDowntime -Target Discord | Out-String -Width 120 -Stream
            $lines | Where-Object { $_ } | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
            ($lines -join "`n") | Should -Match 'Discord.InvalidTimestamp'
        }
    }
}
