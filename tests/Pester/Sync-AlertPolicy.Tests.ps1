BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $script:savedHome = $env:ALERTHOOKS_HOME
    $body = '{"text":"{{alert_summary}}"}'
}

AfterAll {
    $env:ALERTHOOKS_HOME = $script:savedHome
}

Describe 'Sync-AlertPolicy' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        New-AlertPolicy -Name 'slack' -EventType JobFailure -Url 'https://hooks.slack.com/services/T0/B0/XYZSECRET' -Body $body -Header @{ 'X-Key' = 'k-123456' } | Register-AlertPolicy | Out-Null
        New-AlertPolicy -Name 'generic' -EventType JobFailure, JobSuccess -Url 'https://alerts.example.com/h' -Body $body -Match @{ job_name = 'daily_*' } -Disabled | Register-AlertPolicy | Out-Null
        New-AlertPolicy -Name 'env' -EventType AgentDowntime -Url '{{ env.SYNC_TEST_URL }}' -Body '{"text":"{{agent_url}}"}' | Register-AlertPolicy | Out-Null
    }

    It 'export -> import -> sync is Unchanged for every policy' {
        Export-AlertPolicy -Path $folder -IncludeSecret | Out-Null

        $plan = Sync-AlertPolicy -Path $folder -Prune

        $plan | Should -HaveCount 3
        $plan | ForEach-Object { $_ | Should -BeOfType 'AlertHooks.PolicyPlanEntry'; $_.Action | Should -Be 'Unchanged' }
        (Import-AlertPolicy $folder).Name | Should -Be @('env', 'generic', 'slack')
    }

    It 'plans Add, Change with the fields and Remove only with -Prune, and -Plan changes nothing' {
        Export-AlertPolicy -Path $folder -IncludeSecret | Out-Null
        $file = Join-Path $folder 'generic.json'
        $json = Get-Content -Raw $file | ConvertFrom-Json
        $json.enabled = $true
        $json.body.text = '{{alert_summary}} {{run_link}}'
        $json | ConvertTo-Json -Depth 5 | Set-Content $file
        Remove-Item (Join-Path $folder 'env.json')
        New-AlertPolicy -Name 'added' -EventType JobSuccess -Url 'https://alerts.example.com/new' -Body $body | Export-AlertPolicy -Path $folder | Out-Null

        $plan = Sync-AlertPolicy -Path $folder -Plan
        ($plan | ForEach-Object { "$($_.Name):$($_.Action)" }) | Should -Be @('added:Add', 'generic:Change', 'slack:Unchanged')
        ($plan | Where-Object Name -eq 'generic').Changes | Should -Be @('Enabled', 'Body')

        $pruned = Sync-AlertPolicy -Path $folder -Prune -WhatIf
        ($pruned | Where-Object Action -eq 'Remove').Name | Should -Be 'env'
        $pruned.Applied | Should -Not -Contain $true
        (Get-AlertPolicy).Name | Should -Be @('env', 'generic', 'slack')
        (Get-AlertPolicy generic).Enabled | Should -BeFalse
    }

    It 'applies the plan, keeping ids, and removes only with -Prune' {
        $ids = @{}; Get-AlertPolicy | ForEach-Object { $ids[$_.Name] = $_.Id }
        Export-AlertPolicy -Path $folder -IncludeSecret | Out-Null
        Remove-Item (Join-Path $folder 'env.json')
        (Get-Content -Raw (Join-Path $folder 'generic.json')) -replace '"enabled": false', '"enabled": true' | Set-Content (Join-Path $folder 'generic.json')

        $applied = Sync-AlertPolicy -Path $folder
        ($applied | Where-Object Name -eq 'generic').Applied | Should -BeTrue
        (Get-AlertPolicy generic).Enabled | Should -BeTrue
        (Get-AlertPolicy generic).Id | Should -Be $ids['generic']
        (Get-AlertPolicy).Name | Should -Contain 'env'

        Sync-AlertPolicy -Path $folder -Prune -Confirm:$false | Out-Null
        (Get-AlertPolicy).Name | Should -Be @('generic', 'slack')
    }

    It 'applies nothing at all when any file in the folder is invalid' {
        New-AlertPolicy -Name 'good' -EventType JobSuccess -Url 'https://alerts.example.com/good' -Body $body | Export-AlertPolicy -Path $folder | Out-Null
        Set-Content -Path (Join-Path $folder 'bad.json') -Value '{"schemaVersion":1,"name":"bad","eventTypes":["JobFailure"],"url":"http://alerts.example.com/x","body":"{}"}'
        $before = Get-ChildItem (Join-Path $env:ALERTHOOKS_HOME 'policies') | ForEach-Object { "$($_.Name)=$(Get-FileHash $_.FullName | ForEach-Object Hash)" }

        { Sync-AlertPolicy -Path $folder -Prune -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'SyncAborted,AlertHooks.Commands.SyncAlertPolicyCommand'

        (Get-AlertPolicy).Name | Should -Be @('env', 'generic', 'slack')
        Get-ChildItem (Join-Path $env:ALERTHOOKS_HOME 'policies') | ForEach-Object { "$($_.Name)=$(Get-FileHash $_.FullName | ForEach-Object Hash)" } |
            Should -Be $before
    }

    It 'refuses to prune everything from an empty folder' {
        New-Item -ItemType Directory $folder | Out-Null
        { Sync-AlertPolicy -Path $folder -Prune } | Should -Throw -ErrorId 'PolicyFolderEmpty,AlertHooks.Commands.SyncAlertPolicyCommand'
        @(Get-AlertPolicy).Count | Should -Be 3
    }

    It 'shows a literal secret replaced by a reference as a Url change, never the values' {
        Export-AlertPolicy -Path $folder -Name slack -WarningAction SilentlyContinue | Out-Null
        $plan = Sync-AlertPolicy -Path $folder -Plan
        $plan.Changes | Should -Be @('Url', 'Headers')
        ($plan | Format-List * | Out-String) | Should -Not -Match 'XYZSECRET|k-123456'
    }
}
