# The nupkg from build.ps1 -Task Package installs with Install-PSResource from a local folder repository, and the
# installed module works by name: every cmdlet, a send to a local receiver, Get-Help.
# Everything happens in a child pwsh whose HOME and XDG folders point into a temporary folder, so the user's module
# path and PSResourceGet's repository list are never touched; the repository is unregistered anyway.
BeforeAll {
    . (Join-Path $PSScriptRoot 'ChildPwsh.ps1')
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $manifest = Import-PowerShellDataFile (Join-Path $root 'AlertHooks.psd1')
    $version = $manifest.ModuleVersion
    $nupkg = Join-Path $root "out/AlertHooks.$version.nupkg"
    $dll = Join-Path $root 'bin/AlertHooks.dll'

    # Reuse the package of the Test task's build; package the current ./bin (no compile) when it is missing or older.
    if (-not (Test-Path $nupkg) -or (Get-Item $nupkg).LastWriteTimeUtc -lt (Get-Item $dll).LastWriteTimeUtc) {
        $packaged = Invoke-ChildPwsh -Arguments @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'build.ps1'), '-Task', 'Package', '-NoBuild')
        if ($packaged.ExitCode -ne 0) { throw "build.ps1 -Task Package -NoBuild failed: $($packaged.Output) $($packaged.Errors)" }
    }

    $temp = Join-Path ([IO.Path]::GetTempPath()) "alerthooks-package-$([guid]::NewGuid().ToString('n'))"
    $repository = Join-Path $temp 'repository'
    $home_ = Join-Path $temp 'home'
    New-Item -ItemType Directory -Force $repository, $home_ | Out-Null
    Copy-Item $nupkg $repository
    $resultPath = Join-Path $temp 'result.json'

    $script = @"
`$ErrorActionPreference = 'Stop'
`$result = [ordered]@{}
Register-PSResourceRepository -Name AlertHooksTest -Uri '$repository' -Trusted
try {
    Install-PSResource -Name AlertHooks -Repository AlertHooksTest -Scope CurrentUser -TrustRepository -Quiet
    `$result.Installed = @(Get-InstalledPSResource -Name AlertHooks | ForEach-Object { "`$(`$_.Name) `$(`$_.Version) `$(`$_.InstalledLocation)" })
}
finally {
    Unregister-PSResourceRepository -Name AlertHooksTest
}
`$result.RepositoriesLeft = @(Get-PSResourceRepository | Where-Object Name -EQ AlertHooksTest).Count
Import-Module AlertHooks
`$module = Get-Module AlertHooks
`$result.ModuleBase = `$module.ModuleBase
`$result.Version = `$module.Version.ToString()
`$result.Cmdlets = @(`$module.ExportedCmdlets.Keys | Sort-Object)
`$receiver = Start-AlertReceiver
try {
    `$policy = New-AlertPolicy -Name installed -EventType JobFailure -Url `$receiver.Url -Body '{"text":"{{alert_summary}}"}'
    `$send = New-AlertEvent JobFailure -JobName from_package | Send-AlertWebhook -Policy `$policy
    `$result.Succeeded = `$send.Succeeded
    `$result.Received = `$receiver.Requests[0].Body
}
finally { `$receiver | Stop-AlertReceiver }
`$result.Synopsis = (Get-Help New-AlertEvent).Synopsis
`$result.Examples = @((Get-Help New-AlertPolicy -Examples).examples.example).Count
`$result.About = (Get-Help about_AlertHooks | Out-String).Contains('DELIVERY RULES')
`$result.FluidContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Fluid' })).Name
`$result | ConvertTo-Json | Set-Content -Path '$resultPath'
"@
    $environment = @{
        HOME            = $home_
        XDG_DATA_HOME   = Join-Path $home_ '.local/share'
        XDG_CONFIG_HOME = Join-Path $home_ '.config'
        XDG_CACHE_HOME  = Join-Path $home_ '.cache'
        PSModulePath    = Join-Path $home_ '.local/share/powershell/Modules'
    }
    $run = Invoke-ChildPwsh -Arguments @('-NoProfile', '-NonInteractive', '-Command', $script) -Environment $environment
    $result = if (Test-Path $resultPath) { Get-Content -Raw $resultPath | ConvertFrom-Json } else { $null }
}

AfterAll {
    if ($temp -and (Test-Path $temp)) { Remove-Item -Recurse -Force $temp }
}

Describe 'The AlertHooks package' -Tag Package {
    It 'is built as out/AlertHooks.<version>.nupkg with the version of the manifest' {
        $nupkg | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
        try {
            $entries = $zip.Entries.FullName
            $nuspec = [xml](New-Object System.IO.StreamReader ($zip.GetEntry('AlertHooks.nuspec').Open())).ReadToEnd()
        }
        finally { $zip.Dispose() }
        $nuspec.package.metadata.version | Should -Be $version
        $entries | Should -Contain 'AlertHooks.psd1'
        $entries | Should -Contain 'bin/AlertHooks.dll'
        $entries | Should -Contain 'bin/deps/Fluid.dll'
        $entries | Should -Contain 'en-US/AlertHooks.dll-Help.xml'
        $entries | Where-Object { $_ -like 'module/help/*' } | Should -BeNullOrEmpty -Because 'the markdown help sources are built into MAML'
        $entries | Where-Object { $_ -like '*System.Management.Automation.dll' } | Should -BeNullOrEmpty
    }

    It 'installs with Install-PSResource from a local folder repository into the temporary module path' {
        $result | Should -Not -BeNullOrEmpty -Because "the child pwsh failed: $($run.Output) $($run.Errors)"
        $run.ExitCode | Should -Be 0
        $result.Installed | Should -HaveCount 1
        $result.Installed[0] | Should -BeLike "AlertHooks $version $home_*"
        $result.RepositoriesLeft | Should -Be 0
    }

    It 'imports by name from the installed folder with every cmdlet of the manifest' {
        $result.ModuleBase | Should -BeLike "$home_*"
        $result.Version | Should -Be $version
        $result.Cmdlets | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'sends an alert to a local receiver' {
        $result.Succeeded | Should -BeTrue
        $result.Received | Should -Be '{"text":"Job from_package failed"}'
    }

    It 'has help: Get-Help for cmdlets, examples and about topics' {
        $result.Synopsis | Should -Not -BeNullOrEmpty
        $result.Synopsis | Should -Not -BeLike 'New-AlertEvent *'
        $result.Examples | Should -BeGreaterOrEqual 2
        $result.About | Should -BeTrue
    }

    It 'loads its libraries into the AlertHooks load context' {
        $result.FluidContext | Should -Be 'AlertHooks'
    }
}
