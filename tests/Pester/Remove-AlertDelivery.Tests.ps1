BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../AlertHooks.psd1') -Force
    . (Join-Path $PSScriptRoot 'JournalTestHelpers.ps1')
    $savedHome = $env:ALERTHOOKS_HOME
}

AfterAll {
    $env:ALERTHOOKS_HOME = $savedHome
    Stop-AlertReceiver
}

Describe 'Remove-AlertDelivery' {
    BeforeEach {
        $env:ALERTHOOKS_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $receiver = Start-AlertReceiver -Response 400
        $policy = New-AlertPolicy -Name 'ops' -EventType JobFailure -Url "$($receiver.Url)?token=sentinel-rm-4321" -Body '{"text":"{{alert_summary}}"}'
        $results = 'a', 'b', 'c' | ForEach-Object { New-AlertEvent JobFailure -JobName $_ } | Send-AlertWebhook -Policy $policy -ErrorAction SilentlyContinue
    }

    AfterEach {
        $receiver | Stop-AlertReceiver
    }

    It 'removes the records piped from Get-AlertDelivery' {
        Get-AlertDelivery -Status Failed | Remove-AlertDelivery

        @(Get-AlertDelivery -Status Failed).Count | Should -Be 0
        # Results are written as deliveries finish, so the failed one is found by its outcome, not its position.
        @($results | Where-Object Succeeded).Count | Should -Be 2
        @(Get-AlertDelivery).Id | Sort-Object | Should -Be @($results | Where-Object Succeeded | ForEach-Object DeliveryId | Sort-Object)
    }

    It 'removes by -Id, by piped id strings and by objects with an Id property' {
        Remove-AlertDelivery -Id $results[0].DeliveryId
        $results[1].DeliveryId | Remove-AlertDelivery
        [pscustomobject]@{ Id = $results[2].DeliveryId } | Remove-AlertDelivery

        @(Get-AlertDelivery).Count | Should -Be 0
    }

    It 'removes the records of piped Send-AlertWebhook results by their DeliveryId' {
        $results[0], $results[1] | Remove-AlertDelivery

        @(Get-AlertDelivery).Id | Should -Be @($results[2].DeliveryId)
    }

    It 'emits the removed record with -PassThru' {
        $removed = Remove-AlertDelivery -Id $results[0].DeliveryId -PassThru

        $removed | Should -BeOfType 'AlertHooks.AlertDelivery'
        $removed.Id | Should -Be $results[0].DeliveryId
    }

    It 'changes nothing with -WhatIf and shows no secret' {
        $output = Get-HostOutput { Get-AlertDelivery | Remove-AlertDelivery -WhatIf }

        @(Get-AlertDelivery).Count | Should -Be 3
        $output | Should -Match ([regex]::Escape($results[0].DeliveryId))
        $output | Should -Not -Match 'sentinel-'
    }

    It 'writes DeliveryNotFound for an id that is not in the journal' {
        Remove-AlertDelivery -Id 'msg_nothing' -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].FullyQualifiedErrorId | Should -Be 'DeliveryNotFound,AlertHooks.Commands.RemoveAlertDeliveryCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
