# Every type that an exported cmdlet declares in [OutputType] has a table view, formats at 120 columns without a
# formatting error, and never shows a secret. The type list comes from the cmdlets, so a new output type without a view
# fails here. Sample objects come from $Samples below (add a factory for a new type there); a type without a factory is
# still formatted when it has a public parameterless constructor, so that null properties are exercised too.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    $outputTypes = @(Get-Command -Module AlertHooks | ForEach-Object OutputType | ForEach-Object Name |
        Where-Object { $_ -like 'AlertHooks.*' } | Sort-Object -Unique | ForEach-Object { @{ TypeName = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    # Store-backed cmdlets work in a throwaway home, never the user's.
    $savedHome = $env:ALERTHOOKS_HOME
    $env:ALERTHOOKS_HOME = Join-Path $TestDrive 'alerthooks'

    # Sentinels: none of these may ever appear in formatted output.
    $secrets = @('S3ntinelSlackPath', 'S3ntinelQueryValue', 'S3ntinelHeaderValue', 'S3ntinelBearerToken')
    $body = '{"text":"{{alert_summary}}","detail":"{{failure_message}}"}'
    $headers = @{ 'X-Api-Key' = 'S3ntinelHeaderValue'; Authorization = 'Bearer S3ntinelBearerToken' }

    $receiver = Start-AlertReceiver
    $slackPolicy = New-AlertPolicy -Name 'ops-critical-alerts' -EventType JobFailure, JobLongRunning, AssetMaterializationFailure `
        -Url 'https://hooks.slack.com/services/T0000/B0000/S3ntinelSlackPath?token=S3ntinelQueryValue' -Body $body -Header $headers
    $localPolicy = New-AlertPolicy -Name 'team-data-platform-etl' -EventType JobFailure `
        -Url "$($receiver.Url)hooks/team-data-platform/very/long/path/for/alerts?key=S3ntinelQueryValue" -Body $body -Header $headers
    $event = New-AlertEvent JobFailure -JobName 'daily_etl_orders_and_customers' -FailureMessage 'Step "load" failed: the warehouse refused the connection' -StartTime '2026-01-08T10:00:00Z'
    $delivered = $event | Send-AlertWebhook -Policy $localPolicy
    $failing = Start-AlertReceiver -Response 400
    $failed = $event | Send-AlertWebhook -Policy (New-AlertPolicy -Name 'broken' -EventType JobFailure -Url "$($failing.Url)?sig=S3ntinelQueryValue" -Body $body -Header $headers) -ErrorAction SilentlyContinue

    # Type name -> the objects to format, and texts the table must show in full at 120 columns.
    # After the merge, add factories for the types of the other cmdlets here (policy names, presets, deliveries, ...).
    $Samples = @{
        'AlertHooks.AlertPolicy'    = @{ Objects = { $slackPolicy, $localPolicy }; MustShow = 'ops-critical-alerts', 'team-data-platform-etl', 'https://hooks.slack.com/services/***', 'JobFailure', 'alerts?key=***' }
        'AlertHooks.AlertEvent'     = @{ Objects = { $event; New-AlertEvent AssetMaterializationFailure -Sample }; MustShow = 'JobFailure', 'Job daily_etl_orders_and_customers failed', 'AssetMaterializationFailure' }
        'AlertHooks.DeliveryResult' = @{ Objects = { $delivered; $failed }; MustShow = 'team-data-platform-etl', 'broken', '200', '400', 'alerts?key=***' }
        # A receiver records what arrived, secrets included (tests assert on them): only its views must hide them.
        'AlertHooks.AlertReceiver'  = @{ Objects = { $receiver; $failing }; MustShow = $receiver.Url.TrimEnd('/'), $failing.Url.TrimEnd('/'); RecordsSecrets = $true }
        'AlertHooks.TokenInfo'      = @{ Objects = { Get-AlertToken | Select-Object -First 10 }; MustShow = 'alert_summary' }
        'AlertHooks.AlertPreset'    = @{ Objects = { Get-AlertPreset }; MustShow = 'Slack' }
        'AlertHooks.TemplateTestResult' = @{ Objects = { $slackPolicy | Test-AlertTemplate -WarningAction SilentlyContinue }; MustShow = 'ops-critical-alerts' }
        'AlertHooks.Configuration'  = @{ Objects = { Get-AlertHooksConfiguration }; MustShow = 'alerthooks' }
        'AlertHooks.PolicyPlanEntry' = @{
            Objects  = {
                $folder = Join-Path $TestDrive 'policies'
                $slackPolicy, $localPolicy | Register-AlertPolicy | Out-Null
                Export-AlertPolicy -Path $folder -WarningAction SilentlyContinue | Out-Null
                Unregister-AlertPolicy -Name 'team-data-platform-etl' -Confirm:$false
                Sync-AlertPolicy -Path $folder -Plan
            }
            MustShow = 'ops-critical-alerts', 'team-data-platform-etl'
        }
    }

    function Get-Sample([string] $TypeName) {
        if ($Samples.ContainsKey($TypeName)) {
            try { return @(& $Samples[$TypeName].Objects) }
            catch [System.Management.Automation.CommandNotFoundException] { }
        }
        $type = $TypeName -as [type]
        if ($type -and $type.GetConstructor([type[]]@())) { return @([Activator]::CreateInstance($type)) }
        @()
    }

    function Assert-CleanText([string] $Text, [string] $What) {
        $Text | Should -Not -BeNullOrEmpty
        $Text | Should -Not -Match '#ERR' -Because "$What must format without errors"
        foreach ($secret in $secrets) {
            $Text | Should -Not -Match $secret -Because "$What must not show a secret"
        }
    }
}

AfterAll {
    $receiver, $failing | Stop-AlertReceiver
    $env:ALERTHOOKS_HOME = $savedHome
}

Describe 'Format views for <TypeName>' -Tag Format -ForEach $outputTypes {
    BeforeAll {
        $objects = Get-Sample $TypeName
    }

    It 'has a table view' {
        $views = @(Get-FormatData -TypeName $TypeName -PowerShellVersion $PSVersionTable.PSVersion)
        $views.Count | Should -BeGreaterThan 0 -Because "$TypeName is an output type and needs a view in a format file named in FormatsToProcess"
        @($views.FormatViewDefinition.Control | Where-Object { $_ -is [System.Management.Automation.TableControl] }).Count | Should -BeGreaterThan 0
    }

    It 'formats as a table at 120 columns without errors or secrets, showing what an operator needs' {
        if ($objects.Count -eq 0) { Set-ItResult -Skipped -Because "no sample factory for $TypeName yet"; return }
        $text = $objects | Format-Table -DisplayError | Out-String -Width 120
        Assert-CleanText $text "Format-Table of $TypeName"
        $lines = $text -split "`n" | Where-Object { $_.Trim() }
        $lines.Count | Should -BeGreaterOrEqual (2 + $objects.Count) -Because 'one header, one rule and one line per object: no wrapping at 120 columns'
        if ($Samples.ContainsKey($TypeName)) {
            foreach ($expected in $Samples[$TypeName].MustShow) {
                $text.Contains($expected) | Should -BeTrue -Because "the table must show '$expected' uncut"
            }
        }
    }

    It 'formats as a list and by default without errors or secrets' {
        if ($objects.Count -eq 0) { Set-ItResult -Skipped -Because "no sample factory for $TypeName yet"; return }
        Assert-CleanText ($objects | Format-List -DisplayError | Out-String -Width 120) "Format-List of $TypeName"
        Assert-CleanText ($objects | Out-String -Width 120) "the default view of $TypeName"
        if (-not ($Samples.ContainsKey($TypeName) -and $Samples[$TypeName].RecordsSecrets)) {
            Assert-CleanText ($objects | Format-List -Property * -DisplayError | Out-String -Width 120) "Format-List * of $TypeName"
        }
    }
}
