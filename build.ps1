#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates and packages AlertHooks.
.DESCRIPTION
    Run through the repository's local tool manifest, so that nothing but the .NET SDK is needed:

        dotnet tool restore
        dotnet pwsh ./build.ps1 -Task Test

    Every task is idempotent and ends the process with a non-zero exit code when anything fails.
.PARAMETER Task
    Build   - compiles the solution, lays the module out under ./bin and builds its help into ./en-US from module/help
              (Import-Module ./AlertHooks.psd1 then works, Get-Help included).
    Test    - Build, then the xunit suite and the Pester suite; ends with one line "N passed, N failed".
    Demo    - Build, then sends real alerts to the module's own local receiver and prints what arrived.
    Package - Build, then the module folder out/module/AlertHooks and out/AlertHooks.<version>.nupkg, which
              Install-PSResource installs from a local folder repository. The version is ModuleVersion in AlertHooks.psd1.
    Clean   - removes every build output.
.PARAMETER Configuration
    The .NET build configuration; Release unless told otherwise.
.PARAMETER NoBuild
    With -Task Package: package the module already laid out under ./bin.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Package only: lay out the package from the existing ./bin instead of building first (tests reuse a build).
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$ModuleBin = Join-Path $Root 'bin'
$HelpBin = Join-Path $Root 'en-US'
$OutDir = Join-Path $Root 'out'
$TestResults = Join-Path $OutDir 'TestResults'
. (Join-Path $Root 'tools/ReadyToRun/Get-PeFacts.ps1')

function Invoke-Native {
    param([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

# Under `dotnet pwsh` the process is dotnet itself: start children the same way, so that no pwsh on PATH is needed.
function Invoke-ChildPwsh {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $ArgumentList)
    $host_ = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') {
        & $host_ (Join-Path $PSHOME 'pwsh.dll') @ArgumentList
    }
    else {
        & $host_ @ArgumentList
    }
}

function Get-PesterModulePath {
    $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Packages.props'))
    $version = ($props.Project.PropertyGroup | Where-Object { $_['PesterVersion'] } | Select-Object -First 1)['PesterVersion'].InnerText
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/Pester/Pester.Download.proj'), '--verbosity', 'quiet')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        throw "Pester $version was restored but $manifest is missing."
    }
    $manifest
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $Root 'AlertHooks.sln'), '--configuration', $Configuration, '--nologo', '--verbosity', 'quiet')
    $output = Join-Path $Root "src/AlertHooks/bin/$Configuration/netstandard2.0"
    $loader = Join-Path $Root "src/AlertHooks.Loader/bin/$Configuration/net8.0"
    if (Test-Path $ModuleBin) {
        Remove-Item -Recurse -Force $ModuleBin
    }

    # bin/ holds our own assemblies, loaded by PowerShell (cmdlets, Core, the loader); bin/deps the libraries that go into
    # AlertHooks' own AssemblyLoadContext (Fluid, Parlot, Polly.Core, ...), so that nothing there clashes with another
    # module's copy. See src/AlertHooks.Loader/DependencyLoader.cs.
    $deps = Join-Path $ModuleBin 'deps'
    New-Item -ItemType Directory -Force $deps | Out-Null
    foreach ($file in Get-ChildItem $output -File | Where-Object { $_.Extension -in '.dll', '.pdb', '.xml' }) {
        $destination = if ($file.BaseName -in 'AlertHooks', 'AlertHooks.Core') { $ModuleBin } else { $deps }
        Copy-Item $file.FullName -Destination $destination
    }
    Get-ChildItem $loader -File -Filter 'AlertHooks.Loader.*' | Where-Object { $_.Extension -in '.dll', '.pdb' } |
        Copy-Item -Destination $ModuleBin
    Install-ReadyToRunCode

    # Help is built from module/help/*.md and the compiled cmdlets, in a child process that imports the module. It goes
    # to en-US beside the manifest because Get-Help looks for a binary module's MAML and about topics in ModuleBase/<culture>
    # only, not beside the assembly.
    Invoke-ChildPwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Build-Help.ps1') `
        -ManifestPath (Join-Path $Root 'AlertHooks.psd1') -SourcePath (Join-Path $Root 'module/help') -OutputPath $HelpBin
    if ($LASTEXITCODE -ne 0) { throw "Building help failed with exit code $LASTEXITCODE." }
    Write-Host "Module laid out in $ModuleBin"
}

# AlertHooks.Core and the libraries in bin/deps are replaced by ReadyToRun-compiled copies of themselves (see
# tools/ReadyToRun/ReadyToRun.csproj). The cmdlet assembly and the loader stay plain IL: they run little, and the cmdlet
# assembly stays the netstandard2.0 image PowerShellStandard.Library promises.
function Install-ReadyToRunCode {
    $compiled = Join-Path $Root 'tools/ReadyToRun/bin/publish'
    $stamp = Join-Path $Root 'tools/ReadyToRun/bin/inputs.txt'
    $inputs = @(Get-Item (Join-Path $ModuleBin 'AlertHooks.Core.dll')) + @(Get-ChildItem (Join-Path $ModuleBin 'deps') -Filter *.dll)
    $facts = @{}
    foreach ($file in $inputs) { $facts[$file.Name] = Get-PeFacts $file.FullName }
    $inputList = ($inputs | ForEach-Object { "$($_.Name) $($facts[$_.Name].Mvid)" }) -join "`n"
    # The same files as last time (by module version id): their compiled copies are still good, and a build that changed
    # nothing is spared crossgen2's 10 s.
    if (-not ((Test-Path $stamp) -and (Test-Path $compiled) -and (Get-Content -Raw $stamp) -eq $inputList)) {
        if (Test-Path $compiled) { Remove-Item -Recurse -Force $compiled }
        if (Test-Path $stamp) { Remove-Item -Force $stamp }
        # The layout's files keep the time stamps of their builds, which may be older than the last compiled copies: the
        # SDK would take those as up to date. Compiled afresh, and checked below against the files they replace.
        Get-ChildItem (Join-Path $Root 'tools/ReadyToRun/obj') -Recurse -Directory -Filter R2R -ErrorAction SilentlyContinue |
            Remove-Item -Recurse -Force
        Invoke-Native dotnet @('publish', (Join-Path $Root 'tools/ReadyToRun/ReadyToRun.csproj'), '--configuration', $Configuration,
            '--output', $compiled, "-p:ModuleBin=$ModuleBin", '--nologo', '--verbosity', 'quiet')
        Set-Content -Path $stamp -Value $inputList -NoNewline -Encoding utf8NoBOM
    }
    $replaced = 0
    foreach ($file in $inputs) {
        $copy = Join-Path $compiled $file.Name
        # The same module version id: compiled from this very file, not from an earlier build of the same version.
        if ((Test-Path $copy) -and ($copyFacts = Get-PeFacts $copy).ReadyToRun -and $copyFacts.Mvid -eq $facts[$file.Name].Mvid) {
            Copy-Item $copy $file.FullName -Force
            $replaced++
        }
    }
    if (-not (Get-PeFacts (Join-Path $ModuleBin 'AlertHooks.Core.dll')).ReadyToRun) {
        throw "AlertHooks.Core.dll was not ReadyToRun-compiled from this build into $compiled."
    }
    Write-Host "ReadyToRun code for $replaced assemblies of the module"
}

function Get-TrxCounts([string] $Directory) {
    $passed = 0; $failed = 0
    foreach ($file in Get-ChildItem $Directory -Filter *.trx -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw $file.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

function Invoke-Test {
    Invoke-Build
    # tests/Pester/Package.Tests.ps1 installs this package instead of building its own.
    Invoke-Package -SkipBuild
    if (Test-Path $TestResults) { Remove-Item -Recurse -Force $TestResults }
    New-Item -ItemType Directory -Force $TestResults | Out-Null

    $xunitDir = Join-Path $TestResults 'xunit'
    & dotnet test (Join-Path $Root 'tests/AlertHooks.Core.Tests') --configuration $Configuration --nologo --verbosity quiet `
        --logger 'trx;LogFilePrefix=core' --logger 'console;verbosity=minimal' --results-directory $xunitDir
    $xunitExit = $LASTEXITCODE
    $xunit = Get-TrxCounts $xunitDir
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed"

    # Pester runs in a child process: a fresh session that imports the module as a user would.
    $pester = Get-PesterModulePath
    $pesterResult = Join-Path $TestResults 'pester.json'
    $pesterPaths = @('tests/Pester', 'docs/examples') | ForEach-Object { Join-Path $Root $_ } | Where-Object { Test-Path $_ } |
        ForEach-Object { "'$_'" }
    # Tests that do not make a home of their own must never write into the user's real one.
    $testHome = Join-Path $TestResults 'alerthooks-home'
    $script = @"
`$ErrorActionPreference = 'Stop'
`$env:ALERTHOOKS_HOME = '$testHome'
Import-Module '$pester'
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = @($($pesterPaths -join ', '))
`$configuration.Run.PassThru = `$true
`$configuration.Output.Verbosity = 'Normal'
`$configuration.TestResult.Enabled = `$false
`$result = Invoke-Pester -Configuration `$configuration
@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount } | ConvertTo-Json | Set-Content -Path '$pesterResult'
"@
    Invoke-ChildPwsh -NoProfile -NonInteractive -Command $script
    $pesterCounts = if (Test-Path $pesterResult) { Get-Content -Raw $pesterResult | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    Write-Host "Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed"

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    if ($xunitExit -ne 0 -and $failed -eq 0) { $failed = 1 }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0 -or $xunit.Passed -eq 0 -or $pesterCounts.Passed -eq 0) {
        exit 1
    }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-ChildPwsh -NoProfile -NonInteractive -File (Join-Path $Root 'docs/Demo.ps1')
    if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
}

function Invoke-Package {
    param([switch] $SkipBuild)
    if (-not $SkipBuild -or -not (Test-Path (Join-Path $ModuleBin 'AlertHooks.dll')) -or -not (Test-Path $HelpBin)) {
        Invoke-Build
    }

    # The version comes from ModuleVersion in AlertHooks.psd1 only (Directory.Build.props reads it for the assemblies).
    $version = (Import-PowerShellDataFile (Join-Path $Root 'AlertHooks.psd1')).ModuleVersion
    $moduleDir = Join-Path $OutDir 'module/AlertHooks'
    if (Test-Path $moduleDir) { Remove-Item -Recurse -Force $moduleDir }
    New-Item -ItemType Directory -Force (Join-Path $moduleDir 'module') | Out-Null
    Copy-Item (Join-Path $Root 'AlertHooks.psd1') $moduleDir
    Copy-Item $ModuleBin (Join-Path $moduleDir 'bin') -Recurse
    Copy-Item $HelpBin (Join-Path $moduleDir 'en-US') -Recurse
    # What the manifest names (format files); the markdown help sources stay behind, their MAML is in en-US.
    Get-ChildItem (Join-Path $Root 'module') -Exclude 'help' | Copy-Item -Destination (Join-Path $moduleDir 'module') -Recurse

    $nupkg = Join-Path $OutDir "AlertHooks.$version.nupkg"
    Remove-Item $nupkg -ErrorAction SilentlyContinue
    Compress-PSResource -Path $moduleDir -DestinationPath $OutDir
    if (-not (Test-Path $nupkg)) { throw "Compress-PSResource did not write $nupkg." }
    Write-Host "Module folder: $moduleDir"
    Write-Host "Package: $nupkg (version $version)"
}

function Invoke-Clean {
    foreach ($path in @($ModuleBin, $HelpBin, $OutDir)) {
        if (Test-Path $path) { Remove-Item -Recurse -Force $path }
    }
    Invoke-Native dotnet @('clean', (Join-Path $Root 'AlertHooks.sln'), '--configuration', $Configuration, '--nologo', '--verbosity', 'quiet')
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -like (Join-Path $Root 'src/*') -or $_.FullName -like (Join-Path $Root 'tests/*') -or $_.FullName -like (Join-Path $Root 'tools/*') } |
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
}

try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Package' { Invoke-Package -SkipBuild:$NoBuild }
        'Clean' { Invoke-Clean }
    }
}
catch {
    Write-Host "build.ps1 -Task $Task failed: $_" -ForegroundColor Red
    exit 1
}
