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
