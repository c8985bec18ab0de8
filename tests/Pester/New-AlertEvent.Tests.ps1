BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
}

Describe 'New-AlertEvent' {
    It 'binds token columns of a CSV by their own names' {
        $csv = Join-Path $TestDrive 'runs.csv'
        "job_name,run_id,failure_message,start_time`ndaily_etl,r-1,boom,2026-01-08T10:00:00Z`nhourly,r-2,bang,2026-01-08T11:00:00Z" |
            Set-Content -Path $csv -Encoding utf8NoBOM

        $events = Import-Csv $csv | New-AlertEvent -EventType JobFailure

        $events.Count | Should -Be 2
        $events[0].Tokens['job_name'] | Should -Be 'daily_etl'
        $events[1].Tokens['run_id'] | Should -Be 'r-2'
        $events[0].Summary | Should -Be 'Job daily_etl failed'
        $events[0].Tokens['start_time'] | Should -BeOfType [DateTimeOffset]
    }

    It 'fills a realistic sample' {
        $event = New-AlertEvent -EventType AssetHealth -Sample
        $event.IsSample | Should -BeTrue
        $event.Summary | Should -Be 'Asset orders is DEGRADED'
    }

    It 'refuses an unknown token by name' {
        { New-AlertEvent -EventType JobFailure -Token @{ job_nam = 'x' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownToken,AlertHooks.Commands.NewAlertEventCommand'
    }
}
