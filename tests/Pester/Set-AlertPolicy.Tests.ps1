BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $script:savedHome = $env:ALERTHOOKS_HOME
    $body = '{"text":"{{alert_summary}}"}'
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Set-AlertPolicy' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
        $original = New-AlertPolicy -Name 'ops' -EventType JobFailure -Url 'https://alerts.example.com/a' -Body $body -Header @{ 'X-Api-Key' = 'k-123456' } -Description 'first' |
            Register-AlertPolicy
    }

    It 'changes only the fields it is given and keeps the id' {
        $changed = Set-AlertPolicy -Name 'ops' -Description 'second' -Disabled -Match @{ job_name = 'daily_*' } -PassThru

        $changed.Id | Should -Be $original.Id
        $stored = Get-AlertPolicy ops
        $stored.Description | Should -Be 'second'
        $stored.Enabled | Should -BeFalse
        $stored.Match['job_name'] | Should -Be 'daily_*'
        $stored.Endpoint | Should -Be 'https://alerts.example.com/a'
        $stored.Body | Should -Be $body
        $stored.Headers.Keys | Should -Be @('X-Api-Key')
        $stored.Created | Should -Be $original.Created
    }

    It 'takes policies from the pipeline, in-memory edits included' {
        $policy = Get-AlertPolicy ops
        $policy.EventTypes = [AlertHooks.AlertEventType[]]@('JobFailure', 'JobSuccess')
        $policy | Set-AlertPolicy -Enabled -Body '{"text":"{{alert_summary}} {{run_link}}"}'

        $stored = Get-AlertPolicy ops
        $stored.EventTypes | Should -Be @('JobFailure', 'JobSuccess')
        $stored.Body | Should -Match 'run_link'
    }

    It 'validates the result again and leaves the store alone when it is invalid' {
        Set-AlertPolicy -Name 'ops' -EventType AgentDowntime -Match @{ job_name = 'x' } -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidMatchKey,AlertHooks.Commands.SetAlertPolicyCommand'
        $errors[0].Exception.Message | Should -Match "job_name"
        (Get-AlertPolicy ops).EventTypes | Should -Be @('JobFailure')

        Set-AlertPolicy -Name 'ops' -Url 'http://alerts.example.com/insecure' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'InsecureUrl,AlertHooks.Commands.SetAlertPolicyCommand'
    }

    It 'changes nothing with -WhatIf and refuses -Enabled with -Disabled' {
        Set-AlertPolicy -Name 'ops' -Description 'never' -WhatIf
        (Get-AlertPolicy ops).Description | Should -Be 'first'
        { Set-AlertPolicy -Name 'ops' -Enabled -Disabled } | Should -Throw -ErrorId 'EnabledAndDisabled,AlertHooks.Commands.SetAlertPolicyCommand'
    }

    It 'writes PolicyNotFound for a policy that is not registered' {
        $loose = New-AlertPolicy -Name 'loose' -EventType JobFailure -Url 'https://alerts.example.com/a' -Body $body
        $loose | Set-AlertPolicy -Description 'x' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'PolicyNotFound,AlertHooks.Commands.SetAlertPolicyCommand'
    }
}
