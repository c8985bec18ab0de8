#Requires -Version 7.4
<#
.SYNOPSIS
    The main job: sends real alerts to AlertHooks' own local receiver and shows what arrived.
.DESCRIPTION
    Runs offline and ends by itself. build.ps1 -Task Demo builds the module first and then runs this script.
#>
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../AlertHooks.psd1') -Force

$receiver = Start-AlertReceiver
try {
    Write-Host "Receiver listening on $($receiver.Url)" -ForegroundColor Cyan

    $slackBody = @'
{
  "text": "{{alert_summary}}",
  "blocks": [
    { "type": "header", "text": { "type": "plain_text", "text": "Dagster Alert: {{alert_policy_name}}", "emoji": true } },
    { "type": "section", "fields": [
        { "type": "mrkdwn", "text": "*Deployment:*\n{{deployment_name}}" },
        { "type": "mrkdwn", "text": "*Alert Policy:*\n{{alert_policy_name}}" } ] },
    { "type": "section", "text": { "type": "mrkdwn", "text": "*Details:*\n```{{alert_content}}```" } },
    { "type": "actions", "elements": [ { "type": "button", "text": { "type": "plain_text", "text": "View run" }, "url": "{{run_link}}", "style": "danger" } ] }
  ]
}
'@
    $discordBody = @'
{
  "username": "Dagster Monitor",
  "content": "**Alert Triggered**: {{alert_summary}}",
  "allowed_mentions": { "parse": [] },
  "embeds": [ {
      "title": "{{alert_summary}}",
      "url": "{{run_link}}",
      "description": "```\n{{alert_content}}\n```",
      "color": 15158332,
      "fields": [ { "name": "Deployment", "value": "{{deployment_name}}", "inline": true } ],
      "timestamp": "{{ start_time | iso8601 }}"
  } ]
}
'@

    $policies = @(
        New-AlertPolicy -Name 'ops-slack' -EventType JobFailure -Url "$($receiver.Url)services/T000/B000/demo" -Body $slackBody
        New-AlertPolicy -Name 'ops-discord' -EventType JobFailure -Url "$($receiver.Url)api/webhooks/123/demo" -Body $discordBody -Header @{ 'X-Demo' = 'yes' }
    )

    # A failure message that would break a hand-rolled string template: quotes, a newline, a backslash.
    $event = New-AlertEvent -EventType JobFailure -JobName 'daily_etl' -DeploymentName 'prod' `
        -RunLink 'https://example.dagster.cloud/prod/runs/9f3b2c1a' -StartTime '2026-01-08T10:00:00Z' -EndTime '2026-01-08T10:05:00Z' `
        -FailureMessage "Step 'load_data' failed: `"warehouse`" unreachable`nat C:\etl\load.py line 42"

    $results = $event | Send-AlertWebhook -Policy $policies
    $results | Format-Table -AutoSize | Out-Host

    foreach ($request in $receiver.Requests) {
        Write-Host "$($request.Method) $($request.Path)  [$($request.ContentType)]" -ForegroundColor Cyan
        $request.Body | ConvertFrom-Json | ConvertTo-Json -Depth 10 | Out-Host
    }

    if (@($results | Where-Object { -not $_.Succeeded }).Count -gt 0 -or $receiver.Requests.Count -ne $policies.Count) {
        throw 'The demo did not deliver every alert.'
    }
    Write-Host "Delivered $($results.Count) alerts; every body arrived as valid JSON." -ForegroundColor Green
}
finally {
    $receiver | Stop-AlertReceiver
}
