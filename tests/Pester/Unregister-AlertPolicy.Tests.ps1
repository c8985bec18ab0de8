BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $script:savedHome = $env:ALERTHOOKS_HOME
    $body = '{"text":"{{alert_summary}}"}'
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Unregister-AlertPolicy' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
        foreach ($name in 'ops-a', 'ops-b', 'keep') {
            New-AlertPolicy -Name $name -EventType JobFailure -Url 'https://alerts.example.com/a' -Body $body | Register-AlertPolicy | Out-Null
        }
    }

    It 'is a high-impact change' {
        (Get-Command Unregister-AlertPolicy).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'High'
    }

    It 'removes by name with wildcards and leaves the rest' {
        $removed = Unregister-AlertPolicy -Name 'ops-*' -Confirm:$false -PassThru
        $removed.Name | Should -Be @('ops-a', 'ops-b')
        (Get-AlertPolicy).Name | Should -Be @('keep')
        @(Get-ChildItem (Join-Path $env:ALERTHOOKS_HOME 'policies') -Filter *.json).Count | Should -Be 1
    }

    It 'removes policies from the pipeline, and nothing with -WhatIf' {
        Get-AlertPolicy keep | Unregister-AlertPolicy -WhatIf
        @(Get-AlertPolicy).Count | Should -Be 3
        Get-AlertPolicy keep | Unregister-AlertPolicy -Confirm:$false
        (Get-AlertPolicy).Name | Should -Be @('ops-a', 'ops-b')
    }

    It 'round trip: register, get, set, unregister' {
        $policy = New-AlertPolicy -Name 'round' -EventType JobSuccess -Url 'https://alerts.example.com/r' -Body $body | Register-AlertPolicy
        (Get-AlertPolicy round).Id | Should -Be $policy.Id
        Set-AlertPolicy round -Description 'changed'
        (Get-AlertPolicy round).Description | Should -Be 'changed'
        Unregister-AlertPolicy round -Confirm:$false
        Get-AlertPolicy round -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Unregister-AlertPolicy round -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'PolicyNotFound,AlertHooks.Commands.UnregisterAlertPolicyCommand'
    }
}
