BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $script:savedHome = $env:ALERTHOOKS_HOME
    $env:ALERTHOOKS_HOME = Join-Path $TestDrive 'home'
    $body = '{"text":"{{alert_summary}}"}'
    New-AlertPolicy -Name 'ops-slack' -EventType JobFailure -Url 'https://alerts.example.com/1' -Body $body | Register-AlertPolicy | Out-Null
    New-AlertPolicy -Name 'ops-pagerduty' -EventType JobFailure, AgentDowntime -Url 'https://alerts.example.com/2' -Body $body | Register-AlertPolicy | Out-Null
    New-AlertPolicy -Name 'data-team' -EventType AssetCheckFailure -Url 'https://alerts.example.com/3' -Body $body | Register-AlertPolicy | Out-Null
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Get-AlertPolicy' {
    It 'lists every registered policy sorted by name' {
        (Get-AlertPolicy).Name | Should -Be @('data-team', 'ops-pagerduty', 'ops-slack')
    }

    It 'takes wildcards in -Name' {
        (Get-AlertPolicy -Name 'OPS-*').Name | Should -Be @('ops-pagerduty', 'ops-slack')
        (Get-AlertPolicy -Name '*team', 'ops-s*').Name | Should -Be @('data-team', 'ops-slack')
        Get-AlertPolicy -Name 'nothing*' -ErrorVariable errors | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
    }

    It 'writes PolicyNotFound for a plain name that is not registered' {
        Get-AlertPolicy -Name 'ghost' -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'PolicyNotFound,AlertHooks.Commands.GetAlertPolicyCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'finds by -Id and filters by -EventType' {
        $id = (Get-AlertPolicy -Name 'data-team').Id
        (Get-AlertPolicy -Id $id).Name | Should -Be 'data-team'
        (Get-AlertPolicy -EventType AgentDowntime).Name | Should -Be 'ops-pagerduty'
        (Get-AlertPolicy -Name 'ops-*' -EventType JobFailure).Count | Should -Be 2
    }

    It 'reports a hand-broken file by name and still returns every other policy' {
        $broken = Join-Path $env:ALERTHOOKS_HOME 'policies/0b5e1d1e-0000-4000-8000-00000000000b.json'
        Set-Content -Path $broken -Value '{ "schemaVersion": 1, "name": "broken", "eventTypes": ["JobFailure"], "url": "https://a.example.com", "body": "{{ job_nme }}" }'
        try {
            $policies = Get-AlertPolicy -ErrorVariable errors -ErrorAction SilentlyContinue

            $policies.Name | Should -Be @('data-team', 'ops-pagerduty', 'ops-slack')
            $errors.Count | Should -Be 1
            $errors[0].Exception.Message | Should -BeLike "*$broken*"
            $errors[0].Exception.Message | Should -Match 'job_nme'
            $errors[0].TargetObject | Should -Be $broken
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }
        finally {
            Remove-Item $broken
        }
    }
}

Describe 'Policy name completion' {
    BeforeAll {
        $script:savedCompletionHome = $env:ALERTHOOKS_HOME
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive 'completion'
        New-AlertPolicy -Name 'ops slack' -EventType JobFailure -Url 'https://alerts.example.com/1' -Body '{"t":"x"}' | Register-AlertPolicy | Out-Null
        New-AlertPolicy -Name 'ops-pd' -EventType JobFailure -Url 'https://alerts.example.com/2' -Body '{"t":"x"}' | Register-AlertPolicy | Out-Null
    }

    AfterAll {
        $env:ALERTHOOKS_HOME = $script:savedCompletionHome
    }

    It 'completes registered names on -Name and -Policy, quoting names with spaces' {
        $line = 'Get-AlertPolicy -Name op'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'ops slack'", 'ops-pd')
        $line = 'Send-AlertWebhook -Sample -Policy ops-'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('ops-pd')
    }
}
