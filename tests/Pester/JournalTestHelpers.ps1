# Shared by the journal, replay and chaos tests: child PowerShell processes and the "no alert lost" accounting.

. (Join-Path $PSScriptRoot 'ChildPwsh.ps1')

<#
    Accounts for every alert sent: delivered (a receiver took it: answered 2xx, or dropped the connection after reading
    it, and the journal says Delivered), or Failed in the journal. Anything else is lost. A copy that reached a
    receiver more than once is a duplicate; duplicates are allowed only after a lost response: a dropped connection,
    or an alert in flight when its process was killed (-InFlightAtKill).
#>
function Get-DeliveryAccounting {
    param(
        [Parameter(Mandatory)] [string[]] $SentId,
        [Parameter(Mandatory)] [AlertHooks.AlertReceiver[]] $Receiver,
        [string[]] $InFlightAtKill = @()
    )
    $journal = @{}
    foreach ($record in Get-AlertDelivery) { $journal[$record.Id] = $record }
    $arrivals = @{}
    foreach ($request in $Receiver.Requests) {
        $key = $request.Headers['Idempotency-Key']
        if (-not $arrivals.ContainsKey($key)) { $arrivals[$key] = [System.Collections.Generic.List[object]]::new() }
        $arrivals[$key].Add($request)
    }

    $delivered = 0; $failed = 0; $duplicates = 0
    $lost = [System.Collections.Generic.List[string]]::new()
    $unexplained = [System.Collections.Generic.List[string]]::new()
    foreach ($id in $SentId) {
        $record = $journal[$id]
        $copies = if ($arrivals.ContainsKey($id)) { @($arrivals[$id]) } else { @() }
        $taken = @($copies | Where-Object { $_.ResponseStatus -eq 0 -or ($_.ResponseStatus -ge 200 -and $_.ResponseStatus -lt 300) })
        $accepted = @($copies | Where-Object { $_.ResponseStatus -ge 200 -and $_.ResponseStatus -lt 300 })
        if ($record -and $record.Status -eq 'Delivered' -and $accepted.Count -ge 1) { $delivered++ }
        elseif ($record -and $record.Status -eq 'Failed' -and $accepted.Count -eq 0) { $failed++ }
        else { $lost.Add("$id ($(if ($record) { $record.Status } else { 'no record' }), $($accepted.Count) accepted)") }

        if ($taken.Count -gt 1) {
            $duplicates += $taken.Count - 1
            # Every copy before the last taken one must have lost its response, and all carry the same bytes.
            $early = @($taken | Select-Object -SkipLast 1 | Where-Object { $_.ResponseStatus -ne 0 })
            if ($early.Count -gt 0 -and $id -notin $InFlightAtKill) { $unexplained.Add("$id taken $($taken.Count) times") }
        }
        if (@($copies.Body | Select-Object -Unique).Count -gt 1) { $unexplained.Add("$id arrived with different bodies") }
    }
    $strangers = @($arrivals.Keys | Where-Object { $_ -notin $SentId })

    [pscustomobject]@{
        Sent                  = $SentId.Count
        Delivered             = $delivered
        Duplicates            = $duplicates
        FailedAndJournaled    = $failed
        Lost                  = $lost.Count
        LostIds               = $lost
        UnexplainedDuplicates = $unexplained
        UnknownKeys           = $strangers.Count
        Requests              = @($Receiver.Requests).Count
        Dropped               = @($Receiver.Requests | Where-Object ResponseStatus -eq 0).Count
    }
}

function Format-DeliveryAccounting {
    param([string] $Scenario, $Accounting)
    "$Scenario — sent $($Accounting.Sent), delivered $($Accounting.Delivered), duplicates $($Accounting.Duplicates), " +
    "failed-and-journaled $($Accounting.FailedAndJournaled), lost $($Accounting.Lost) " +
    "($($Accounting.Requests) requests at the receivers, $($Accounting.Dropped) dropped)"
}

# -WhatIf writes to the host, not to a stream that can be redirected: a transcript sees it as a user would.
function Get-HostOutput {
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $path = Join-Path ([IO.Path]::GetTempPath()) "alerthooks-transcript-$([guid]::NewGuid().ToString('n')).txt"
    $null = Start-Transcript -Path $path
    try { $null = & $ScriptBlock *>&1 }
    finally { $null = Stop-Transcript }
    try { Get-Content -Raw $path } finally { Remove-Item $path -ErrorAction SilentlyContinue }
}
