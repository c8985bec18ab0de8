BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
}

Describe 'New-AlertPolicy' {
    It 'creates a policy with a stable id and a redacted endpoint' {
        $policy = New-AlertPolicy -Name 'ops' -EventType JobFailure -Url 'https://hooks.slack.com/services/T0/B0/SECRETXYZ' -Body '{"text":"{{alert_summary}}"}'

        $policy | Should -BeOfType 'AlertHooks.AlertPolicy'
        $policy.Id | Should -Match '^[0-9a-f-]{36}$'
        $policy.Target | Should -Be 'Slack'
        $policy.Endpoint | Should -Be 'https://hooks.slack.com/services/***'
        ($policy | Format-List * | Out-String) | Should -Not -Match 'SECRETXYZ'
    }

    It 'refuses a template with a typo, naming the token and its position' {
        $err = { New-AlertPolicy -Name 'typo' -EventType JobFailure -Url 'https://example.com/h' -Body "{`n `"text`": `"{{job_nme}}`"}" } |
            Should -Throw -ErrorId 'UnknownToken,AlertHooks.Commands.NewAlertPolicyCommand' -PassThru
        $err.Exception.Message | Should -Match "job_nme"
        $err.Exception.Message | Should -Match 'line 2, column 13'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'warns about a token the event type does not provide' {
        $null = New-AlertPolicy -Name 'warn' -EventType AgentDowntime -Url 'https://example.com/h' -Body '{"text":"{{job_name}}"}' -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Match 'job_name'
    }
}

Describe 'New-AlertPolicy -Match and -SigningSecret' {
    It 'keeps -Match patterns on tokens every event type provides' {
        $policy = New-AlertPolicy -Name 'm' -EventType JobFailure, JobSuccess -Url 'https://alerts.example.com/h' -Body '{"t":"x"}' -Match @{ job_name = 'daily_*'; deployment_name = 'prod' }
        $policy.Match['job_name'] | Should -Be 'daily_*'
        $policy.Match['deployment_name'] | Should -Be 'prod'
    }

    It 'refuses a -Match key that one of the event types lacks, naming the key' {
        $err = { New-AlertPolicy -Name 'm' -EventType JobFailure, AgentDowntime -Url 'https://alerts.example.com/h' -Body '{"t":"x"}' -Match @{ job_name = 'daily_*' } } |
            Should -Throw -ErrorId 'InvalidMatchKey,AlertHooks.Commands.NewAlertPolicyCommand' -PassThru
        $err.Exception.Message | Should -Match "'job_name'"
        $err.Exception.Message | Should -Match 'AgentDowntime'
        { New-AlertPolicy -Name 'm' -EventType JobFailure -Url 'https://alerts.example.com/h' -Body '{"t":"x"}' -Match @{ job_nam = '*' } } |
            Should -Throw -ErrorId 'InvalidMatchKey,AlertHooks.Commands.NewAlertPolicyCommand'
    }

    It 'takes a signing secret or an env reference, and never shows it' {
        $secret = 'whsec_' + [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes('sentinel-32-bytes-signing-key!!!'))
        $policy = New-AlertPolicy -Name 's' -EventType JobFailure -Url 'https://alerts.example.com/h' -Body '{"t":"x"}' -SigningSecret $secret
        $policy.IsSigned | Should -BeTrue
        ($policy | Format-List * | Out-String) | Should -Not -Match 'whsec_'
        (New-AlertPolicy -Name 's' -EventType JobFailure -Url 'https://alerts.example.com/h' -Body '{"t":"x"}' -SigningSecret '{{ env.OPS_SIGNING }}').IsSigned | Should -BeTrue
        $err = { New-AlertPolicy -Name 's' -EventType JobFailure -Url 'https://alerts.example.com/h' -Body '{"t":"x"}' -SigningSecret 'sentinel-plain' } |
            Should -Throw -ErrorId 'InvalidSigningSecret,AlertHooks.Commands.NewAlertPolicyCommand' -PassThru
        $err.Exception.Message | Should -Not -Match 'sentinel'
    }
}
