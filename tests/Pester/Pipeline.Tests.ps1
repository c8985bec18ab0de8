# Objects bind between cmdlets and from everyday PowerShell objects without glue (Select-Object, ForEach-Object, ...).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $csvPath = Join-Path $TestDrive 'runs.csv'
    @'
event_type,job_name,run_id,run_status,failure_message,start_time,owner
JobFailure,daily_etl,r-1,FAILURE,"Step ""load"" failed, retry later",2026-01-08T10:00:00Z,data-team
JobSuccess,hourly_sync,r-2,SUCCESS,,2026-01-08T11:00:00Z,data-team
JobFailure,weekly_report,r-3,FAILURE,Out of memory,2026-01-08T12:00:00Z,bi-team
'@ | Set-Content -Path $csvPath -Encoding utf8NoBOM

    # Store-backed cmdlets run against a fresh ALERTHOOKS_HOME, never the user's.
    function Invoke-InTemporaryHome([scriptblock] $Script) {
        $savedHome = $env:ALERTHOOKS_HOME
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid())
        try { . $Script }
        finally { $env:ALERTHOOKS_HOME = $savedHome }
    }
}

Describe 'Pipeline binding' -Tag Pipeline {
    BeforeEach {
        $receiver = Start-AlertReceiver
        $policy = New-AlertPolicy -Name 'pipeline' -EventType JobFailure, JobSuccess -Url $receiver.Url `
            -Body '{"summary":"{{alert_summary}}","run":"{{run_id}}","error":"{{failure_message}}","start":"{{start_time}}"}'
    }

    AfterEach {
        $receiver | Stop-AlertReceiver
    }

    It 'sends one alert per CSV row: Import-Csv | New-AlertEvent | Send-AlertWebhook -Policy $p' {
        $results = Import-Csv $csvPath | New-AlertEvent | Send-AlertWebhook -Policy $policy

        @($results).Count | Should -Be 3
        $results.Succeeded | Should -Not -Contain $false
        $bodies = $receiver.Requests | ForEach-Object { $_.Body | ConvertFrom-Json }
        $bodies.run | Should -Be 'r-1', 'r-2', 'r-3'
        $bodies[0].summary | Should -Be 'Job daily_etl failed'
        $bodies[0].error | Should -Be 'Step "load" failed, retry later'
        $bodies[0].start | Should -Be 'Jan 8, 2026 10:00 AM'
        $bodies[1].summary | Should -Be 'Job hourly_sync succeeded'
    }

    It 'takes the event type from the command line when the rows have none' {
        $rows = Import-Csv $csvPath | Select-Object job_name, run_id, failure_message
        $events = $rows | New-AlertEvent -EventType JobFailure

        $events.EventType | Should -Be 'JobFailure', 'JobFailure', 'JobFailure'
        $events[2].Tokens['failure_message'] | Should -Be 'Out of memory'
    }

    It 'binds objects from JSON by property name' {
        $json = '[{"event_type":"AssetMaterializationFailure","asset_key":"analytics/orders","failure_message":"boom"}]'
        $result = $json | ConvertFrom-Json | New-AlertEvent | Send-AlertWebhook -Policy (
            New-AlertPolicy -Name assets -EventType AssetMaterializationFailure -Url $receiver.Url -Body '{"key":"{{asset_key}}","error":"{{failure_message}}"}')

        $result.Succeeded | Should -BeTrue
        $receiver.Requests[0].Body | Should -Be '{"key":"analytics/orders","error":"boom"}'
    }

    It 'passes events through a filter and on to Send-AlertWebhook' {
        $results = Import-Csv $csvPath | New-AlertEvent | Where-Object EventType -EQ 'JobFailure' | Send-AlertWebhook -Policy $policy

        @($results).Count | Should -Be 2
        $receiver.RequestCount | Should -Be 2
    }

    It 'routes CSV rows to the registered policies whose -Match takes them: Import-Csv | New-AlertEvent | Send-AlertWebhook' {
        if (-not (Get-Command Register-AlertPolicy -Module AlertHooks -ErrorAction SilentlyContinue)) {
            Set-ItResult -Skipped -Because 'the policy store is not in this build'; return
        }
        Invoke-InTemporaryHome {
            New-AlertPolicy -Name 'daily-jobs' -EventType JobFailure -Url $receiver.Url -Body '{"run":"{{run_id}}"}' -Match @{ job_name = 'daily_*' } |
                Register-AlertPolicy | Out-Null

            $results = Import-Csv $csvPath | New-AlertEvent | Send-AlertWebhook -ErrorAction SilentlyContinue -ErrorVariable unrouted

            @($results).Count | Should -Be 1
            $results.PolicyName | Should -Be 'daily-jobs'
            $receiver.Requests.Body | Should -Be '{"run":"r-1"}'
            @($unrouted).Count | Should -Be 2 -Because 'hourly_sync and weekly_report match no policy'
        }
    }

    It 'tests the templates of stored policies: Get-AlertPolicy | Test-AlertTemplate' {
        if (-not (Get-Command Test-AlertTemplate -Module AlertHooks -ErrorAction SilentlyContinue)) {
            Set-ItResult -Skipped -Because 'Test-AlertTemplate is not in this build'; return
        }
        Invoke-InTemporaryHome {
            $policy | Register-AlertPolicy | Out-Null
            $tests = Get-AlertPolicy | Test-AlertTemplate -ErrorAction Stop -WarningAction SilentlyContinue
            @($tests).Count | Should -BeGreaterThan 0
            $tests | ForEach-Object { $_.GetType().FullName | Should -Be 'AlertHooks.TemplateTestResult' }
        }
    }

    It 'stops receivers piped to Stop-AlertReceiver' {
        $extra = Start-AlertReceiver
        $stopped = $extra | Stop-AlertReceiver -PassThru
        $stopped.IsRunning | Should -BeFalse
    }
}
