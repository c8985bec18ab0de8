<#
.SYNOPSIS
    Whole-process comparison: 1,000 alerts to 10 loopback endpoints with Send-AlertWebhook, and with an
    Invoke-RestMethod loop without and with -WebSession. Same bodies, same receivers, medians of a few runs.
.DESCRIPTION
    The receivers run in this process; each measured run is a fresh child PowerShell process that imports
    the module, builds the alerts and sends them. Two times are reported per run: the send alone (measured
    inside the child) and the whole child process (start-up and module import included). After every run
    the receivers are checked: every alert arrived, and the bodies are exactly the expected ones.
    With -MemoryEvents, one more child streams that many events through Send-AlertWebhook and reports its
    working set along the way, to show that memory stays flat.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh -NoProfile -File ./tests/AlertHooks.Benchmarks/Bulk-Delivery.ps1
#>
[CmdletBinding()]
param(
    [int] $Alerts = 1000,
    [int] $Endpoints = 10,
    [int] $Runs = 3,
    [int] $MemoryEvents = 0,
    # Requests each receiver takes before the runs (see the warm-up below).
    [int] $WarmUpRounds = 300
)

$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$manifest = Join-Path $root 'AlertHooks.psd1'
Import-Module $manifest -Force

$perEndpoint = [int][math]::Ceiling($Alerts / $Endpoints)
$child = Join-Path ([IO.Path]::GetTempPath()) "alerthooks-bulk-$PID.ps1"
Set-Content -Path $child -Encoding utf8NoBOM -Value @'
param([string] $Mode, [string] $Manifest, [string[]] $Urls, [int] $PerEndpoint, [int] $MemoryEvents)
$ErrorActionPreference = 'Stop'
$Urls = $Urls -split ','
Import-Module $Manifest
if ($Mode -eq 'Memory') {
    $policies = $Urls | ForEach-Object { New-AlertPolicy -Name $_ -EventType JobFailure -Url $_ -Body '{"text":"{{alert_summary}}"}' }
    $process = [Diagnostics.Process]::GetCurrentProcess()
    $script:samples = [Collections.Generic.List[object]]::new()
    $script:count = 0
    $clock = [Diagnostics.Stopwatch]::StartNew()
    1..$MemoryEvents | ForEach-Object { New-AlertEvent JobFailure -JobName "job$_" } | Send-AlertWebhook -Policy $policies | ForEach-Object {
        $script:count++
        if ($script:count % [math]::Max(1, [int]($MemoryEvents * $Urls.Count / 10)) -eq 0) {
            $process.Refresh()
            $script:samples.Add([pscustomobject]@{ Delivered = $script:count; WorkingSetMB = [math]::Round($process.WorkingSet64 / 1MB); ManagedMB = [math]::Round([GC]::GetTotalMemory($false) / 1MB) })
        }
    }
    "elapsed=$($clock.Elapsed.TotalMilliseconds)"
    $script:samples | ConvertTo-Json -Compress
    return
}

# Everything a script needs before sending is built first; the clock runs around the sending alone.
# Batch 'cold' is the first sending of this process; batch 'warm' the same work again, after the JIT.
foreach ($batch in 'cold', 'warm') {
    $targets = $Urls | ForEach-Object { "$_/$batch" }
    if ($Mode -eq 'Send-AlertWebhook') {
        $policies = $targets | ForEach-Object { New-AlertPolicy -Name $_ -EventType JobFailure -Url $_ -Body '{"text":"{{alert_summary}}"}' }
        $events = 1..$PerEndpoint | ForEach-Object { New-AlertEvent JobFailure -JobName "job$_" }
    }
    else {
        $bodies = 1..$PerEndpoint | ForEach-Object { "{`"text`":`"Job job$_ failed`"}" }
        $session = New-Object Microsoft.PowerShell.Commands.WebRequestSession
    }

    $clock = [Diagnostics.Stopwatch]::StartNew()
    switch ($Mode) {
        'Send-AlertWebhook' {
            $null = $events | Send-AlertWebhook -Policy $policies
        }
        'Invoke-RestMethod' {
            foreach ($body in $bodies) {
                foreach ($url in $targets) {
                    $null = Invoke-RestMethod -Method Post -Uri $url -Body $body -ContentType 'application/json; charset=utf-8'
                }
            }
        }
        'Invoke-RestMethod -WebSession' {
            foreach ($body in $bodies) {
                foreach ($url in $targets) {
                    $null = Invoke-RestMethod -Method Post -Uri $url -Body $body -ContentType 'application/json; charset=utf-8' -WebSession $session
                }
            }
        }
    }
    "$batch=$($clock.Elapsed.TotalMilliseconds)"
}
'@

function Invoke-Child([string] $Mode, [string[]] $Urls, [int] $PerEndpoint, [int] $MemoryEvents = 0) {
    $exe = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
    $arguments += @('-NoProfile', '-NonInteractive', '-File', $child, '-Mode', $Mode, '-Manifest', $manifest, '-PerEndpoint', $PerEndpoint, '-MemoryEvents', $MemoryEvents, '-Urls', ($Urls -join ','))
    $whole = [Diagnostics.Stopwatch]::StartNew()
    $output = & $exe @arguments
    $whole.Stop()
    if ($LASTEXITCODE -ne 0) { throw "The $Mode run failed: $output" }
    [pscustomobject]@{
        ColdMs    = Get-Reported $output 'cold'
        WarmMs    = Get-Reported $output 'warm'
        ElapsedMs = Get-Reported $output 'elapsed'
        ProcessMs = $whole.Elapsed.TotalMilliseconds
        Output    = $output
    }
}

function Get-Reported([object[]] $Output, [string] $Name) {
    $line = $Output | Where-Object { "$_".StartsWith("$Name=") } | Select-Object -Last 1
    if ($line) { [double]("$line".Substring($Name.Length + 1)) } else { 0.0 }
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

# The children journal into a throwaway home, shared by all runs so that it grows as a runbook's would (never the
# user's own home: a benchmark must not leave thousands of records there).
$savedHome = $env:ALERTHOOKS_HOME
$env:ALERTHOOKS_HOME = Join-Path ([IO.Path]::GetTempPath()) ('alerthooks-bench-' + [guid]::NewGuid().ToString('n'))
$receivers = 1..$Endpoints | ForEach-Object { Start-AlertReceiver }
try {
    $urls = $receivers | ForEach-Object { "$($_.Url)hooks/$($_.Port)" }
    # The receivers live in this process and are the same for every method: warm them up to the code they settle on, so
    # that the runs measure the senders and not the receivers' own start (a few requests left them compiling and
    # recompiling their methods through the first runs). Then a pause, for the runtime's recompilation to finish.
    $warmUp = [System.Net.Http.HttpClient]::new()
    try {
        foreach ($round in 1..$WarmUpRounds) {
            $sends = foreach ($url in $urls) { $warmUp.PostAsync("$url/warm-up", [System.Net.Http.StringContent]::new('{}', [Text.Encoding]::UTF8, 'application/json')) }
            [System.Threading.Tasks.Task]::WaitAll([System.Threading.Tasks.Task[]]$sends)
            $sends | ForEach-Object { $_.Result.Dispose() }
        }
    }
    finally {
        $warmUp.Dispose()
    }
    Start-Sleep -Milliseconds 1500
    $receivers | ForEach-Object { $_.Clear() }
    $expected = (1..$perEndpoint | ForEach-Object { "{`"text`":`"Job job$_ failed`"}" }) | Sort-Object
    $modes = 'Send-AlertWebhook', 'Invoke-RestMethod', 'Invoke-RestMethod -WebSession'
    $times = @{}
    foreach ($mode in $modes) { $times[$mode] = [Collections.Generic.List[object]]::new() }
    foreach ($run in 1..$Runs) {
        foreach ($mode in $modes) {
            $receivers | ForEach-Object { $_.Clear() }
            $measured = Invoke-Child -Mode $mode -Urls $urls -PerEndpoint $perEndpoint
            foreach ($receiver in $receivers) {
                foreach ($batch in 'cold', 'warm') {
                    $bodies = $receiver.Requests | Where-Object Path -Like "*/$batch" | ForEach-Object Body | Sort-Object
                    if (@($bodies).Count -ne $perEndpoint -or (Compare-Object $expected $bodies -SyncWindow 0)) {
                        throw "$mode run $run ($batch): $($receiver.Url) got $(@($bodies).Count) requests, or bodies other than expected."
                    }
                }
            }
            $times[$mode].Add($measured)
            # The check above leaves garbage in this process, where the receivers live: collected now, not by a background
            # collection during the next run.
            $receivers | ForEach-Object { $_.Clear() }
            [GC]::Collect()
            [GC]::WaitForPendingFinalizers()
            Write-Verbose ("{0} run {1}: cold {2:N0} ms, warm {3:N0} ms, process {4:N0} ms" -f $mode, $run, $measured.ColdMs, $measured.WarmMs, $measured.ProcessMs)
        }
    }

    $total = $perEndpoint * $Endpoints
    $baseCold = Get-Median ($times['Invoke-RestMethod'] | ForEach-Object ColdMs)
    $baseWarm = Get-Median ($times['Invoke-RestMethod'] | ForEach-Object WarmMs)
    # Each run's methods run one after the other, so a run's own ratio is taken on the same state of a noisy machine:
    # the median of those ratios moves less with the machine than the ratio of the medians does.
    function Get-PairedSpeedUp([string] $Mode, [string] $Batch) {
        $ratios = for ($i = 0; $i -lt $Runs; $i++) { $times['Invoke-RestMethod'][$i].$Batch / $times[$Mode][$i].$Batch }
        '{0:N1}x' -f (Get-Median $ratios)
    }

    $rows = foreach ($mode in $modes) {
        $cold = Get-Median ($times[$mode] | ForEach-Object ColdMs)
        $warm = Get-Median ($times[$mode] | ForEach-Object WarmMs)
        [pscustomobject]@{
            Method               = $mode
            'First batch ms'     = [int]$cold
            'Second batch ms'    = [int]$warm
            'Alerts/s (2nd)'     = [int]($total / ($warm / 1000))
            'Process ms'         = [int]((Get-Median ($times[$mode] | ForEach-Object ProcessMs)))
            'Speed-up 1st'       = '{0:N1}x' -f ($baseCold / $cold)
            'Speed-up 2nd'       = '{0:N1}x' -f ($baseWarm / $warm)
            'Per run 1st'        = Get-PairedSpeedUp $mode 'ColdMs'
            'Per run 2nd'        = Get-PairedSpeedUp $mode 'WarmMs'
        }
    }
    "$total alerts to $Endpoints loopback endpoints; medians of $Runs runs; each run a fresh process ($([Environment]::ProcessorCount) cores, PowerShell $($PSVersionTable.PSVersion))"
    $rows | Format-Table -AutoSize | Out-String -Width 200

    if ($MemoryEvents -gt 0) {
        $receivers | ForEach-Object { $_.Clear() }
        $memory = Invoke-Child -Mode 'Memory' -Urls $urls[0..0] -PerEndpoint 0 -MemoryEvents $MemoryEvents
        "Memory: $MemoryEvents events streamed to one endpoint ($($receivers[0].RequestCount) received) in $([math]::Round($memory.ElapsedMs / 1000, 1)) s"
        $receivers | ForEach-Object { $_.Clear() }
        ($memory.Output | Where-Object { $_ -like '`[*' } | ConvertFrom-Json) | Format-Table -AutoSize | Out-String
    }
}
finally {
    $receivers | Stop-AlertReceiver
    Remove-Item $child -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $env:ALERTHOOKS_HOME -ErrorAction SilentlyContinue
    $env:ALERTHOOKS_HOME = $savedHome
}
