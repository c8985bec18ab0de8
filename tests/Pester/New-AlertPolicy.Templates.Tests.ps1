BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
}

Describe 'New-AlertPolicy body sources and template checks' {
    It 'takes a preset, records it, and keeps the target the URL names' {
        $policy = New-AlertPolicy -Name 'slack' -EventType JobFailure, AgentDowntime -Url 'https://hooks.slack.com/services/T0/B0/SECRETXYZ' -Preset slack

        $policy.Preset | Should -Be 'Slack'
        $policy.Target | Should -Be 'Slack'
        $policy.Body | Should -Be (Get-AlertPreset Slack).Body
    }

    It 'takes the preset''s target when the URL is not a known service' {
        $policy = New-AlertPolicy -Name 'teams' -EventType JobFailure -Url '{{ env.TEAMS_WORKFLOW_URL }}' -Preset Teams
        $policy.Target | Should -Be 'Teams'
    }

    It 'refuses a preset written for another target than the URL' {
        $err = { New-AlertPolicy -Name 'mix' -EventType JobFailure -Url 'https://discord.com/api/webhooks/1/SECRET' -Preset Slack -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'Discord.EmptyMessage,AlertHooks.Commands.NewAlertPolicyCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Not -Match 'SECRET'
    }

    It 'refuses an unknown preset, naming it' {
        $err = { New-AlertPolicy -Name 'x' -EventType JobFailure -Url 'https://example.com/h' -Preset Mattermost } |
            Should -Throw -ErrorId 'PresetNotFound,AlertHooks.Commands.NewAlertPolicyCommand' -PassThru
        $err.Exception.Message | Should -Match 'Mattermost'
    }

    It 'reads the body from a file' {
        $path = Join-Path $TestDrive 'body.json'
        Set-Content -Path $path -Value '{"text":"{{alert_summary}} ✅"}' -Encoding utf8NoBOM
        $policy = New-AlertPolicy -Name 'file' -EventType JobFailure -Url 'https://example.com/h' -BodyPath $path
        $policy.Body.Trim() | Should -Be '{"text":"{{alert_summary}} ✅"}'
        $policy.Preset | Should -BeNullOrEmpty
    }

    It 'refuses a body file that does not exist' {
        { New-AlertPolicy -Name 'file' -EventType JobFailure -Url 'https://example.com/h' -BodyPath (Join-Path $TestDrive 'nope.json') } |
            Should -Throw -ErrorId 'BodyFileNotFound,AlertHooks.Commands.NewAlertPolicyCommand'
    }

    It 'refuses a body the target would refuse, naming the JSON path' {
        $body = '{"embeds":[{"title":"{{alert_summary}}","timestamp":"{{start_time}}"}]}'
        $err = { New-AlertPolicy -Name 'discord' -EventType JobFailure -Url 'https://discord.com/api/webhooks/1/SECRET' -Body $body -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'Discord.InvalidTimestamp,AlertHooks.Commands.NewAlertPolicyCommand' -PassThru
        $err.Exception.Message | Should -Match ([regex]::Escape('$.embeds[0].timestamp'))
        $err.Exception.Message | Should -Match 'date'
    }

    It 'warns once about an environment variable that is not set, and creates the policy' {
        $policy = New-AlertPolicy -Name 'pd' -EventType JobFailure, JobSuccess -Url 'https://events.pagerduty.com/v2/enqueue' -Preset PagerDuty -WarningVariable warnings -WarningAction SilentlyContinue
        $policy.Target | Should -Be 'PagerDuty'
        @($warnings | Where-Object { "$_" -match 'PAGERDUTY_ROUTING_KEY' }).Count | Should -Be 1
    }

    It 'gives a Generic preset the tokens of all its event types, without a warning per gap' {
        $policy = New-AlertPolicy -Name 'generic' -EventType JobFailure, AgentDowntime -Url 'https://example.com/h' -Preset Generic -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        $keys = ($policy.Body | ConvertFrom-Json).PSObject.Properties.Name
        $keys | Should -Contain 'job_name'
        $keys | Should -Contain 'agent_url'
        $keys | Should -Not -Contain 'asset_key'
        $policy.Target | Should -Be 'Generic'
    }
}
