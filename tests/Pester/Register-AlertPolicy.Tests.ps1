BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    . (Join-Path $PSScriptRoot 'ChildPwsh.ps1')
    $script:savedHome = $env:ALERTHOOKS_HOME
    $body = '{"text":"{{alert_summary}}"}'
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Register-AlertPolicy' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
    }

    It 'stores a policy that Get-AlertPolicy returns with the same id and fields' {
        $policy = New-AlertPolicy -Name 'ops' -EventType JobFailure, JobSuccess -Url 'https://alerts.example.com/hook' -Body $body -Description 'on-call' -Match @{ job_name = 'daily_*' }

        $registered = $policy | Register-AlertPolicy

        $registered | Should -BeOfType 'AlertHooks.AlertPolicy'
        $loaded = Get-AlertPolicy -Name 'ops'
        $loaded.Id | Should -Be $policy.Id
        $loaded.EventTypes | Should -Be @('JobFailure', 'JobSuccess')
        $loaded.Description | Should -Be 'on-call'
        $loaded.Match['job_name'] | Should -Be 'daily_*'
        Test-Path (Join-Path $env:ALERTHOOKS_HOME "policies/$($policy.Id).json") | Should -BeTrue
    }

    It 'refuses a name that is already registered, whatever its case, unless -Force' {
        New-AlertPolicy -Name 'ops' -EventType JobFailure -Url 'https://alerts.example.com/a' -Body $body | Register-AlertPolicy | Out-Null
        $second = New-AlertPolicy -Name 'OPS' -EventType JobFailure -Url 'https://alerts.example.com/b' -Body $body

        $second | Register-AlertPolicy -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'PolicyExists,AlertHooks.Commands.RegisterAlertPolicyCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $errors[0].Exception.Message | Should -Match "'ops'"

        $second | Register-AlertPolicy -Force | Out-Null
        $all = @(Get-AlertPolicy)
        $all.Count | Should -Be 1
        $all[0].Id | Should -Be $second.Id
        $all[0].Endpoint | Should -Be 'https://alerts.example.com/b'
    }

    It 'changes nothing with -WhatIf' {
        New-AlertPolicy -Name 'ops' -EventType JobFailure -Url 'https://alerts.example.com/a' -Body $body | Register-AlertPolicy -WhatIf
        @(Get-AlertPolicy).Count | Should -Be 0
    }

    It 'writes the store file readable by its owner only' -Skip:$IsWindows {
        $policy = New-AlertPolicy -Name 'ops' -EventType JobFailure -Url 'https://alerts.example.com/a' -Body $body -Header @{ 'X-Api-Key' = 'k-123456' }
        $policy | Register-AlertPolicy | Out-Null
        (Get-Item (Join-Path $env:ALERTHOOKS_HOME "policies/$($policy.Id).json")).UnixMode | Should -Be '-rw-------'
    }

    It 'loses no policy and corrupts no file when 4 processes register at once' {
        $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../AlertHooks.psd1')).Path
        $go = Join-Path $TestDrive "go-$([guid]::NewGuid())"
        $children = foreach ($n in 1..4) {
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
while (-not (Test-Path '$go')) { Start-Sleep -Milliseconds 10 }
foreach (`$i in 1..5) {
    New-AlertPolicy -Name "child$n-`$i" -EventType JobFailure -Url 'https://alerts.example.com/hook' -Body '{"text":"{{alert_summary}}"}' | Register-AlertPolicy | Out-Null
}
New-AlertPolicy -Name 'contested' -EventType JobFailure -Url 'https://alerts.example.com/$n' -Body '{"text":"x"}' |
    Register-AlertPolicy -ErrorAction SilentlyContinue -ErrorVariable lost | Out-Null
if (`$lost) { 'lost:' + `$lost[0].FullyQualifiedErrorId } else { 'won' }
"@
            Start-ChildPwsh -Arguments '-NoProfile', '-NonInteractive', '-Command', $script -Environment @{ ALERTHOOKS_HOME = $env:ALERTHOOKS_HOME } -RedirectOutput
        }
        $outputs = $children | ForEach-Object { $_.StandardOutput.ReadToEndAsync() }
        $errorOutputs = $children | ForEach-Object { $_.StandardError.ReadToEndAsync() }
        Start-Sleep -Milliseconds 300
        New-Item -ItemType File $go | Out-Null
        Wait-ChildPwsh $children -TimeoutSec 120

        $results = $outputs | ForEach-Object { $_.Result.Trim() }
        $childErrors = ($errorOutputs | ForEach-Object { $_.Result }) -join "`n"
        $children | ForEach-Object { $_.ExitCode | Should -Be 0 -Because $childErrors }
        @($results | Where-Object { $_ -eq 'won' }).Count | Should -Be 1
        @($results | Where-Object { $_ -eq 'lost:PolicyExists,AlertHooks.Commands.RegisterAlertPolicyCommand' }).Count | Should -Be 3

        $policies = @(Get-AlertPolicy -ErrorVariable loadErrors)
        $loadErrors | Should -BeNullOrEmpty
        $policies.Count | Should -Be 21
        foreach ($n in 1..4) { foreach ($i in 1..5) { $policies.Name | Should -Contain "child$n-$i" } }
        Get-ChildItem (Join-Path $env:ALERTHOOKS_HOME 'policies') -Filter *.json | ForEach-Object {
            { Get-Content -Raw $_.FullName | ConvertFrom-Json } | Should -Not -Throw
        }
        @(Get-ChildItem -Force (Join-Path $env:ALERTHOOKS_HOME 'policies') -Filter *.tmp).Count | Should -Be 0
    }
}
