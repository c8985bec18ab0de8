# Another module got there first with its own Polly 7 and an older Fluid (with its Parlot), loaded into the default
# load context the way binary modules and Add-Type do. AlertHooks must still import and send, and the other module's
# libraries must keep working. A fresh child pwsh, because a session can load an assembly only once.
BeforeAll {
    . (Join-Path $PSScriptRoot 'ChildPwsh.ps1')
    $manifestPath = (Resolve-Path (Join-Path $PSScriptRoot '../../AlertHooks.psd1')).Path
    $polly = Join-Path (Get-DownloadedPackage Polly 7.2.4) 'lib/netstandard2.0/Polly.dll'
    $parlot = Join-Path (Get-DownloadedPackage Parlot 1.4.0) 'lib/net8.0/Parlot.dll'
    $fluid = Join-Path (Get-DownloadedPackage Fluid.Core 2.30.0) 'lib/net8.0/Fluid.dll'
    $resultPath = Join-Path $TestDrive 'isolation.json'

    $script = @"
`$ErrorActionPreference = 'Stop'
`$result = [ordered]@{}
Add-Type -Path '$polly'
[void][System.Reflection.Assembly]::LoadFrom('$parlot')
[void][System.Reflection.Assembly]::LoadFrom('$fluid')

Import-Module '$manifestPath'
`$receiver = Start-AlertReceiver
try {
    `$policy = New-AlertPolicy -Name isolated -EventType JobFailure -Url `$receiver.Url -Body '{"text":"{{alert_summary}}","run":"{{ run_id | upcase }}"}'
    `$send = New-AlertEvent JobFailure -JobName etl -RunId r-42 | Send-AlertWebhook -Policy `$policy
    `$result.Succeeded = `$send.Succeeded
    `$result.Received = `$receiver.Requests[0].Body
}
finally { `$receiver | Stop-AlertReceiver }

# The other module's Polly 7 still retries, after AlertHooks has sent.
`$script:attempts = 0
`$retry = [Polly.RetrySyntax]::Retry([Polly.Policy]::Handle[System.Exception](), 2)
`$retry.Execute([Action]{ `$script:attempts++; if (`$script:attempts -lt 3) { throw 'transient' } })
`$result.PollyAttempts = `$script:attempts
`$result.PollyVersion = [Polly.Policy].Assembly.GetName().Version.ToString()

# Its Fluid 2 still parses, and is the Fluid that PowerShell's type names resolve to.
`$result.FluidTemplate = [Fluid.FluidParserExtensions]::Parse([Fluid.FluidParser]::new(), 'Hello {{ name }}').GetType().FullName
`$result.FluidVersion = [Fluid.FluidParser].Assembly.GetName().Version.ToString()

`$result.Loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'Fluid', 'Parlot', 'Polly', 'Polly.Core', 'AlertHooks.Core' } |
    ForEach-Object { '{0} {1} {2}' -f `$_.GetName().Name, `$_.GetName().Version.Major, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name } | Sort-Object)
`$result.TypeName = [AlertHooks.AlertEventType]::JobFailure.ToString()
`$result | ConvertTo-Json | Set-Content -Path '$resultPath'
"@
    $run = Invoke-ChildPwsh -Arguments @('-NoProfile', '-NonInteractive', '-Command', $script)
    $result = if (Test-Path $resultPath) { Get-Content -Raw $resultPath | ConvertFrom-Json } else { $null }
}

Describe 'Dependency isolation' -Tag Isolation {
    It 'imports and sends after another module loaded Polly 7 and Fluid 2' {
        $result | Should -Not -BeNullOrEmpty -Because "the child pwsh failed: $($run.Output) $($run.Errors)"
        $result.Succeeded | Should -BeTrue
        $result.Received | Should -Be '{"text":"Job etl failed","run":"R-42"}'
    }

    It "leaves the other module's Polly 7 working" {
        $result.PollyVersion | Should -BeLike '7.*'
        $result.PollyAttempts | Should -Be 3
    }

    It "leaves the other module's Fluid 2 working and visible to PowerShell" {
        $result.FluidVersion | Should -BeLike '2.*'
        $result.FluidTemplate | Should -Be 'Fluid.Parser.FluidTemplate'
    }

    It "keeps AlertHooks' libraries in its own load context, beside the other module's" {
        $result.Loaded | Should -Contain 'Fluid 2 Default'
        $result.Loaded | Should -Contain 'Parlot 1 Default'
        $result.Loaded | Should -Contain 'Polly 7 Default'
        $result.Loaded | Should -Contain 'Fluid 3 AlertHooks'
        $result.Loaded | Should -Contain 'Parlot 2 AlertHooks'
    }

    It 'keeps AlertHooks types resolvable by name in scripts' {
        $result.Loaded | Should -Contain 'AlertHooks.Core 0 Default'
        $result.TypeName | Should -Be 'JobFailure'
    }
}

Describe 'Module layout' -Tag Isolation {
    It 'ships third-party libraries only under bin/deps, where PowerShell does not look' {
        $bin = Join-Path $PSScriptRoot '../../bin'
        $top = Get-ChildItem $bin -Filter *.dll | ForEach-Object BaseName | Sort-Object
        $top | Should -Be @('AlertHooks', 'AlertHooks.Core', 'AlertHooks.Loader')
        Join-Path $bin 'deps/Fluid.dll' | Should -Exist
        Join-Path $bin 'deps/Polly.Core.dll' | Should -Exist
        Join-Path $bin 'deps/System.Management.Automation.dll' | Should -Not -Exist
    }
}
