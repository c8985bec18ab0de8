#Requires -Version 7.4
<#
.SYNOPSIS
    The main job: sends real alerts to AlertHooks' own local receivers and shows what arrived.
.DESCRIPTION
    Runs offline and ends by itself. build.ps1 -Task Demo builds the module first and then runs this script.
    It keeps its state (policy store, delivery journal) in a throwaway ALERTHOOKS_HOME, so that it never
    touches the user's own policies.
#>
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../AlertHooks.psd1') -Force

$savedHome = $env:ALERTHOOKS_HOME
$env:ALERTHOOKS_HOME = Join-Path ([IO.Path]::GetTempPath()) "alerthooks-demo-$([guid]::NewGuid().ToString('n'))"
$receivers = @()

function Show-Step([string] $Text) { Write-Host "`n== $Text" -ForegroundColor Cyan }

try {
    # One receiver per "service". The Discord one fails once with 503 first, as a busy webhook would.
    $slack = Start-AlertReceiver
    $discord = Start-AlertReceiver -Response 503, 200
    $receivers = @($slack, $discord)

    Show-Step 'The reference Discord payload from the platform page, checked before anything is sent'
    $referenceDiscord = @'
{
  "username": "Dagster Monitor",
  "content": "**Alert Triggered**: {{alert_summary}}",
  "embeds": [ { "title": "{{alert_summary}}", "url": "{{run_link}}", "timestamp": "{{start_time}}" } ]
}
'@
    Test-AlertTemplate -Body $referenceDiscord -EventType JobFailure -Target Discord |
        ForEach-Object { $_.Errors + $_.Warnings } | ForEach-Object { Write-Host "  $_" }

    Show-Step 'Policies registered in the store: Slack and Discord presets, routed by event type and job name'
    $slackPolicy = New-AlertPolicy -Name 'ops-slack' -EventType JobFailure, AssetCheckFailure -Url "$($slack.Url)services/T000/B000/demo" -Preset Slack
    $discordPolicy = New-AlertPolicy -Name 'etl-discord' -EventType JobFailure -Url "$($discord.Url)api/webhooks/123/demo" -Preset Discord -Match @{ job_name = 'daily_*' }
    $slackPolicy, $discordPolicy | Register-AlertPolicy | Out-Null
    Get-AlertPolicy | Format-Table -AutoSize | Out-String -Width 120 | Out-Host

    Show-Step 'Events routed to every matching policy (no -Policy): a failure message that would break a hand-rolled template'
    $events = @(
        New-AlertEvent -EventType JobFailure -JobName 'daily_etl' -DeploymentName 'prod' `
            -RunLink 'https://example.dagster.cloud/prod/runs/9f3b2c1a' -StartTime '2026-01-08T10:00:00Z' -EndTime '2026-01-08T10:05:00Z' `
            -FailureMessage "Step 'load_data' failed: `"warehouse`" unreachable`nat C:\etl\load.py line 42 <@everyone>"
        New-AlertEvent -EventType AssetCheckFailure -AssetKey 'analytics/orders' -FailureMessage '42 rows with a null order_id' -DeploymentName 'prod'
    )
    $results = $events | Send-AlertWebhook
    $results | Format-Table -AutoSize | Out-String -Width 120 | Out-Host

    Show-Step 'What arrived'
    foreach ($receiver in $receivers) {
        foreach ($request in $receiver.Requests) {
            Write-Host "$($request.Method) $($request.Path) -> $($request.ResponseStatus)  [$($request.ContentType)]" -ForegroundColor Yellow
            $request.Body | ConvertFrom-Json | ConvertTo-Json -Depth 12 | Out-Host
        }
    }

    Show-Step 'The delivery journal: every alert is recorded before its first attempt and after its last'
    Get-AlertDelivery | Format-Table -AutoSize | Out-String -Width 120 | Out-Host

    $failed = @($results | Where-Object { -not $_.Succeeded })
    $expected = 3
    if ($failed.Count -gt 0 -or $results.Count -ne $expected) {
        throw "The demo expected $expected delivered alerts; got $($results.Count), $($failed.Count) failed."
    }
    $retried = @($results | Where-Object Attempts -gt 1).Count
    Write-Host "`nDelivered $($results.Count) alerts ($retried after a retry); every body arrived as valid JSON." -ForegroundColor Green
}
finally {
    $receivers | Stop-AlertReceiver
    if (Test-Path $env:ALERTHOOKS_HOME) { Remove-Item -Recurse -Force $env:ALERTHOOKS_HOME }
    $env:ALERTHOOKS_HOME = $savedHome
}
